// AVX-512 build of the kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
#include <immintrin.h>

#include <cstddef>
#include <utility>

#include "kernels/kernel_table.h"

namespace zhsenti::nn {
namespace avx512 {
namespace {

constexpr Isa kIsa = Isa::kAvx512;
#include "kernels/lane_ops.inc"

// --- Panel GEMM: tiles of MR rows x NP panels of 32 columns (2 * MR * NP accumulators,
// 2 * NP B vectors, one broadcast; at most 27 of the 32 registers). Few rows take several
// panels at once so enough independent FMA chains hide the FMA latency. B loads and C
// accesses are masked to the valid columns of the last panel. ---
constexpr int kGemmPanel = 32;
constexpr int kGemmRows = 12;

__mmask16 lanes(int count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << (count > 0 ? count : 0)) - 1u);
}

template <int MR, int NP, bool ATrans>
inline void gemm_tile(int k, const float* a, long lda, const float* b, long b_row, long b_panel,
                      float beta, float* c, long ldc, int cols) {
  __mmask16 mask[2 * NP];
#pragma GCC unroll 8
  for (int v = 0; v < 2 * NP; ++v) mask[v] = lanes(cols - 16 * v);
  __m512 acc[MR][2 * NP];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < 2 * NP; ++v) acc[r][v] = _mm512_setzero_ps();
  }
  for (int p = 0; p < k; ++p) {
    __m512 bv[2 * NP];
#pragma GCC unroll 8
    for (int v = 0; v < 2 * NP; ++v) {
      bv[v] = _mm512_maskz_loadu_ps(mask[v], b + (v / 2) * b_panel + p * b_row + 16 * (v % 2));
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m512 av = _mm512_set1_ps(ATrans ? a[p * lda + r] : a[r * lda + p]);
#pragma GCC unroll 8
      for (int v = 0; v < 2 * NP; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    float* cr = c + r * ldc;
#pragma GCC unroll 8
    for (int v = 0; v < 2 * NP; ++v) {
      if (beta != 0.0f)
        acc[r][v] = _mm512_add_ps(acc[r][v], _mm512_maskz_loadu_ps(mask[v], cr + 16 * v));
      _mm512_mask_storeu_ps(cr + 16 * v, mask[v], acc[r][v]);
    }
  }
}

// Panels processed together for a tile of MR rows (registers: 2 MR NP + 2 NP + 1 <= 32).
constexpr int panels_per_tile(int mr) { return mr <= 2 ? 4 : mr <= 5 ? 2 : 1; }

// Rows [i, i + MR) of C against every panel: the A rows stay in L1, B streams from L2.
template <int MR, bool ATrans>
void gemm_rows(const PackedGemmArgs& g, int i) {
  constexpr int kNp = panels_per_tile(MR);
  const float* a = ATrans ? g.a + i : g.a + i * g.lda;
  float* c = g.c + i * g.ldc;
  const int panels = (g.n + kGemmPanel - 1) / kGemmPanel;
  int q = 0;
  for (; q + kNp <= panels; q += kNp) {
    gemm_tile<MR, kNp, ATrans>(g.k, a, g.lda, g.panels + q * g.panel_stride, g.row_stride,
                               g.panel_stride, g.beta, c + q * kGemmPanel, g.ldc,
                               g.n - q * kGemmPanel);
  }
  for (; q < panels; ++q) {
    gemm_tile<MR, 1, ATrans>(g.k, a, g.lda, g.panels + q * g.panel_stride, g.row_stride,
                             g.panel_stride, g.beta, c + q * kGemmPanel, g.ldc,
                             g.n - q * kGemmPanel);
  }
}

template <bool ATrans, int... MR>
void gemm_rest(const PackedGemmArgs& g, int i, int rest, std::integer_sequence<int, MR...>) {
  ((rest == MR + 1 ? gemm_rows<MR + 1, ATrans>(g, i) : void()), ...);
}

template <bool ATrans>
void gemm_all(const PackedGemmArgs& g) {
  int i = 0;
  for (; i + kGemmRows <= g.m; i += kGemmRows) gemm_rows<kGemmRows, ATrans>(g, i);
  if (i < g.m) {
    gemm_rest<ATrans>(g, i, g.m - i, std::make_integer_sequence<int, kGemmRows - 1>());
  }
}

void gemm_packed(const PackedGemmArgs& g) {
  if (g.a_trans) {
    gemm_all<true>(g);
  } else {
    gemm_all<false>(g);
  }
}

constexpr void (*kGemmPacked)(const PackedGemmArgs&) = &gemm_packed;

struct Vec {
  using V = __m512;
  static constexpr int kWidth = 16;
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  // 1 / a: 14-bit estimate and one Newton step (~1 ulp), a third of a division's cost.
  static V recip(V a) {
    const V r = _mm512_rcp14_ps(a);
    return _mm512_fmadd_ps(r, _mm512_fnmadd_ps(a, r, _mm512_set1_ps(1.0f)), r);
  }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V fnma(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V sqrt(V a) { return _mm512_sqrt_ps(a); }
  static V abs(V a) { return _mm512_abs_ps(a); }
  static V round(V a) {
    return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static V copysign(V mag, V sign) {
    const V mask = _mm512_set1_ps(-0.0f);
    return _mm512_or_ps(_mm512_andnot_ps(mask, mag), _mm512_and_ps(mask, sign));
  }
  static V select_lt(V a, V b, V x, V y) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x);
  }
  static V pow2n(V p, V n) { return _mm512_scalef_ps(p, n); }
};

#include "kernels/kernels_impl.inc"

}  // namespace
}  // namespace avx512

const KernelTable& avx512_kernel_table() { return avx512::table(); }

}  // namespace zhsenti::nn
