#include "zhsenti/nn/param_store.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"

namespace zhsenti::nn {

uint64_t ParamStore::next_version() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

ParamStore::Id ParamStore::add(std::string name, std::vector<int64_t> shape, bool trainable,
                               bool sparse_rows) {
  ZHSENTI_CHECK_ARG(!name.empty(), "parameter name is empty");
  ZHSENTI_CHECK_ARG(find(name) < 0, "duplicate parameter name '{}'", name);
  ZHSENTI_CHECK_ARG(!sparse_rows || shape.size() == 2,
                    "sparse_rows parameter '{}' must be a matrix", name);
  std::size_t size = 1;
  for (const int64_t d : shape) {
    ZHSENTI_CHECK_ARG(d > 0, "parameter '{}' has dimension {}", name, d);
    size *= static_cast<std::size_t>(d);
  }
  ParamInfo info{std::move(name), std::move(shape), total_, size, trainable, sparse_rows};
  const std::size_t new_total = (total_ + size + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
  if (new_total > values_.size()) {
    // Growth by 1/4 plus 1 MB of slack: the many small parameters added after a large
    // embedding copy it only a few times, and at most a quarter of the arena stays unused.
    const std::size_t capacity = std::max(new_total + (std::size_t{1} << 18), values_.size() * 5 / 4);
    AlignedBuffer<float> values(capacity, /*zero=*/true);
    if (total_ > 0) std::memcpy(values.data(), values_.data(), total_ * sizeof(float));
    values_ = std::move(values);
    if (has_grads()) allocate_grads();
  }
  total_ = new_total;
  version_ = next_version();

  RowTracker tracker;
  if (info.sparse_rows) tracker.seen.assign(static_cast<std::size_t>(info.shape[0]), 0);
  infos_.push_back(std::move(info));
  trackers_.push_back(std::move(tracker));
  return static_cast<Id>(infos_.size() - 1);
}

ParamStore::Id ParamStore::find(std::string_view name) const {
  for (std::size_t i = 0; i < infos_.size(); ++i) {
    if (infos_[i].name == name) return static_cast<Id>(i);
  }
  return -1;
}

ParamStore::Id ParamStore::id(std::string_view name) const {
  const Id found = find(name);
  if (found < 0) {
    throw Error(ErrorCode::kNotFound, fmt::format("no parameter named '{}'", name));
  }
  return found;
}

std::size_t ParamStore::trainable_size() const {
  std::size_t n = 0;
  for (const auto& p : infos_) n += p.trainable ? p.size : 0;
  return n;
}

void ParamStore::touch_rows(Id id, std::span<const int32_t> rows) {
  const ParamInfo& p = info(id);
  ZHSENTI_CHECK_ARG(p.sparse_rows, "parameter '{}' does not track rows", p.name);
  RowTracker& t = trackers_[static_cast<std::size_t>(id)];
  for (const int32_t r : rows) {
    ZHSENTI_CHECK_ARG(r >= 0 && r < p.shape[0], "row {} out of range for '{}' ({} rows)", r,
                      p.name, p.shape[0]);
    if (!t.seen[static_cast<std::size_t>(r)]) {
      t.seen[static_cast<std::size_t>(r)] = 1;
      t.rows.push_back(r);
    }
  }
}

std::span<const int32_t> ParamStore::touched_rows(Id id) const {
  return trackers_[static_cast<std::size_t>(id)].rows;
}

void ParamStore::allocate_grads() {
  AlignedBuffer<float> grads(values_.size(), /*zero=*/true);
  if (has_grads()) std::memcpy(grads.data(), grads_.data(), total_ * sizeof(float));
  grads_ = std::move(grads);
}

void ParamStore::zero_grad() {
  if (!has_grads()) return;  // nothing was ever accumulated
  for (std::size_t i = 0; i < infos_.size(); ++i) {
    const ParamInfo& p = infos_[i];
    float* g = grads_.data() + p.offset;
    if (!p.sparse_rows) {
      std::memset(g, 0, p.size * sizeof(float));
      continue;
    }
    RowTracker& t = trackers_[i];
    const auto cols = static_cast<std::size_t>(p.shape[1]);
    for (const int32_t r : t.rows) {
      std::memset(g + static_cast<std::size_t>(r) * cols, 0, cols * sizeof(float));
      t.seen[static_cast<std::size_t>(r)] = 0;
    }
    t.rows.clear();
  }
}

void ParamStore::copy_values_from(const ParamStore& other) {
  ZHSENTI_CHECK_ARG(other.infos_.size() == infos_.size() && other.total_ == total_,
                    "parameter stores differ ({} vs {} parameters)", other.infos_.size(),
                    infos_.size());
  for (std::size_t i = 0; i < infos_.size(); ++i) {
    ZHSENTI_CHECK_ARG(infos_[i].name == other.infos_[i].name && infos_[i].shape == other.infos_[i].shape,
                      "parameter {} differs: '{}' vs '{}'", i, infos_[i].name,
                      other.infos_[i].name);
  }
  std::memcpy(values_.data(), other.values_.data(), total_ * sizeof(float));
  version_ = next_version();
}

}  // namespace zhsenti::nn
