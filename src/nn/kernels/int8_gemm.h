#pragma once
// int8 products of quantised inference (precision.h): C (m x n) = dequant(A_q B_q) with
// symmetric int8 on both sides, exact int32 accumulation and one fp32 scale per A row and per
// B column:
//   C(r, j) = float(sum_p A_q(r, p) B_q(p, j)) * (a_scale[r] * b_scale[j])
// The integer sum is exact on every implementation and the two fp32 multiplications are done
// in this order everywhere, so the generic, AVX2 and AVX-512 VNNI kernels agree bit for bit.
//
// Layouts, shared by every implementation so one packing serves all of them:
//   A (m x kp) row-major bytes, kp = k rounded up to 16, as the implementation's quantize
//     kernel writes it (quantize_rows_i8(), dynamic quantisation of fp32 rows): the values
//     q in [-127, 127] as int8, columns [k, kp) zero; or, where I8Kernels::a_offset is set
//     (VNNI), q + 128 as uint8, so the product's inner loop needs no conversion.
//   B (kp x n) in 16-column panels of k-quads: B(p, j) at
//     panels[(j / 16) * panel_stride + (p / 4) * 64 + (j % 16) * 4 + p % 4],
//     panel_stride = kp * 16; rows past k and columns past n are zero. One quad row of a
//     panel is one zmm for vpdpbusd (16 int32 lanes, 4 products each).
//   col_sums[j] = sum_p B_q(p, j): VNNI multiplies unsigned by signed bytes, so it takes
//     A_q + 128 and subtracts 128 col_sums[j] (exact modulo 2^32, hence exact; the padding
//     columns of A meet zero rows of B).

#include <cstddef>
#include <cstdint>

#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::nn {

inline constexpr int kI8Panel = 16;
inline constexpr int kI8KBlock = 16;

inline int i8_padded_k(int k) { return (k + kI8KBlock - 1) / kI8KBlock * kI8KBlock; }

struct PackedI8 {
  int k = 0, n = 0, kp = 0;
  const std::int8_t* panels = nullptr;
  long panel_stride = 0;
  const std::int32_t* col_sums = nullptr;  // (n)
  const float* scales = nullptr;           // (n): the weight rows' scales
};

// Bytes pack_i8_into() writes for a (n x k) matrix (panels, then col_sums and scales), a
// multiple of 64.
std::size_t packed_i8_bytes(int k, int n);
// op(B) = W^T for W (n x k) row-major int8 with per-row scales (nn/quantized.h), into out
// (64-byte aligned).
PackedI8 pack_i8_into(int k, int n, const std::int8_t* w, const float* scales, std::byte* out);

// Dynamic quantisation of fp32 rows, per row: scale = max|a| / 127, q = round-to-nearest-even
// (a * (127 / max|a|)); an all-zero row has scale 0. out (m x kp, ldo), scales (m).
void quantize_rows_i8(int m, int k, const float* a, long lda, std::int8_t* out, long ldo,
                      float* scales);
// C (m x b.n, ldc) = dequant(A (m x b.kp, lda) B); active implementation.
void gemm_i8(int m, const std::int8_t* a, long lda, const float* a_scales, const PackedI8& b,
             float* c, long ldc);

// --- per-implementation kernels (int8_gemm.cc: generic; int8_avx2.cc, int8_vnni.cc) ---

struct I8QuantizeArgs {
  int m = 0, k = 0, kp = 0;
  const float* a = nullptr;
  long lda = 0;
  std::int8_t* out = nullptr;
  long ldo = 0;
  float* scales = nullptr;
};

struct I8GemmArgs {
  int m = 0, n = 0, k = 0, kp = 0;  // quads past k are zero and may be skipped
  const std::int8_t* a = nullptr;
  long lda = 0;
  const float* a_scales = nullptr;
  const std::int8_t* panels = nullptr;
  long panel_stride = 0;
  const std::int32_t* col_sums = nullptr;
  const float* b_scales = nullptr;
  float* c = nullptr;
  long ldc = 0;
};

enum class I8Impl { kGeneric = 0, kAvx2 = 1, kAvx512Vnni = 2 };

struct I8Kernels {
  I8Impl impl;
  bool a_offset;  // A holds q + 128 as uint8 (see the layouts above)
  void (*quantize)(const I8QuantizeArgs&);
  void (*gemm)(const I8GemmArgs&);
};

std::string_view i8_impl_name(I8Impl impl);
// The implementation an ISA runs: AVX-512 with VNNI, AVX2 (also for AVX-512 without VNNI),
// or generic.
I8Impl i8_impl_for(Isa isa);
// The active ISA's kernels (cpu_isa.h: ZHSENTI_ISA selects them).
const I8Kernels& i8_kernels();
// One ISA's kernels; throws if the CPU does not support the ISA.
const I8Kernels& i8_kernels_for(Isa isa);

// The row loop of a SIMD quantize kernel over its vector ops S (vec_avx2.inc,
// vec_avx512.inc): each row's scale max|a| / 127 (exact, so the same on every
// implementation; 0 for a zero row) into g.scales, then row(src, 127 / max|a| or 0, dst)
// writes the row's kp bytes.
template <class S, class Row>
void quantize_each_row(const I8QuantizeArgs& g, Row row) {
  for (int r = 0; r < g.m; ++r) {
    const float* src = g.a + r * g.lda;
    typename S::V amax = S::set1(0.0f);
    for (int j = 0; j < g.k; j += S::kWidth) {
      amax = S::max(amax, S::abs(S::load_masked(src + j, S::lanes(g.k - j))));
    }
    const float m = S::reduce_max(amax);
    g.scales[r] = m / 127.0f;
    row(src, m > 0.0f ? 127.0f / m : 0.0f, g.out + r * g.ldo);
  }
}

// Compiled for their ISA (int8_avx2.cc, int8_vnni.cc); int8_gemm.cc lists them in I8Kernels.
void i8_avx2_quantize(const I8QuantizeArgs& g);
void i8_avx2_gemm(const I8GemmArgs& g);
void i8_vnni_quantize(const I8QuantizeArgs& g);
void i8_vnni_gemm(const I8GemmArgs& g);

}  // namespace zhsenti::nn
