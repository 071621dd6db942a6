// int8 quantisation (nn/quantized.h) and the int8 kernels (kernels/int8_gemm.h) on every
// instruction set this CPU supports: each against a scalar reference written here from the
// definitions, against each other bit for bit, and against the fp32 product within the
// quantisation's error bound; then the whole classifier in int8 against fp32.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/int8_gemm.h"
#include "reduced_precision_check.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/nn/aligned_buffer.h"
#include "zhsenti/nn/kernels/cpu_isa.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/quantized.h"

namespace zhsenti::nn {
namespace {

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (const Isa isa : {Isa::kGeneric, Isa::kAvx2, Isa::kAvx512}) {
    if (isa_supported(isa)) out.push_back(isa);
  }
  return out;
}

// Values of mixed magnitude, with an exact zero row when zero_row >= 0.
std::vector<float> random_matrix(int rows, int cols, uint64_t seed, int zero_row = -1) {
  Rng rng(seed);
  std::vector<float> m(static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    const float range = static_cast<float>(0.01 + 3.0 * rng.uniform_double());
    for (int c = 0; c < cols; ++c) {
      m[static_cast<std::size_t>(r) * cols + c] =
          r == zero_row ? 0.0f : range * static_cast<float>(2.0 * rng.uniform_double() - 1.0);
    }
  }
  return m;
}

TEST(Int8Quantize, RoundTripErrorIsAtMostHalfAStepPerRow) {
  const int rows = 9, cols = 37;
  const std::vector<float> w = random_matrix(rows, cols, 3, /*zero_row=*/4);
  const QuantizedRows q = quantize_rows(w, rows, cols);
  std::vector<float> back(w.size());
  dequantize_rows(q, back);
  for (int r = 0; r < rows; ++r) {
    const float s = q.scales[r];
    int widest = 0;
    for (int c = 0; c < cols; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * cols + c;
      widest = std::max(widest, std::abs(static_cast<int>(q.values[i])));
      // Half a step, and the two roundings of computing it in float.
      EXPECT_LE(std::abs(back[i] - w[i]), 0.5f * s * (1.0f + 1e-5f) + 1e-7f * std::abs(w[i]))
          << r << "," << c;
    }
    if (r == 4) {
      EXPECT_EQ(s, 0.0f);
      EXPECT_EQ(widest, 0);
    } else {
      EXPECT_EQ(widest, 127) << "row " << r << " does not use the whole range";
    }
  }
  // Quantising the dequantised values again gives the same integers (the stored model's
  // weights are a fixed point of the quantiser, whichever path packs them).
  const QuantizedRows again = quantize_rows(back, rows, cols);
  EXPECT_EQ(again.values, q.values);
}

TEST(Int8Quantize, RefusesAMismatchedShape) {
  const std::vector<float> w(10);
  EXPECT_THROW(quantize_rows(w, 3, 4), Error);
}

// The dynamic quantisation of every ISA equals quantize_rows() bit for bit, padding included.
TEST(Int8Kernels, DynamicQuantisationMatchesTheReferenceOnEveryIsa) {
  for (const int k : {1, 15, 16, 33, 70, 128}) {
    const int m = 5, kp = i8_padded_k(k);
    const std::vector<float> a = random_matrix(m, k, 11 + k, /*zero_row=*/2);
    const QuantizedRows ref = quantize_rows(a, m, k);
    for (const Isa isa : supported_isas()) {
      std::vector<std::int8_t> out(static_cast<std::size_t>(m) * kp, 99);
      std::vector<float> scales(m);
      i8_kernels_for(isa).quantize({.m = m,
                                    .k = k,
                                    .kp = kp,
                                    .a = a.data(),
                                    .lda = k,
                                    .out = out.data(),
                                    .ldo = kp,
                                    .scales = scales.data()});
      // VNNI stores q + 128 as uint8 (I8Kernels::a_offset).
      const int offset = i8_kernels_for(isa).a_offset ? 128 : 0;
      for (int r = 0; r < m; ++r) {
        EXPECT_EQ(scales[r], ref.scales[r]) << isa_name(isa) << " k=" << k << " row " << r;
        for (int c = 0; c < kp; ++c) {
          const int want = c < k ? ref.values[static_cast<std::size_t>(r) * k + c] : 0;
          const std::int8_t byte = out[static_cast<std::size_t>(r) * kp + c];
          ASSERT_EQ(offset != 0 ? static_cast<int>(static_cast<std::uint8_t>(byte)) - offset : byte,
                    want)
              << isa_name(isa) << " k=" << k << " (" << r << ", " << c << ")";
        }
      }
    }
  }
}

// C = dequant(A_q W_q^T): every ISA gives the definition's value exactly (so they agree bit
// for bit), and that value is within the quantisation bound of the fp32 product.
TEST(Int8Kernels, GemmIsExactOnEveryIsaAndCloseToFp32) {
  struct Shape {
    int m, k, n;
  };
  // Rows: a partial 12-row block and single rows; k: padded quads; n: whole and partial panels.
  for (const Shape s :
       {Shape{1, 4, 16}, Shape{3, 40, 72}, Shape{13, 64, 96}, Shape{27, 130, 50}, Shape{2, 7, 1}}) {
    const std::vector<float> a = random_matrix(s.m, s.k, 100 + s.m, /*zero_row=*/s.m > 2 ? 1 : -1);
    const std::vector<float> w = random_matrix(s.n, s.k, 200 + s.n);
    const QuantizedRows wq = quantize_rows(w, s.n, s.k);
    const QuantizedRows aq = quantize_rows(a, s.m, s.k);
    AlignedBuffer<std::byte> packed;
    packed.allocate(packed_i8_bytes(s.k, s.n));
    const PackedI8 b = pack_i8_into(s.k, s.n, wq.values.data(), wq.scales.data(), packed.data());
    const int kp = b.kp;
    const std::string what =
        std::to_string(s.m) + "x" + std::to_string(s.k) + "x" + std::to_string(s.n);
    for (const Isa isa : supported_isas()) {
      // A in the implementation's own layout, from its quantize kernel (checked above to be
      // quantize_rows()'s values).
      const I8Kernels& kernels = i8_kernels_for(isa);
      std::vector<std::int8_t> a_rows(static_cast<std::size_t>(s.m) * kp);
      std::vector<float> a_scales(static_cast<std::size_t>(s.m));
      kernels.quantize({.m = s.m,
                        .k = s.k,
                        .kp = kp,
                        .a = a.data(),
                        .lda = s.k,
                        .out = a_rows.data(),
                        .ldo = kp,
                        .scales = a_scales.data()});
      ASSERT_EQ(a_scales, aq.scales);
      const long ldc = s.n + 3;
      std::vector<float> c(static_cast<std::size_t>(s.m) * ldc, -7.0f);
      kernels.gemm({.m = s.m,
                    .n = s.n,
                    .k = s.k,
                    .kp = kp,
                    .a = a_rows.data(),
                    .lda = kp,
                    .a_scales = aq.scales.data(),
                    .panels = b.panels,
                    .panel_stride = b.panel_stride,
                    .col_sums = b.col_sums,
                    .b_scales = b.scales,
                    .c = c.data(),
                    .ldc = ldc});
      for (int r = 0; r < s.m; ++r) {
        for (int j = 0; j < s.n; ++j) {
          std::int32_t acc = 0;
          double bound = 0.0, exact = 0.0;
          const float sa = aq.scales[r], sw = wq.scales[j];
          for (int p = 0; p < s.k; ++p) {
            const float x = a[static_cast<std::size_t>(r) * s.k + p],
                        y = w[static_cast<std::size_t>(j) * s.k + p];
            acc += aq.values[static_cast<std::size_t>(r) * s.k + p] *
                   wq.values[static_cast<std::size_t>(j) * s.k + p];
            exact += static_cast<double>(x) * y;
            bound += std::abs(x) * sw / 2 + std::abs(y) * sa / 2 + sa * sw / 4;
          }
          const float got = c[static_cast<std::size_t>(r) * ldc + j];
          ASSERT_EQ(got, static_cast<float>(acc) * (sa * sw))
              << isa_name(isa) << " " << what << " (" << r << ", " << j << ")";
          EXPECT_LE(std::abs(got - exact), bound * 1.001 + 1e-6) << isa_name(isa) << " " << what;
        }
        for (long j = s.n; j < ldc; ++j) {
          ASSERT_EQ(c[static_cast<std::size_t>(r) * ldc + j], -7.0f) << "wrote past n: " << what;
        }
      }
    }
  }
}

using precision_check::check_against_fp32;
using precision_check::Inputs;
using precision_check::make_inputs;
using precision_check::small_config;

// Largest |p_int8 - p_fp32| allowed. Weights and activations carry up to half a step of
// 1/127 of their row's range; through two layers of 24 units and up to 30 steps that moves
// these probabilities by a few 1e-3.
constexpr float kTolerance = 2e-2f;

TEST(Int8Inference, ProbabilitiesStayCloseToFp32ForEveryCellAndDirection) {
  for (const auto& [cell, cell_name] : EnumNames<CellType>::kTable) {
    for (const bool bi : {false, true}) {
      Classifier m(small_config(cell, bi, PoolType::kMax), 5);
      const Inputs in = make_inputs(60);
      const std::string what = std::string(cell_name) + (bi ? " bi" : " uni");
      Workspace ws(2);
      // 20 sequences run the input products step by step, 7 hoist them.
      const auto int8 = check_against_fp32(m, in, Precision::kInt8, kTolerance, what, ws).reduced;

      // With every matrix stored quantised (as a loaded quantised model has them: the fp32
      // parts then compute with the dequantised values) int8 stays as close.
      for (const auto& info : m.params().infos()) {
        if (info.shape.size() != 2) continue;
        const ParamStore::Id id = m.params().id(info.name);
        m.set_quantized(id, quantize_rows(m.params().value(id), static_cast<int>(info.shape[0]),
                                          static_cast<int>(info.shape[1])));
      }
      ASSERT_TRUE(m.is_quantized());
      std::vector<float> stored(int8.size());
      m.predict_proba({in.ids, in.lengths}, ws, stored);
      for (std::size_t i = 0; i < stored.size(); ++i) {
        EXPECT_NEAR(stored[i], int8[i], kTolerance) << what;
      }
    }
  }
}

}  // namespace
}  // namespace zhsenti::nn
