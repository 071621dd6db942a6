// AVX512-BF16 build of the bf16 kernels (compiled with -mavx512bf16 and the AVX-512 flags).
// Like the other per-ISA files it calls no std:: inline function: the linker could hand
// this build's copy to a caller on a CPU without these instructions.
#include <immintrin.h>

#include "kernels/bf16_gemm.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace {
#include "zhsenti/nn/kernels/vec_avx512.inc"
}  // namespace

void bf16_avx512_convert(const Bf16ConvertArgs& a) {
  for (int r = 0; r < a.m; ++r) {
    const float* src = a.a + r * a.lda;
    Bf16* dst = a.out + r * a.ldo;
    // Lanes past k load as zero and so pad the row (kp is a multiple of 16).
    for (int j = 0; j < a.kp; j += 16) {
      const __m512 v = _mm512_maskz_loadu_ps(Vec::lanes(a.k - j), src + j);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j),
                          reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(v)));
    }
  }
}

namespace {

// vdpbf16ps for dot_tile_avx512.inc: a pair of bf16 per 32-bit group, so each zmm of B is
// one pair row of a panel; fp32 accumulators, C += beta C.
struct PairDot {
  using Args = Bf16GemmArgs;
  using Elem = Bf16;
  using Acc = __m512;
  static constexpr int kRows = 12;
  static constexpr int kGroup = 2;
  // MR * NP accumulators, NP B vectors and one broadcast A pair: <= 25 of the 32 registers.
  static constexpr int panels_per_tile(int mr) { return mr <= 2 ? 8 : mr <= 5 ? 4 : 2; }
  static Acc zero() { return _mm512_setzero_ps(); }
  static Acc dot(Acc acc, __m512i a, __m512i b) {
    return _mm512_dpbf16_ps(acc, reinterpret_cast<__m512bh>(a), reinterpret_cast<__m512bh>(b));
  }
  template <int MR, int NP>
  static void store(const Args& g, Acc (&acc)[MR][NP], int v, long, long, float* c, long ldc,
                    __mmask16 mask) {
    const float beta = g.beta;
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      float* cr = c + r * ldc + 16 * v;
      if (beta != 0.0f) acc[r][v] = _mm512_add_ps(acc[r][v], _mm512_maskz_loadu_ps(mask, cr));
      _mm512_mask_storeu_ps(cr, mask, acc[r][v]);
    }
  }
};

#include "kernels/dot_tile_avx512.inc"
static_assert(DotTile<PairDot>::kPanel == kBf16Panel);

}  // namespace

void bf16_avx512_gemm(const Bf16GemmArgs& g) { tile_driver::gemm<DotTile<PairDot>, false>(g); }

}  // namespace zhsenti::nn
