#pragma once
// How the recurrent driver spreads work over a workspace's pool: whole tasks (directions,
// row groups) or blocks of rows of one product.

#include <algorithm>
#include <cstddef>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

// Runs fn(0..n-1), on the workspace's pool when it has one.
template <typename Fn>
void run_parallel(Workspace& ws, int n, const Fn& fn) {
  ThreadPool* pool = ws.pool();
  if (pool == nullptr || n <= 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  pool->parallel_for(static_cast<std::size_t>(n), 1,
                     [&fn](std::size_t begin, std::size_t end, std::size_t) {
                       for (std::size_t i = begin; i < end; ++i) fn(static_cast<int>(i));
                     });
}

// Runs fn(first_row, rows) over [0, m) in one block per pool thread (whole 48-row units,
// which every micro-kernel tile height divides), or in one call without a pool.
template <typename Fn>
void for_row_blocks(ThreadPool* pool, int m, const Fn& fn) {
  const int parts = pool == nullptr ? 1 : static_cast<int>(pool->size());
  if (parts <= 1 || m < 96) {
    fn(0, m);
    return;
  }
  const int block = ((m + parts - 1) / parts + 47) / 48 * 48;
  pool->parallel_for(static_cast<std::size_t>((m + block - 1) / block), 1,
                     [&fn, block, m](std::size_t begin, std::size_t end, std::size_t) {
                       for (std::size_t b = begin; b < end; ++b) {
                         const int r0 = static_cast<int>(b) * block;
                         fn(r0, std::min(block, m - r0));
                       }
                     });
}

}  // namespace zhsenti::nn
