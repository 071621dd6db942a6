#pragma once
// Iteration over the parts of the parameter arena an optimiser must visit (private).

#include <cstddef>
#include <cstdint>

#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn {

// Calls fn(offset, count) for each trainable parameter: the whole tensor, or for a
// sparse_rows parameter when rows_only, each touched row.
template <typename Fn>
void for_each_trainable_range(const ParamStore& store, bool rows_only, Fn&& fn) {
  for (std::size_t i = 0; i < store.count(); ++i) {
    const auto id = static_cast<ParamStore::Id>(i);
    const ParamInfo& p = store.info(id);
    if (!p.trainable) continue;
    if (!p.sparse_rows || !rows_only) {
      fn(p.offset, p.size);
      continue;
    }
    const auto cols = static_cast<std::size_t>(p.shape[1]);
    for (const int32_t r : store.touched_rows(id)) {
      fn(p.offset + static_cast<std::size_t>(r) * cols, cols);
    }
  }
}

}  // namespace zhsenti::nn
