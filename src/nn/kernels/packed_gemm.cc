#include "kernels/packed_gemm.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernel_table.h"
#include "kernels/panel_args.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {

namespace {

// Rows of A and B per block of gemm_tn_accumulate: 256 rows of a 512-wide gradient and a
// 128-wide input are 640 KB, inside a 1 MB L2.
constexpr int kTnBlock = 256;

std::size_t packed_floats(Trans trans, int k, int n, int w) {
  if (w == 0 || trans == Trans::kNo || k == 0 || n == 0) return 0;
  return static_cast<std::size_t>((n + w - 1) / w) * static_cast<std::size_t>(k) * w;
}

// op(B) for panel width w: B read in place (kNo) or B^T copied into `out` (kYes).
PackedB pack(Trans trans, int k, int n, const float* b, int ldb, int w, float* out) {
  PackedB p{.k = k, .n = n, .b = b, .ldb = ldb, .trans = trans};
  if (w == 0 || k == 0 || n == 0) return p;
  p.width = w;
  if (trans == Trans::kNo) {
    p.panels = b;
    p.row_stride = ldb;
    p.panel_stride = w;
    return p;
  }
  const int panels = (n + w - 1) / w;
  for (int q = 0; q < panels; ++q) {
    float* panel = out + static_cast<std::ptrdiff_t>(q) * k * w;
    const int cols = std::min(w, n - q * w);
    // Row r of the panel is column r of B's rows q*w .. q*w + cols - 1.
    for (int j = 0; j < cols; ++j) {
      const float* src = b + static_cast<std::ptrdiff_t>(q * w + j) * ldb;
      for (int r = 0; r < k; ++r) panel[static_cast<std::ptrdiff_t>(r) * w + j] = src[r];
    }
    for (int r = 0; r < k; ++r) {
      std::fill(panel + static_cast<std::ptrdiff_t>(r) * w + cols,
                panel + static_cast<std::ptrdiff_t>(r + 1) * w, 0.0f);
    }
  }
  p.panels = out;
  p.row_stride = w;
  p.panel_stride = static_cast<long>(k) * w;
  return p;
}

}  // namespace

std::size_t packed_size(Trans trans, int k, int n) {
  return packed_floats(trans, k, n, kernels().gemm_panel);
}

PackedB pack_b(Trans trans, int k, int n, const float* b, int ldb, Workspace& ws) {
  return pack_b_width(trans, k, n, b, ldb, ws, kernels().gemm_panel);
}

PackedB pack_b_width(Trans trans, int k, int n, const float* b, int ldb, Workspace& ws,
                     int width) {
  const std::size_t size = packed_floats(trans, k, n, width);
  return pack(trans, k, n, b, ldb, width, size > 0 ? ws.floats(size) : nullptr);
}

PackedB pack_b_into(Trans trans, int k, int n, const float* b, int ldb, float* out) {
  return pack(trans, k, n, b, ldb, kernels().gemm_panel, out);
}

void gemm_packed(int m, const float* a, int lda, const PackedB& b, float beta, float* c,
                 int ldc) {
  ZHSENTI_CHECK_INTERNAL(beta == 0.0f || beta == 1.0f);
  if (m == 0 || b.n == 0) return;
  if (b.panels == nullptr || b.width != kernels().gemm_panel) {
    gemm(Trans::kNo, b.trans, m, b.n, b.k, 1.0f, a, lda, b.b, b.ldb, beta, c, ldc);
    return;
  }
  auto g = panel_args<PackedGemmArgs>(m, a, lda, b, c, ldc);
  g.row_stride = b.row_stride;
  g.beta = beta;
  kernels().gemm_packed(g);
}

void gemm_tn_accumulate(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                        float* c, int ldc) {
  const KernelTable& kt = kernels();
  if (kt.gemm_packed == nullptr) {
    gemm(Trans::kYes, Trans::kNo, m, n, k, 1.0f, a, lda, b, ldb, 1.0f, c, ldc);
    return;
  }
  if (m == 0 || n == 0) return;
  PackedGemmArgs args{.m = m,
                      .n = n,
                      .lda = lda,
                      .a_trans = true,
                      .row_stride = ldb,
                      .panel_stride = kt.gemm_panel,
                      .beta = 1.0f,
                      .c = c,
                      .ldc = ldc};
  for (int p0 = 0; p0 < k; p0 += kTnBlock) {
    args.k = std::min(kTnBlock, k - p0);
    args.a = a + static_cast<std::ptrdiff_t>(p0) * lda;
    args.panels = b + static_cast<std::ptrdiff_t>(p0) * ldb;
    kt.gemm_packed(args);
  }
}

}  // namespace zhsenti::nn
