// AVX-512 build of the kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
#include <immintrin.h>

#include <cstddef>

#include "kernels/kernel_table.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace avx512 {
namespace {

constexpr Isa kIsa = Isa::kAvx512;
#include "zhsenti/nn/kernels/vec_avx512.inc"
#include "zhsenti/nn/kernels/vec_lane.inc"

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
    for (int v = 0; v < 2 * NP; ++v) mask[v] = Vec::lanes(cols - 16 * v);
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

#include "kernels/kernels_impl.inc"

}  // namespace
}  // namespace avx512

const KernelTable& avx512_kernel_table() { return avx512::table(); }

}  // namespace zhsenti::nn
