#include "zhsenti/nn/layers/packed_batch.h"

#include <algorithm>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

PackedBatch pack_batch(std::span<const int32_t> lengths, Workspace& ws) {
  const int b = static_cast<int>(lengths.size());
  ZHSENTI_CHECK_ARG(b >= 1, "empty batch");
  PackedBatch pb;
  pb.batch = b;
  int64_t total = 0;
  int longest = 0;
  for (int i = 0; i < b; ++i) {
    ZHSENTI_CHECK_ARG(lengths[i] >= 1, "sequence {} of the batch has length {} (must be >= 1)",
                      i, lengths[i]);
    total += lengths[i];
    longest = std::max(longest, lengths[i]);
  }
  ZHSENTI_CHECK_ARG(total <= INT32_MAX / 1024, "batch of {} tokens is too large", total);
  pb.steps = longest;
  pb.rows = static_cast<int>(total);

  auto* lens = ws.ints(static_cast<std::size_t>(b));
  auto* order = ws.ints(static_cast<std::size_t>(b));
  auto* position = ws.ints(static_cast<std::size_t>(b));
  auto* starts = ws.ints(static_cast<std::size_t>(b));
  auto* sizes = ws.ints(static_cast<std::size_t>(longest));
  auto* offsets = ws.ints(static_cast<std::size_t>(longest) + 1);
  std::copy(lengths.begin(), lengths.end(), lens);
  // Stable counting sort by length, longest first (std::stable_sort would allocate).
  auto* first = ws.ints(static_cast<std::size_t>(longest) + 2);
  std::fill(first, first + longest + 2, 0);
  for (int i = 0; i < b; ++i) ++first[longest - lens[i] + 1];
  for (int k = 1; k <= longest + 1; ++k) first[k] += first[k - 1];
  for (int i = 0; i < b; ++i) order[first[longest - lens[i]]++] = i;
  for (int i = 0; i < b; ++i) position[order[i]] = i;
  int32_t start = 0;
  for (int i = 0; i < b; ++i) {
    starts[i] = start;
    start += lens[i];
  }
  // batch_sizes[t] = #sequences with length > t; sorted lengths make it a running pointer.
  int active = b;
  offsets[0] = 0;
  for (int t = 0; t < longest; ++t) {
    while (active > 0 && lens[order[active - 1]] <= t) --active;
    sizes[t] = active;
    offsets[t + 1] = offsets[t] + active;
  }
  pb.lengths = lens;
  pb.order = order;
  pb.position = position;
  pb.batch_sizes = sizes;
  pb.offsets = offsets;
  pb.starts = starts;
  return pb;
}

void pack_ids(const PackedBatch& pb, std::span<const int32_t> ids, int32_t* packed) {
  ZHSENTI_CHECK_ARG(static_cast<int64_t>(ids.size()) == pb.rows,
                    "batch has {} ids but its lengths sum to {}", ids.size(), pb.rows);
  for (int b = 0; b < pb.batch; ++b) {
    const int32_t* seq = ids.data() + pb.starts[b];
    for (int t = 0; t < pb.lengths[b]; ++t) packed[pb.row(b, t)] = seq[t];
  }
}

}  // namespace zhsenti::nn
