#pragma once
// Products on the engine's own SIMD micro-kernels (kernel_table.h), for the shapes of
// recurrent layers: a right-hand matrix reused at every time step, and weight gradients
// summed over all tokens. The generic build forwards everything to gemm() (OpenBLAS).
//
// op(B) = B (row-major, k x n) is read in place. op(B) = B^T is copied once into column
// panels of the kernel's width, so each product streams contiguous panels and never
// repacks (OpenBLAS repacks B on every call).

#include "zhsenti/nn/kernels/gemm.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct PackedB {
  int k = 0, n = 0;
  // The source: op(B) = B (k x n) or B^T (B stored n x k).
  const float* b = nullptr;
  int ldb = 0;
  Trans trans = Trans::kNo;
  // Kernel view: B(p, q * width + j) = panels[q * panel_stride + p * row_stride + j].
  // Null on the generic path.
  const float* panels = nullptr;
  int width = 0;
  long row_stride = 0;
  long panel_stride = 0;
};

// Prepares op(B) (k x n) for the active ISA; a transposed B is packed into workspace
// memory (valid until the workspace is reset). pack_b_width: for a given kernel width
// (0: generic), for tests.
PackedB pack_b(Trans trans, int k, int n, const float* b, int ldb, Workspace& ws);
PackedB pack_b_width(Trans trans, int k, int n, const float* b, int ldb, Workspace& ws,
                     int width);
// The floats pack_b needs in the workspace (0 when B is read in place).
std::size_t packed_size(Trans trans, int k, int n);
// pack_b into caller memory of packed_size() floats (64-byte aligned).
PackedB pack_b_into(Trans trans, int k, int n, const float* b, int ldb, float* out);

// C (m x n) = A (m x k, lda) op(B) + beta C, beta 0 or 1.
void gemm_packed(int m, const float* a, int lda, const PackedB& b, float beta, float* c, int ldc);

// C (m x n) += A^T B with A (k x m) and B (k x n) row-major: weight gradients summed over
// k tokens. Blocked over k so each block of A and B stays in L2.
void gemm_tn_accumulate(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                        float* c, int ldc);

}  // namespace zhsenti::nn
