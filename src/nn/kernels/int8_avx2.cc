// AVX2 build of the int8 kernels (compiled with -mavx2 -mfma), for CPUs without AVX-512
// VNNI. vpmaddubsw would saturate its 16-bit sums, so the bytes are widened to 16 bits and
// multiplied by vpmaddwd, whose 32-bit sums are exact. Like the other per-ISA files it calls
// no std:: inline function.
#include <immintrin.h>

#include "kernels/int8_gemm.h"
#include "kernels/tile_driver.h"

namespace zhsenti::nn {
namespace {

#include "zhsenti/nn/kernels/vec_avx2.inc"

// 32 floats times inv, rounded to nearest even, into 32 bytes in order.
void quantize32(const float* src, float inv, std::int8_t* dst) {
  const __m256 vinv = _mm256_set1_ps(inv);
  __m256i q[4];
  for (int i = 0; i < 4; ++i)
    q[i] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(src + 8 * i), vinv));
  // packs interleave 128-bit lanes: dwords come out as q0a q1a q2a q3a q0b q1b q2b q3b.
  const __m256i bytes =
      _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_permutevar8x32_epi32(bytes, order));
}

}  // namespace

void i8_avx2_quantize(const I8QuantizeArgs& g) {
  quantize_each_row<Vec>(g, [&g](const float* src, float inv, std::int8_t* dst) {
    int j = 0;
    for (; j + 32 <= g.k; j += 32) quantize32(src + j, inv, dst + j);
    if (j < g.kp) {
      // The tail through a zero-padded copy; the padding quantises to zero.
      alignas(32) float tail[32];
      alignas(32) std::int8_t out[32];
      for (int i = 0; i < 32; ++i) tail[i] = j + i < g.k ? src[j + i] : 0.0f;
      quantize32(tail, inv, out);
      for (int i = 0; i < 32 && j + i < g.kp; ++i) dst[j + i] = out[i];
    }
  });
}

namespace {

// The register tile of tile_driver.h: rows [0, MR) against one 16-column panel, four
// accumulators per row (one per four columns: lanes hold each column's two pair sums).
struct GemmTile {
  using Args = I8GemmArgs;
  static constexpr int kRows = 2;
  static constexpr int kPanel = kI8Panel;
  static constexpr int panels_per_tile(int) { return 1; }

  template <int MR, int NP, bool ATrans>
  static void tile(const Args& g, const std::int8_t* a, const std::int8_t* b, float* c, int cols) {
    static_assert(!ATrans && NP == 1);
    const int quads = (g.k + 3) / 4;
    const long lda = g.lda, ldc = g.ldc;
    const long row0 = (a - g.a) / lda;
    const long col0 = (b - g.panels) / g.panel_stride * kPanel;
    __m256i acc[MR][4];
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) acc[r][i] = _mm256_setzero_si256();
    }
    for (int q = 0; q < quads; ++q) {
      __m256i bw[4];
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) {
        bw[i] = _mm256_cvtepi8_epi16(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + q * 64 + 16 * i)));
      }
#pragma GCC unroll 4
      for (int r = 0; r < MR; ++r) {
        int quad = 0;
        __builtin_memcpy(&quad, a + r * lda + 4 * q, sizeof quad);
        const __m256i aw = _mm256_broadcastq_epi64(_mm_cvtepi8_epi16(_mm_cvtsi32_si128(quad)));
#pragma GCC unroll 4
        for (int i = 0; i < 4; ++i)
          acc[r][i] = _mm256_add_epi32(acc[r][i], _mm256_madd_epi16(aw, bw[i]));
      }
    }
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
      const __m256i mask = Vec::lanes(cols - 8 * h);
      const __m256 b_scale = _mm256_maskload_ps(g.b_scales + col0 + 8 * h, mask);
#pragma GCC unroll 4
      for (int r = 0; r < MR; ++r) {
        // hadd gives columns 0 1 4 5 | 2 3 6 7 of the eight; the permute puts them in order.
        const __m256i sums =
            _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][2 * h], acc[r][2 * h + 1]), 0xD8);
        const __m256 scale = _mm256_mul_ps(_mm256_set1_ps(g.a_scales[row0 + r]), b_scale);
        _mm256_maskstore_ps(c + r * ldc + 8 * h, mask,
                            _mm256_mul_ps(_mm256_cvtepi32_ps(sums), scale));
      }
    }
  }
};

}  // namespace

void i8_avx2_gemm(const I8GemmArgs& g) { tile_driver::gemm<GemmTile, false>(g); }

}  // namespace zhsenti::nn
