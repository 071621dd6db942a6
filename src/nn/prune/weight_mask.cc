#include "zhsenti/nn/prune/weight_mask.h"

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

namespace {

// Marks the k smallest |values| over `entries` (concatenated in order) as pruned: everything
// below the k-th smallest magnitude, then ties at it in order of position.
void prune_smallest(std::span<WeightMask::Entry*> entries, const ParamStore& store,
                    std::size_t k) {
  if (k == 0) return;
  std::vector<float> magnitudes;
  std::size_t n = 0;
  for (const auto* e : entries) n += e->keep.size();
  magnitudes.reserve(n);
  for (const auto* e : entries) {
    for (const float v : store.value(e->id)) magnitudes.push_back(std::fabs(v));
  }
  std::nth_element(magnitudes.begin(), magnitudes.begin() + static_cast<std::ptrdiff_t>(k - 1),
                   magnitudes.end());
  const float threshold = magnitudes[k - 1];
  std::size_t below = 0;
  for (const auto* e : entries) {
    for (const float v : store.value(e->id)) below += std::fabs(v) < threshold;
  }
  std::size_t ties_left = k - below;
  for (auto* e : entries) {
    const std::span<const float> values = store.value(e->id);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const float m = std::fabs(values[i]);
      if (m < threshold || (m == threshold && ties_left > 0)) {
        if (m == threshold) --ties_left;
        e->keep[i] = 0;
        ++e->pruned;
      }
    }
  }
}

}  // namespace

PruneScope parse_prune_scope(const std::string& name) {
  if (name == "per-matrix") return PruneScope::kPerMatrix;
  if (name == "global") return PruneScope::kGlobal;
  ZHSENTI_CHECK_ARG(false, "pruning scope '{}' must be per-matrix or global", name);
  return PruneScope::kPerMatrix;
}

const char* prune_scope_name(PruneScope scope) {
  return scope == PruneScope::kGlobal ? "global" : "per-matrix";
}

std::vector<ParamStore::Id> prunable_params(const ParamStore& store) {
  std::vector<ParamStore::Id> ids;
  for (std::size_t i = 0; i < store.count(); ++i) {
    const auto id = static_cast<ParamStore::Id>(i);
    if (store.info(id).shape.size() == 2) ids.push_back(id);
  }
  return ids;
}

WeightMask WeightMask::select(const ParamStore& store, double sparsity, PruneScope scope) {
  ZHSENTI_CHECK_ARG(sparsity >= 0.0 && sparsity < 1.0, "sparsity {} must be in [0, 1)", sparsity);
  WeightMask mask;
  for (const ParamStore::Id id : prunable_params(store)) {
    const ParamInfo& p = store.info(id);
    mask.entries_.push_back({id, p.offset, std::vector<std::uint8_t>(p.size, 1), 0});
  }
  const auto count = [sparsity](std::size_t n) {
    return static_cast<std::size_t>(std::llround(sparsity * static_cast<double>(n)));
  };
  if (scope == PruneScope::kPerMatrix) {
    for (auto& e : mask.entries_) {
      Entry* one[] = {&e};
      prune_smallest(one, store, count(e.keep.size()));
    }
  } else {
    std::vector<Entry*> all;
    for (auto& e : mask.entries_) all.push_back(&e);
    prune_smallest(all, store, count(mask.total()));
  }
  return mask;
}

void WeightMask::apply_values(ParamStore& store) const {
  for (const auto& e : entries_) {
    ZHSENTI_CHECK_ARG(e.offset == store.info(e.id).offset && e.keep.size() == store.info(e.id).size,
                      "pruning mask of '{}' was selected on another model layout",
                      store.info(e.id).name);
    const std::span<float> values = store.value(e.id);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!e.keep[i]) values[i] = 0.0f;
    }
  }
}

void WeightMask::mask_grads(ParamStore& store) const {
  for (const auto& e : entries_) {
    const ParamInfo& p = store.info(e.id);
    const std::span<float> grad = store.grad(e.id);
    if (!p.sparse_rows) {
      for (std::size_t i = 0; i < grad.size(); ++i) {
        if (!e.keep[i]) grad[i] = 0.0f;
      }
      continue;
    }
    const auto cols = static_cast<std::size_t>(p.shape[1]);
    for (const std::int32_t r : store.touched_rows(e.id)) {
      const std::size_t start = static_cast<std::size_t>(r) * cols;
      for (std::size_t j = start; j < start + cols; ++j) {
        if (!e.keep[j]) grad[j] = 0.0f;
      }
    }
  }
}

void WeightMask::mask_state(std::span<float> buffer) const {
  for (const auto& e : entries_) {
    ZHSENTI_CHECK_ARG(e.offset + e.keep.size() <= buffer.size(),
                      "optimiser state of {} floats does not have the store's layout",
                      buffer.size());
    float* s = buffer.data() + e.offset;
    for (std::size_t i = 0; i < e.keep.size(); ++i) {
      if (!e.keep[i]) s[i] = 0.0f;
    }
  }
}

std::size_t WeightMask::pruned() const {
  std::size_t n = 0;
  for (const auto& e : entries_) n += e.pruned;
  return n;
}

std::size_t WeightMask::total() const {
  std::size_t n = 0;
  for (const auto& e : entries_) n += e.keep.size();
  return n;
}

double WeightMask::sparsity() const {
  const std::size_t n = total();
  return n ? static_cast<double>(pruned()) / static_cast<double>(n) : 0.0;
}

double measured_sparsity(const ParamStore& store) {
  std::size_t zeros = 0, total = 0;
  for (const ParamStore::Id id : prunable_params(store)) {
    for (const float v : store.value(id)) zeros += v == 0.0f;
    total += store.info(id).size;
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

}  // namespace zhsenti::nn
