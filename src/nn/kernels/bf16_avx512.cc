// AVX512-BF16 build of the bf16 kernels (compiled with -mavx512bf16 and the AVX-512 flags).
// Like the other per-ISA files it calls no std:: inline function: the linker could hand
// this build's copy to a caller on a CPU without these instructions.
#include <immintrin.h>

#include "kernels/bf16_gemm.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace bf16_avx512 {
namespace {

__mmask16 lanes(int count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << (count > 0 ? count : 0)) - 1u);
}

void convert(const Bf16ConvertArgs& a) {
  for (int r = 0; r < a.m; ++r) {
    const float* src = a.a + r * a.lda;
    Bf16* dst = a.out + r * a.ldo;
    // Lanes past k load as zero and so pad the row (kp is a multiple of 16).
    for (int j = 0; j < a.kp; j += 16) {
      const __m512 v = _mm512_maskz_loadu_ps(lanes(a.k - j), src + j);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j),
                          reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(v)));
    }
  }
}

// The register tile of tile_driver.h: rows [0, MR) against panels [0, NP), MR * NP
// accumulators, NP B vectors and one broadcast A pair (<= 25 of the 32 registers). Each zmm
// of B is one pair row of a panel.
struct GemmTile {
  using Args = Bf16GemmArgs;
  static constexpr int kRows = 12;
  static constexpr int kPanel = kBf16Panel;
  // Enough independent accumulators to hide vdpbf16ps latency.
  static constexpr int panels_per_tile(int mr) { return mr <= 2 ? 8 : mr <= 5 ? 4 : 2; }

  template <int MR, int NP, bool ATrans>
  static void tile(const Args& g, const Bf16* a, const Bf16* b, float* c, int cols) {
    static_assert(!ATrans);
    const int pairs = (g.k + 1) / 2;
    const long lda = g.lda, ldc = g.ldc, b_panel = g.panel_stride;
    const float beta = g.beta;
    __m512 acc[MR][NP];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 8
      for (int v = 0; v < NP; ++v) acc[r][v] = _mm512_setzero_ps();
    }
    for (int p = 0; p < pairs; ++p) {
      __m512i bv[NP];
#pragma GCC unroll 8
      for (int v = 0; v < NP; ++v) bv[v] = _mm512_loadu_si512(b + v * b_panel + p * 32);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        unsigned pair = 0;
        __builtin_memcpy(&pair, a + r * lda + 2 * p, sizeof pair);
        const __m512i av = _mm512_set1_epi32(static_cast<int>(pair));
#pragma GCC unroll 8
        for (int v = 0; v < NP; ++v) {
          acc[r][v] = _mm512_dpbf16_ps(acc[r][v], reinterpret_cast<__m512bh>(av),
                                       reinterpret_cast<__m512bh>(bv[v]));
        }
      }
    }
#pragma GCC unroll 8
    for (int v = 0; v < NP; ++v) {
      const __mmask16 mask = lanes(cols - 16 * v);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        float* cr = c + r * ldc + 16 * v;
        if (beta != 0.0f) acc[r][v] = _mm512_add_ps(acc[r][v], _mm512_maskz_loadu_ps(mask, cr));
        _mm512_mask_storeu_ps(cr, mask, acc[r][v]);
      }
    }
  }
};

void gemm(const Bf16GemmArgs& g) { tile_driver::gemm<GemmTile, false>(g); }

}  // namespace
}  // namespace bf16_avx512

const Bf16Kernels& bf16_avx512_kernels() {
  static const Bf16Kernels table{Bf16Impl::kAvx512, &bf16_avx512::convert, &bf16_avx512::gemm};
  return table;
}

}  // namespace zhsenti::nn
