#pragma once
// bf16 products of inference (precision.h): C (m x n) = A B + beta C with A and B in
// bfloat16 and fp32 accumulation, beta 0 or 1.
//
// Layouts, shared by every implementation so one packing serves all of them:
//   A (m x kp) row-major bf16, kp = k rounded up to 32 (an AMX tile row), columns [k, kp)
//     zero. convert_rows_bf16() makes it from fp32 rows.
//   B (kp x n) in 16-column panels of VNNI pairs: B(p, j) at
//     panels[(j / 16) * panel_stride + (p / 2) * 32 + (j % 16) * 2 + p % 2],
//     panel_stride = kp * 16; rows past k and columns past n are zero. One 32-row block of a
//     panel is one AMX B tile (16 rows of 64 bytes), and one pair row is one zmm for
//     vdpbf16ps.

#include <cstddef>
#include <cstdint>

#include "zhsenti/nn/kernels/gemm.h"
#include "zhsenti/nn/kernels/precision.h"

namespace zhsenti::nn {

using Bf16 = std::uint16_t;

inline constexpr int kBf16Panel = 16;
inline constexpr int kBf16KBlock = 32;

inline int bf16_padded_k(int k) { return (k + kBf16KBlock - 1) / kBf16KBlock * kBf16KBlock; }

// VCVTNEPS2BF16's rounding: nearest even; denormal inputs become zero of the same sign
// (DAZ); NaN stays a (quiet) NaN.
Bf16 float_to_bf16(float x);
float bf16_to_float(Bf16 x);

struct PackedBf16 {
  int k = 0, n = 0, kp = 0;
  const Bf16* panels = nullptr;
  long panel_stride = 0;
};

// Elements pack_bf16_into() writes for op(B) (k x n).
std::size_t packed_bf16_size(int k, int n);
// Packs op(B) = B (k x n, ldb) or B^T (B stored n x k) into out (64-byte aligned).
PackedBf16 pack_bf16_into(Trans trans, int k, int n, const float* b, int ldb, Bf16* out);
// op(B) = [W1^T; W2^T] for W1 (n x k1) and W2 (n x k2) row-major: W1^T in rows [0, k1), W2^T
// in rows [kp1, kp1 + k2) with kp1 = bf16_padded_k(k1), so that a row [x (padded to kp1), h]
// times it is x W1^T + h W2^T in one product. k = kp1 + k2.
std::size_t packed_bf16_stacked_size(int k1, int k2, int n);
PackedBf16 pack_bf16_stacked_into(int k1, int k2, int n, const float* w1, const float* w2,
                                  Bf16* out);

// out (m x kp, ldo) = bf16(a (m x k, lda)) with zero columns [k, kp); active implementation.
void convert_rows_bf16(int m, int k, const float* a, long lda, Bf16* out, long ldo);
// C (m x b.n, ldc) = A (m x b.kp, lda) B + beta C; active implementation. m_spare: rows past
// m that A and C have room for; a kernel may read those A rows (any values) and overwrite
// those C rows, so AMX can run whole 16-row tiles.
void gemm_bf16(int m, const Bf16* a, long lda, const PackedBf16& b, float beta, float* c, long ldc,
               int m_spare = 0);

// --- per-implementation kernels (bf16_gemm.cc: reference; bf16_avx512.cc, bf16_amx.cc) ---

struct Bf16ConvertArgs {
  int m = 0, k = 0, kp = 0;
  const float* a = nullptr;
  long lda = 0;
  Bf16* out = nullptr;
  long ldo = 0;
};

struct Bf16GemmArgs {
  int m = 0, n = 0, k = 0, kp = 0;  // pairs past k are zero and may be skipped
  const Bf16* a = nullptr;
  long lda = 0;
  const Bf16* panels = nullptr;
  long panel_stride = 0;
  float beta = 0.0f;
  float* c = nullptr;
  long ldc = 0;
  int m_spare = 0;
};

struct Bf16Kernels {
  Bf16Impl impl;
  void (*convert)(const Bf16ConvertArgs&);
  void (*gemm)(const Bf16GemmArgs&);
};

// The active implementation's kernels (precision.h).
const Bf16Kernels& bf16_kernels();
// One implementation's kernels; throws if the CPU or OS does not support it.
const Bf16Kernels& bf16_kernels_for(Bf16Impl impl);

// Compiled for their ISA (bf16_avx512.cc, bf16_amx.cc: whole 16 x 16 blocks on tiles, the
// edges by bf16_avx512_gemm); bf16_gemm.cc lists them in Bf16Kernels.
void bf16_avx512_convert(const Bf16ConvertArgs& a);
void bf16_avx512_gemm(const Bf16GemmArgs& g);
void bf16_amx_gemm(const Bf16GemmArgs& g);

}  // namespace zhsenti::nn
