// bf16 inference kernels: the scalar reference's rounding, the packing, and every bf16
// implementation this CPU has (AVX512-BF16, AMX) against the reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/bf16_gemm.h"
#include "zhsenti/core/error.h"
#include "zhsenti/nn/kernels/precision.h"

namespace zhsenti::nn {
namespace {

float from_bits(std::uint32_t bits) {
  float f = 0;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

std::vector<float> random_floats(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

std::vector<Bf16Impl> supported_impls() {
  std::vector<Bf16Impl> out;
  for (const Bf16Impl impl : {Bf16Impl::kReference, Bf16Impl::kAvx512, Bf16Impl::kAmx}) {
    if (bf16_impl_supported(impl)) out.push_back(impl);
  }
  return out;
}

TEST(Bf16, RoundsToNearestEvenFlushesDenormalsKeepsNan) {
  auto round = [](std::uint32_t bits) { return float_to_bf16(from_bits(bits)); };
  EXPECT_EQ(round(0x3F800000u), 0x3F80);  // 1
  EXPECT_EQ(round(0x3F807FFFu), 0x3F80);  // below the half
  EXPECT_EQ(round(0x3F808000u), 0x3F80);  // tie, kept bit even: down
  EXPECT_EQ(round(0x3F818000u), 0x3F82);  // tie, kept bit odd: up
  EXPECT_EQ(round(0x3F808001u), 0x3F81);  // above the half
  EXPECT_EQ(round(0xBF818000u), 0xBF82);  // sign-magnitude: same for negatives
  EXPECT_EQ(round(0x3FFFFFFFu), 0x4000);  // the carry moves into the exponent
  EXPECT_EQ(round(0x7F7FFFFFu), 0x7F80);  // the largest float rounds to infinity
  EXPECT_EQ(round(0x00000001u), 0x0000);  // denormals are zero, keeping the sign
  EXPECT_EQ(round(0x807FFFFFu), 0x8000);
  EXPECT_EQ(round(0x00800000u), 0x0080);  // the smallest normal stays
  EXPECT_EQ(round(0x7F800000u), 0x7F80);
  EXPECT_EQ(round(0xFF800000u), 0xFF80);
  EXPECT_TRUE(std::isnan(bf16_to_float(round(0x7F800001u))));  // a NaN never becomes inf
  EXPECT_TRUE(std::isnan(bf16_to_float(round(0xFFC00000u))));
  for (const float x : random_floats(1000, 1)) {
    const float y = bf16_to_float(float_to_bf16(x));
    EXPECT_LE(std::abs(y - x), std::abs(x) * 0x1p-8f) << x;  // unit roundoff of 8 bits
  }
}

TEST(Bf16, PackingLaysOutVnniPairsInZeroPaddedPanels) {
  const int k = 3, n = 18;
  // op(B) = W^T with W (n x k): B(p, j) = W[j][p] = j + 16 p (integers below 256 are exact).
  std::vector<float> w(static_cast<std::size_t>(n) * k);
  for (int j = 0; j < n; ++j) {
    for (int p = 0; p < k; ++p)
      w[static_cast<std::size_t>(j * k + p)] = static_cast<float>(j + 16 * p);
  }
  std::vector<Bf16> out(packed_bf16_size(k, n), 0xFFFF);
  const PackedBf16 b = pack_bf16_into(Trans::kYes, k, n, w.data(), k, out.data());
  EXPECT_EQ(b.kp, 32);
  EXPECT_EQ(b.panel_stride, 32 * 16);
  ASSERT_EQ(out.size(), 2u * 32 * 16);
  for (int j = 0; j < 32; ++j) {
    for (int p = 0; p < 32; ++p) {
      const Bf16 got = out[static_cast<std::size_t>((j / 16) * b.panel_stride + (p / 2) * 32 +
                                                    (j % 16) * 2 + p % 2)];
      const float want = j < n && p < k ? static_cast<float>(j + 16 * p) : 0.0f;
      EXPECT_EQ(bf16_to_float(got), want) << "row " << p << " column " << j;
    }
  }
}

TEST(Bf16, EveryImplementationConvertsBitForBitLikeTheReference) {
  const int m = 5, k = 37, kp = bf16_padded_k(k), lda = 41, ldo = kp + 16;
  auto a = random_floats(static_cast<std::size_t>(m) * lda, 2);
  a[3] = from_bits(0x3F818000u);  // a tie
  a[4] = from_bits(0x00000007u);  // a denormal
  a[5] = from_bits(0x7F7FFFFFu);
  a[6] = -0.0f;
  a[7] = 1e-40f;
  for (const Bf16Impl impl : supported_impls()) {
    std::vector<Bf16> want(static_cast<std::size_t>(m) * ldo, 0xABCD), got = want;
    Bf16ConvertArgs args{m, k, kp, a.data(), lda, want.data(), ldo};
    bf16_kernels_for(Bf16Impl::kReference).convert(args);
    args.out = got.data();
    bf16_kernels_for(impl).convert(args);
    for (int r = 0; r < m; ++r) {
      for (int j = 0; j < kp; ++j) {
        const std::size_t i = static_cast<std::size_t>(r * ldo + j);
        ASSERT_EQ(got[i], want[i]) << bf16_impl_name(impl) << " row " << r << " column " << j;
        if (j >= k) {
          ASSERT_EQ(got[i], 0) << "padding";
        }
      }
    }
  }
}

struct Case {
  int m, k, n;
};

// Every implementation against the reference, and the reference against a double-precision
// product of the rounded inputs. Only the order of fp32 additions may differ, so the bound
// is a few fp32 ulps of sum |a b|, far below bf16's own rounding (2^-8).
TEST(Bf16, EveryImplementationMatchesTheReferenceForAllShapes) {
  // Row counts around the 12-row AVX-512 tiles and the 16- and 32-row AMX blocks; column
  // counts with and without a partial 16-column panel; k with and without padding.
  const std::vector<Case> cases = {{1, 128, 512},  {3, 64, 96},   {12, 40, 24},  {15, 7, 16},
                                   {16, 128, 512}, {17, 96, 100}, {31, 40, 24},  {32, 64, 48},
                                   {33, 128, 512}, {50, 7, 16},   {64, 128, 512}};
  for (const Case& t : cases) {
    // Rows past m (up to `cap`) are NaN in A: with m_spare they may be computed, never used.
    const int kp = bf16_padded_k(t.k), lda = kp + 32, ldc = t.n + 5, cap = (t.m + 31) / 16 * 16;
    const auto af = random_floats(static_cast<std::size_t>(t.m) * t.k, 3);
    const auto w = random_floats(static_cast<std::size_t>(t.n) * t.k, 4);  // W (n x k)
    std::vector<Bf16> a(static_cast<std::size_t>(cap) * lda, 0x7FC0);      // NaN past kp
    convert_rows_bf16(t.m, t.k, af.data(), t.k, a.data(), lda);
    std::vector<Bf16> packed(packed_bf16_size(t.k, t.n));
    const PackedBf16 b = pack_bf16_into(Trans::kYes, t.k, t.n, w.data(), t.k, packed.data());
    // The product of the rounded inputs in double, and sum |a b| for the error bound.
    const auto c0 = random_floats(static_cast<std::size_t>(cap) * ldc, 5);
    std::vector<double> exact(c0.size(), 0.0), magnitude(c0.size(), 0.0);
    for (int r = 0; r < t.m; ++r) {
      for (int j = 0; j < t.n; ++j) {
        const std::size_t i = static_cast<std::size_t>(r * ldc + j);
        for (int p = 0; p < t.k; ++p) {
          const double x = bf16_to_float(a[static_cast<std::size_t>(r * lda + p)]);
          const double y = bf16_to_float(float_to_bf16(w[static_cast<std::size_t>(j * t.k + p)]));
          exact[i] += x * y;
          magnitude[i] += std::abs(x * y);
        }
      }
    }
    for (const float beta : {0.0f, 1.0f}) {
      auto want = c0;
      Bf16GemmArgs g{t.m,  t.n,         t.k, b.kp, a.data(), lda, b.panels, b.panel_stride,
                     beta, want.data(), ldc};
      bf16_kernels_for(Bf16Impl::kReference).gemm(g);
      std::vector<double> bound(want.size(), 0.0);
      for (int r = 0; r < t.m; ++r) {
        for (int j = 0; j < t.n; ++j) {
          const std::size_t i = static_cast<std::size_t>(r * ldc + j);
          const double c = beta != 0.0f ? c0[i] : 0.0;
          bound[i] = 4e-7 * (t.k + 2) * (magnitude[i] + std::abs(c)) + 1e-30;
          ASSERT_NEAR(want[i], exact[i] + c, bound[i]) << "reference m=" << t.m << " k=" << t.k;
        }
      }
      for (const Bf16Impl impl : supported_impls()) {
        for (const int spare : {0, cap - t.m}) {
          auto got = c0;
          g.c = got.data();
          g.m_spare = spare;
          bf16_kernels_for(impl).gemm(g);
          for (int r = 0; r < (spare == 0 ? cap : t.m); ++r) {
            for (int j = 0; j < ldc; ++j) {
              const std::size_t i = static_cast<std::size_t>(r * ldc + j);
              if (r >= t.m || j >= t.n) {
                ASSERT_EQ(got[i], c0[i]) << bf16_impl_name(impl) << " wrote outside C";
                continue;
              }
              ASSERT_NEAR(got[i], want[i], 2 * bound[i])
                  << bf16_impl_name(impl) << " m=" << t.m << " k=" << t.k << " n=" << t.n
                  << " beta=" << beta << " spare=" << spare << " row " << r << " column " << j;
            }
          }
        }
      }
    }
  }
}

TEST(Precision, NamesParseAndTheDefaultFollowsTheHardware) {
  EXPECT_EQ(parse_precision("fp32"), Precision::kFp32);
  EXPECT_EQ(parse_precision("bf16"), Precision::kBf16);
  EXPECT_EQ(precision_name(Precision::kBf16), "bf16");
  EXPECT_THROW(parse_precision("fp16"), Error);
  for (const Bf16Impl impl : {Bf16Impl::kReference, Bf16Impl::kAvx512, Bf16Impl::kAmx}) {
    EXPECT_EQ(parse_bf16_impl(bf16_impl_name(impl)), impl);
  }
  EXPECT_THROW(parse_bf16_impl("tpu"), Error);
  EXPECT_TRUE(bf16_impl_supported(Bf16Impl::kReference));
  EXPECT_TRUE(bf16_impl_supported(detected_bf16_impl()));
  EXPECT_EQ(bf16_kernels().impl, active_bf16_impl());
  const char* forced = std::getenv("ZHSENTI_PRECISION");
  if (forced == nullptr || *forced == '\0') {
    EXPECT_EQ(default_inference_precision() == Precision::kBf16,
              active_bf16_impl() != Bf16Impl::kReference);
  } else {
    EXPECT_EQ(default_inference_precision(), parse_precision(forced));
  }
}

}  // namespace
}  // namespace zhsenti::nn
