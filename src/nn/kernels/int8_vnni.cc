// AVX-512 VNNI build of the int8 kernels (compiled with -mavx512vnni and the AVX-512 flags).
// Like the other per-ISA files it calls no std:: inline function: the linker could hand
// this build's copy to a caller on a CPU without these instructions.
#include <immintrin.h>

#include "kernels/int8_gemm.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace {
#include "zhsenti/nn/kernels/vec_avx512.inc"
}  // namespace

void i8_vnni_quantize(const I8QuantizeArgs& g) {
  // q + 128 as uint8 (I8Kernels::a_offset): the sign bit flipped. Lanes past k load as zero
  // and so pad the row (kp is a multiple of 16).
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
  quantize_each_row<Vec>(g, [&g, flip](const float* src, float inv, std::int8_t* dst) {
    const __m512 vinv = _mm512_set1_ps(inv);
    for (int j = 0; j < g.kp; j += 16) {
      const __m512 v = _mm512_mul_ps(Vec::load_masked(src + j, Vec::lanes(g.k - j)), vinv);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + j),
                       _mm_xor_si128(_mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(v)), flip));
    }
  });
}

namespace {

// vpdpbusd for dot_tile_avx512.inc: a quad of bytes per 32-bit group, so each zmm of B is one
// quad row of a panel. A holds q + 128 (unsigned bytes for vpdpbusd), corrected by 128
// col_sums when the int32 sums are scaled into C.
struct QuadDot {
  using Args = I8GemmArgs;
  using Elem = std::int8_t;
  using Acc = __m512i;
  // Fewer rows than the bf16 tile's 12: with 12 x 2 int32 accumulators GCC 12 copied and
  // spilled them around every vpdpbusd (measured: the int8 products ran slower than bf16).
  static constexpr int kRows = 8;
  static constexpr int kGroup = 4;
  // MR * NP accumulators, NP B vectors and one broadcast A quad: <= 27 of the 32 registers.
  static constexpr int panels_per_tile(int mr) { return mr <= 2 ? 8 : mr <= 4 ? 4 : 2; }
  static Acc zero() { return _mm512_setzero_si512(); }
  static Acc dot(Acc acc, __m512i a, __m512i b) { return _mm512_dpbusd_epi32(acc, a, b); }
  template <int MR, int NP>
  static void store(const Args& g, Acc (&acc)[MR][NP], int v, long row0, long col, float* c,
                    long ldc, __mmask16 mask) {
    const __m512i offset = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(mask, g.col_sums + col), 7);
    const __m512 b_scale = _mm512_maskz_loadu_ps(mask, g.b_scales + col);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m512 sum = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][v], offset));
      const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(g.a_scales[row0 + r]), b_scale);
      _mm512_mask_storeu_ps(c + r * ldc + 16 * v, mask, _mm512_mul_ps(sum, scale));
    }
  }
};

#include "kernels/dot_tile_avx512.inc"
static_assert(DotTile<QuadDot>::kPanel == kI8Panel);

}  // namespace

void i8_vnni_gemm(const I8GemmArgs& g) { tile_driver::gemm<DotTile<QuadDot>, false>(g); }

}  // namespace zhsenti::nn
