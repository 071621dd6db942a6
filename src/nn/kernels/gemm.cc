#include "zhsenti/nn/kernels/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <cstddef>

#include "zhsenti/core/check.h"
#include "zhsenti/core/thread_pool.h"

namespace zhsenti::nn {

namespace {

void check_dims(Trans ta, Trans tb, int m, int n, int k, int lda, int ldb, int ldc) {
  ZHSENTI_CHECK_ARG(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m={} n={} k={}", m, n, k);
  const int a_cols = ta == Trans::kNo ? k : m;
  const int b_cols = tb == Trans::kNo ? n : k;
  ZHSENTI_CHECK_ARG(lda >= std::max(1, a_cols) && ldb >= std::max(1, b_cols) &&
                        ldc >= std::max(1, n),
                    "gemm: leading dimensions lda={} ldb={} ldc={} too small for m={} n={} k={}",
                    lda, ldb, ldc, m, n, k);
}

void scale_c(int m, int n, float beta, float* c, int ldc) {
  for (int i = 0; i < m; ++i) {
    float* row = c + static_cast<std::ptrdiff_t>(i) * ldc;
    if (beta == 0.0f) {
      std::fill(row, row + n, 0.0f);
    } else {
      for (int j = 0; j < n; ++j) row[j] *= beta;
    }
  }
}

}  // namespace

void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  check_dims(ta, tb, m, n, k, lda, ldb, ldc);
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0.0f) {
    scale_c(m, n, beta, c, ldc);
    return;
  }
  cblas_sgemm(CblasRowMajor, ta == Trans::kNo ? CblasNoTrans : CblasTrans,
              tb == Trans::kNo ? CblasNoTrans : CblasTrans, m, n, k, alpha, a, lda, b, ldb, beta,
              c, ldc);
}

void gemm_reference(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a,
                    int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  check_dims(ta, tb, m, n, k, lda, ldb, ldc);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) {
        const float av = ta == Trans::kNo ? a[static_cast<std::ptrdiff_t>(i) * lda + p]
                                          : a[static_cast<std::ptrdiff_t>(p) * lda + i];
        const float bv = tb == Trans::kNo ? b[static_cast<std::ptrdiff_t>(p) * ldb + j]
                                          : b[static_cast<std::ptrdiff_t>(j) * ldb + p];
        sum += static_cast<double>(av) * bv;
      }
      float& out = c[static_cast<std::ptrdiff_t>(i) * ldc + j];
      out = static_cast<float>(alpha * sum + (beta == 0.0f ? 0.0 : static_cast<double>(beta) * out));
    }
  }
}

void gemm_rows_parallel(ThreadPool* pool, Trans ta, Trans tb, int m, int n, int k, float alpha,
                        const float* a, int lda, const float* b, int ldb, float beta, float* c,
                        int ldc) {
  const int parts = pool == nullptr ? 1 : static_cast<int>(pool->size());
  if (parts <= 1 || m < 32) {
    gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  // Blocks of whole 16-row panels keep every thread on full micro-kernel tiles.
  const int block = ((m + parts - 1) / parts + 15) & ~15;
  const int blocks = (m + block - 1) / block;
  pool->parallel_for(static_cast<std::size_t>(blocks), 1,
                     [&](std::size_t begin, std::size_t end, std::size_t) {
                       for (std::size_t blk = begin; blk < end; ++blk) {
                         const int r0 = static_cast<int>(blk) * block;
                         const int rows = std::min(block, m - r0);
                         const float* a0 = ta == Trans::kNo
                                               ? a + static_cast<std::ptrdiff_t>(r0) * lda
                                               : a + r0;
                         gemm(ta, tb, rows, n, k, alpha, a0, lda, b, ldb, beta,
                              c + static_cast<std::ptrdiff_t>(r0) * ldc, ldc);
                       }
                     });
}

}  // namespace zhsenti::nn
