#include "replica_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::train {
namespace {

// 1 Mi floats: large enough that per-call latency is small against the bytes moved, small
// enough that MPI's internal buffers for a bucket stay modest.
constexpr std::size_t kBucketFloats = std::size_t{1} << 20;

// The union of every rank's touched rows of a sparse-row tensor, sorted, so the same list on
// every rank; recorded as touched here too, so that zero_grad() clears the rows the other
// ranks filled.
void union_of_touched_rows(nn::ParamStore& params, nn::ParamStore::Id id,
                           std::vector<std::int32_t>& rows) {
  const auto mine = params.touched_rows(id);
  const auto all = dist::allgather(
      std::string_view(reinterpret_cast<const char*>(mine.data()), mine.size_bytes()));
  rows.clear();
  for (const auto& bytes : all) {
    const std::size_t n = bytes.size() / sizeof(std::int32_t);
    rows.resize(rows.size() + n);
    if (n > 0) std::memcpy(rows.data() + rows.size() - n, bytes.data(), bytes.size());
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  params.touch_rows(id, rows);
}

void allreduce_buckets(std::span<float> values) {
  for (std::size_t off = 0; off < values.size(); off += kBucketFloats) {
    dist::allreduce_sum(values.subspan(off, std::min(kBucketFloats, values.size() - off)));
  }
}

// An embedding's gradient is zero outside the rows some rank touched (param_store.h), so only
// those rows are summed: a few hundred of a table's 100k rows a step. They are packed into
// one buffer (reused across steps; collectives run on the main thread only).
void allreduce_touched_rows(nn::ParamStore& params, nn::ParamStore::Id id) {
  static std::vector<std::int32_t> rows;
  static std::vector<float> packed;
  union_of_touched_rows(params, id, rows);
  const nn::ParamInfo& p = params.info(id);
  const std::size_t cols = p.shape[0] == 0 ? 0 : p.size / static_cast<std::size_t>(p.shape[0]);
  const std::span<float> grad = params.grad(id);
  packed.resize(rows.size() * cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(grad.data() + static_cast<std::size_t>(rows[i]) * cols, cols,
                packed.data() + i * cols);
  }
  allreduce_buckets(packed);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(packed.data() + i * cols, cols,
                grad.data() + static_cast<std::size_t>(rows[i]) * cols);
  }
}

}  // namespace

void allreduce_gradients(nn::ParamStore& params) {
  if (!dist::distributed()) return;
  for (std::size_t i = 0; i < params.count(); ++i) {
    const auto id = static_cast<nn::ParamStore::Id>(i);
    if (params.info(id).trainable && params.info(id).sparse_rows) allreduce_touched_rows(params, id);
  }
  std::span<float> grads = params.grads();
  // Runs of adjacent dense trainable tensors (an embedding or a frozen tensor cuts a run).
  std::size_t run_begin = 0, run_end = 0;
  const auto flush = [&] { allreduce_buckets(grads.subspan(run_begin, run_end - run_begin)); };
  for (const nn::ParamInfo& p : params.infos()) {
    if (!p.trainable || p.sparse_rows) continue;
    if (p.offset > run_end + nn::ParamStore::kAlignFloats || run_end == 0) {
      flush();
      run_begin = p.offset;
    }
    run_end = p.offset + p.size;
  }
  flush();
}

std::uint64_t weights_checksum(const nn::ParamStore& params) {
  const auto values = params.values();
  // Four independent FNV-1a-style lanes over the 32-bit words: vectorisable, order-sensitive.
  std::uint64_t lane[4] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x9e3779b97f4a7c15ULL,
                           0x7f4a7c159e3779b9ULL};
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    for (std::size_t k = 0; k < 4; ++k) {
      std::uint32_t bits;
      std::memcpy(&bits, &values[i + k], sizeof bits);
      lane[k] = (lane[k] ^ bits) * kPrime;
    }
  }
  for (; i < values.size(); ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &values[i], sizeof bits);
    lane[0] = (lane[0] ^ bits) * kPrime;
  }
  return lane[0] ^ (lane[1] * 3) ^ (lane[2] * 5) ^ (lane[3] * 7);
}

void check_replicas_agree(const nn::ParamStore& params, std::int64_t step) {
  if (!dist::distributed()) return;
  const std::uint64_t mine = weights_checksum(params);
  const auto all =
      dist::allgather(std::string_view(reinterpret_cast<const char*>(&mine), sizeof mine));
  std::vector<std::uint64_t> sums(all.size());
  for (std::size_t r = 0; r < all.size(); ++r) std::memcpy(&sums[r], all[r].data(), sizeof mine);
  std::string differing;
  for (std::size_t r = 1; r < sums.size(); ++r) {
    if (sums[r] != sums[0]) {
      differing += fmt::format("{}rank {} ({:016x})", differing.empty() ? "" : ", ", r, sums[r]);
    }
  }
  if (!differing.empty()) {
    throw Error(ErrorCode::kInternal,
                fmt::format("the model replicas diverged after step {}: rank 0's weights have "
                            "checksum {:016x}, {} differ; were all ranks started from the same "
                            "zhsenti build?",
                            step, sums[0], differing));
  }
}

}  // namespace zhsenti::train
