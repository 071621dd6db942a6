// AVX-512 build of the kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
#include <immintrin.h>

#include <cstddef>

#include "kernels/kernel_table.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace avx512 {
namespace {

constexpr Isa kIsa = Isa::kAvx512;
#include "kernels/lane_ops.inc"

__mmask16 lanes(int count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << (count > 0 ? count : 0)) - 1u);
}

// Panel GEMM tile: MR rows x NP panels of 32 columns (2 * MR * NP accumulators, 2 * NP B
// vectors, one broadcast; at most 27 of the 32 registers). Few rows take several panels at
// once so enough independent FMA chains hide the FMA latency. B loads and C accesses are
// masked to the valid columns of the last panel.
struct GemmTile {
  using Args = PackedGemmArgs;
  static constexpr int kRows = 12;
  static constexpr int kPanel = 32;
  // Registers: 2 MR NP + 2 NP + 1 <= 32.
  static constexpr int panels_per_tile(int mr) { return mr <= 2 ? 4 : mr <= 5 ? 2 : 1; }

  template <int MR, int NP, bool ATrans>
  static void tile(const Args& g, const float* a, const float* b, float* c, int cols) {
    const int k = g.k;
    const long lda = g.lda, ldc = g.ldc, b_row = g.row_stride, b_panel = g.panel_stride;
    const float beta = g.beta;
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
};

constexpr int kGemmPanel = GemmTile::kPanel;
constexpr void (*kGemmPacked)(const PackedGemmArgs&) = &tile_driver::gemm_packed<GemmTile>;

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
