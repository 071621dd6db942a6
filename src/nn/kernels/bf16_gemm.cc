// bf16 packing, dispatch and the portable reference kernels (baseline x86-64 flags).
#include "kernels/bf16_gemm.h"

#include <algorithm>
#include <cstring>

#include "kernels/panel_args.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {

Bf16 float_to_bf16(float x) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  if ((bits & 0x7F800000u) == 0) return static_cast<Bf16>((bits >> 16) & 0x8000u);  // DAZ
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<Bf16>((bits >> 16) | 0x0040u);
  // Round to nearest, ties to even: add 0x7FFF plus the lowest kept bit, keep the top half.
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<Bf16>(bits >> 16);
}

float bf16_to_float(Bf16 x) {
  const std::uint32_t bits = static_cast<std::uint32_t>(x) << 16;
  float f = 0.0f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

std::size_t packed_bf16_size(int k, int n) {
  if (k <= 0 || n <= 0) return 0;
  return static_cast<std::size_t>((n + kBf16Panel - 1) / kBf16Panel) *
         static_cast<std::size_t>(bf16_padded_k(k)) * kBf16Panel;
}

namespace {

PackedBf16 layout(int k, int n, Bf16* out) {
  const int kp = bf16_padded_k(k);
  const PackedBf16 p{
      .k = k, .n = n, .kp = kp, .panels = out, .panel_stride = static_cast<long>(kp) * kBf16Panel};
  std::fill(out, out + packed_bf16_size(k, n), Bf16{0});
  return p;
}

// op(B) (k x n) into rows [row0, row0 + k) of p's panels.
void pack_block(const PackedBf16& p, int row0, Trans trans, int k, const float* b, int ldb,
                Bf16* out) {
  for (int j = 0; j < p.n; ++j) {
    Bf16* col = out + (j / kBf16Panel) * p.panel_stride + (j % kBf16Panel) * 2;
    for (int r = 0; r < k; ++r) {
      const float v = trans == Trans::kNo ? b[static_cast<std::ptrdiff_t>(r) * ldb + j]
                                          : b[static_cast<std::ptrdiff_t>(j) * ldb + r];
      const int row = row0 + r;
      col[(row / 2) * 2 * kBf16Panel + row % 2] = float_to_bf16(v);
    }
  }
}

}  // namespace

PackedBf16 pack_bf16_into(Trans trans, int k, int n, const float* b, int ldb, Bf16* out) {
  const PackedBf16 p = layout(k, n, out);
  pack_block(p, 0, trans, k, b, ldb, out);
  return p;
}

std::size_t packed_bf16_stacked_size(int k1, int k2, int n) {
  return packed_bf16_size(bf16_padded_k(k1) + k2, n);
}

PackedBf16 pack_bf16_stacked_into(int k1, int k2, int n, const float* w1, const float* w2,
                                  Bf16* out) {
  const PackedBf16 p = layout(bf16_padded_k(k1) + k2, n, out);
  pack_block(p, 0, Trans::kYes, k1, w1, k1, out);
  pack_block(p, bf16_padded_k(k1), Trans::kYes, k2, w2, k2, out);
  return p;
}

const Bf16Kernels& bf16_kernels() {
  static const Bf16Kernels& table = bf16_kernels_for(active_bf16_impl());
  return table;
}

void convert_rows_bf16(int m, int k, const float* a, long lda, Bf16* out, long ldo) {
  bf16_kernels().convert(
      {.m = m, .k = k, .kp = bf16_padded_k(k), .a = a, .lda = lda, .out = out, .ldo = ldo});
}

void gemm_bf16(int m, const Bf16* a, long lda, const PackedBf16& b, float beta, float* c, long ldc,
               int m_spare) {
  ZHSENTI_CHECK_INTERNAL(beta == 0.0f || beta == 1.0f);
  if (m == 0 || b.n == 0) return;
  auto g = panel_args<Bf16GemmArgs>(m, a, lda, b, c, ldc);
  g.kp = b.kp;
  g.beta = beta;
  g.m_spare = m_spare;
  bf16_kernels().gemm(g);
}

namespace {

void reference_convert(const Bf16ConvertArgs& a) {
  for (int r = 0; r < a.m; ++r) {
    const float* src = a.a + r * a.lda;
    Bf16* dst = a.out + r * a.ldo;
    for (int j = 0; j < a.k; ++j) dst[j] = float_to_bf16(src[j]);
    std::fill(dst + a.k, dst + a.kp, Bf16{0});
  }
}

// vdpbf16ps order: per pair, c += a_odd * b_odd, then c += a_even * b_even. A product of two
// bf16 values (8-bit significands) is exact in fp32, so each step rounds once, as a fused
// multiply-add does. The row of C is the accumulator and pairs are the outer loop: GCC 12 at
// -O3 vectorised the per-element form (pairs inner) into wrong sums.
void reference_gemm(const Bf16GemmArgs& g) {
  const int pairs = (g.k + 1) / 2;
  for (int r = 0; r < g.m; ++r) {
    const Bf16* ar = g.a + r * g.lda;
    float* cr = g.c + r * g.ldc;
    if (g.beta == 0.0f) std::fill(cr, cr + g.n, 0.0f);
    for (int p = 0; p < pairs; ++p) {
      const float odd = bf16_to_float(ar[2 * p + 1]), even = bf16_to_float(ar[2 * p]);
      for (int j = 0; j < g.n; ++j) {
        const Bf16* bp = g.panels + (j / kBf16Panel) * g.panel_stride + p * 2 * kBf16Panel +
                         (j % kBf16Panel) * 2;
        cr[j] += odd * bf16_to_float(bp[1]);
        cr[j] += even * bf16_to_float(bp[0]);
      }
    }
  }
}

constexpr Bf16Kernels kReference{Bf16Impl::kReference, &reference_convert, &reference_gemm};
constexpr Bf16Kernels kAvx512{Bf16Impl::kAvx512, &bf16_avx512_convert, &bf16_avx512_gemm};
// Conversion has nothing for tiles to do.
constexpr Bf16Kernels kAmx{Bf16Impl::kAmx, &bf16_avx512_convert, &bf16_amx_gemm};

}  // namespace

const Bf16Kernels& bf16_kernels_for(Bf16Impl impl) {
  ZHSENTI_CHECK_ARG(bf16_impl_supported(impl), "this CPU (or OS) does not support bf16 {}",
                    bf16_impl_name(impl));
  switch (impl) {
    case Bf16Impl::kAmx:
      return kAmx;
    case Bf16Impl::kAvx512:
      return kAvx512;
    case Bf16Impl::kReference:
      break;
  }
  return kReference;
}

}  // namespace zhsenti::nn
