// AVX2 + FMA build of the kernels (this file is compiled with -mavx2 -mfma).
#include <immintrin.h>

#include <cstddef>

#include "kernels/kernel_table.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace avx2 {
namespace {

constexpr Isa kIsa = Isa::kAvx2;
#include "zhsenti/nn/kernels/vec_avx2.inc"
#include "zhsenti/nn/kernels/vec_lane.inc"

// Panel GEMM tile: 6 x 16 (12 accumulators, two B vectors, one broadcast); partial panels
// use masked B loads and C accesses.
struct GemmTile {
  using Args = PackedGemmArgs;
  static constexpr int kRows = 6;
  static constexpr int kPanel = 16;
  static constexpr int panels_per_tile(int) { return 1; }

  template <int MR, int NP, bool ATrans>
  static void tile(const Args& g, const float* a, const float* b, float* c, int cols) {
    static_assert(NP == 1);
    if (cols >= kPanel) {
      panel<MR, ATrans, true>(g, a, b, c, cols);
    } else {
      panel<MR, ATrans, false>(g, a, b, c, cols);
    }
  }

  // Full: all 16 columns valid, B loads unmasked.
  template <int MR, bool ATrans, bool Full>
  static void panel(const Args& g, const float* a, const float* b, float* c, int cols) {
    const int k = g.k;
    const long lda = g.lda, ldc = g.ldc, b_row = g.row_stride;
    const float beta = g.beta;
    const __m256i m0 = Vec::lanes(cols), m1 = Vec::lanes(cols - 8);
    __m256 acc0[MR], acc1[MR];
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      acc0[r] = _mm256_setzero_ps();
      acc1[r] = _mm256_setzero_ps();
    }
    for (int p = 0; p < k; ++p) {
      const float* bp = b + p * b_row;
      const __m256 b0 = Full ? _mm256_loadu_ps(bp) : _mm256_maskload_ps(bp, m0);
      const __m256 b1 = Full ? _mm256_loadu_ps(bp + 8) : _mm256_maskload_ps(bp + 8, m1);
#pragma GCC unroll 8
      for (int r = 0; r < MR; ++r) {
        const __m256 av = _mm256_broadcast_ss(ATrans ? a + p * lda + r : a + r * lda + p);
        acc0[r] = _mm256_fmadd_ps(av, b0, acc0[r]);
        acc1[r] = _mm256_fmadd_ps(av, b1, acc1[r]);
      }
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      float* cr = c + r * ldc;
      if (beta != 0.0f) {
        acc0[r] = _mm256_add_ps(acc0[r], _mm256_maskload_ps(cr, m0));
        acc1[r] = _mm256_add_ps(acc1[r], _mm256_maskload_ps(cr + 8, m1));
      }
      _mm256_maskstore_ps(cr, m0, acc0[r]);
      _mm256_maskstore_ps(cr + 8, m1, acc1[r]);
    }
  }
};

constexpr int kGemmPanel = GemmTile::kPanel;
constexpr void (*kGemmPacked)(const PackedGemmArgs&) = &tile_driver::gemm_packed<GemmTile>;

#include "kernels/kernels_impl.inc"

}  // namespace
}  // namespace avx2

const KernelTable& avx2_kernel_table() { return avx2::table(); }

}  // namespace zhsenti::nn
