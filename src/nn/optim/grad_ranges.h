#pragma once
// Iteration over the parts of the parameter arena an optimiser must visit (private).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "zhsenti/core/thread_pool.h"

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

// Calls fn(offset, count) over [offset, offset + count) in chunks spread over the pool
// when the range is large enough to be worth it (chunks start on 64-byte boundaries).
template <typename Fn>
void for_chunks(ThreadPool* pool, std::size_t offset, std::size_t count, Fn&& fn) {
  constexpr std::size_t kMinParallel = std::size_t{1} << 16;
  const std::size_t parts = pool == nullptr ? 1 : pool->size();
  if (parts <= 1 || count < kMinParallel) {
    fn(offset, count);
    return;
  }
  const std::size_t chunk = ((count + parts - 1) / parts + 15) / 16 * 16;
  pool->parallel_for((count + chunk - 1) / chunk, 1,
                     [&fn, offset, count, chunk](std::size_t begin, std::size_t end, std::size_t) {
                       for (std::size_t c = begin; c < end; ++c) {
                         const std::size_t start = c * chunk;
                         fn(offset + start, std::min(chunk, count - start));
                       }
                     });
}

}  // namespace zhsenti::nn
