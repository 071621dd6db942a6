#pragma once
// Matrix products, row-major. gemm() is the engine's only door to BLAS (OpenBLAS sgemm);
// gemm_reference() is a plain triple loop accumulating in double, used by tests to check
// gemm() and every layer built on it.

namespace zhsenti {
class ThreadPool;
}

namespace zhsenti::nn {

enum class Trans { kNo, kYes };

// C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C.
// op(A) = A (m x k, leading dimension lda) or A^T (A stored k x m); likewise B.
// beta == 0 overwrites C without reading it (NaNs in C do not propagate).
void gemm(Trans trans_a, Trans trans_b, int m, int n, int k, float alpha, const float* a,
          int lda, const float* b, int ldb, float beta, float* c, int ldc);

void gemm_reference(Trans trans_a, Trans trans_b, int m, int n, int k, float alpha,
                    const float* a, int lda, const float* b, int ldb, float beta, float* c,
                    int ldc);

// gemm() with the rows of C split into contiguous blocks run on the pool (null: serial).
// Every element of C is computed by one thread, so a given pool size gives the same bits on
// every run; OpenBLAS may round differently for different splits (different sizes).
void gemm_rows_parallel(ThreadPool* pool, Trans trans_a, Trans trans_b, int m, int n, int k,
                        float alpha, const float* a, int lda, const float* b, int ldb,
                        float beta, float* c, int ldc);

}  // namespace zhsenti::nn
