#pragma once
// The walk over C shared by the register-tiled GEMM kernels (fp32: kernels_avx2.cc,
// kernels_avx512.cc; bf16 and int8: dot_tile_avx512.inc, int8_avx2.cc): blocks of T::kRows
// rows, the last shorter block by a tile of its own height (so every tile height is a
// compile-time constant and its accumulators stay in registers), and in each block the
// column panels, T::panels_per_tile of them at once and single panels for the rest. A row
// block's A rows stay in L1 while B streams from L2.
//
// T is the ISA's register tile, a type in that file's anonymous namespace: every
// instantiation is then the file's own, compiled with its target flags, and never shared
// by name with another ISA's build. It defines
//   Args                   the kernel's arguments: m, n, a, lda, panels, panel_stride, c, ldc
//   kRows, kPanel          rows of a full tile, columns of a panel
//   panels_per_tile(mr)    panels a tile of mr rows takes at once
//   tile<MR, NP, ATrans>(g, a, b, c, cols)
//                          C rows [0, MR) x panels [0, NP): A from a (a column per C row
//                          when ATrans), B panels from b, C from c, cols columns of C left

#include <utility>

namespace zhsenti::nn::tile_driver {

template <class T, int MR, bool ATrans>
void row_block(const typename T::Args& g, int i) {
  constexpr int kNp = T::panels_per_tile(MR);
  const auto* a = ATrans ? g.a + i : g.a + i * g.lda;
  float* c = g.c + i * g.ldc;
  const int panels = (g.n + T::kPanel - 1) / T::kPanel;
  int q = 0;
  for (; q + kNp <= panels; q += kNp) {
    T::template tile<MR, kNp, ATrans>(g, a, g.panels + q * g.panel_stride, c + q * T::kPanel,
                                      g.n - q * T::kPanel);
  }
  if constexpr (kNp > 1) {
    for (; q < panels; ++q) {
      T::template tile<MR, 1, ATrans>(g, a, g.panels + q * g.panel_stride, c + q * T::kPanel,
                                      g.n - q * T::kPanel);
    }
  }
}

template <class T, bool ATrans, int... MR>
void last_block(const typename T::Args& g, int i, int rows, std::integer_sequence<int, MR...>) {
  ((rows == MR + 1 ? row_block<T, MR + 1, ATrans>(g, i) : void()), ...);
}

template <class T, bool ATrans>
void gemm(const typename T::Args& g) {
  int i = 0;
  for (; i + T::kRows <= g.m; i += T::kRows) row_block<T, T::kRows, ATrans>(g, i);
  if (i < g.m) {
    last_block<T, ATrans>(g, i, g.m - i, std::make_integer_sequence<int, T::kRows - 1>());
  }
}

// The fp32 entry of a KernelTable (PackedGemmArgs: A read as rows or, a_trans, as columns).
template <class T>
void gemm_packed(const typename T::Args& g) {
  if (g.a_trans) {
    gemm<T, true>(g);
  } else {
    gemm<T, false>(g);
  }
}

}  // namespace zhsenti::nn::tile_driver
