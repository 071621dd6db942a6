// int8 packing, dispatch and the generic kernels (baseline x86-64 flags).
#include "kernels/int8_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/panel_args.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {

namespace {
std::size_t rounded64(std::size_t bytes) { return (bytes + 63) / 64 * 64; }
std::size_t panel_bytes(int k, int n) {
  return static_cast<std::size_t>((n + kI8Panel - 1) / kI8Panel) *
         static_cast<std::size_t>(i8_padded_k(k)) * kI8Panel;
}
}  // namespace

std::size_t packed_i8_bytes(int k, int n) {
  if (k <= 0 || n <= 0) return 0;
  return rounded64(panel_bytes(k, n)) + rounded64(sizeof(std::int32_t) * n) +
         rounded64(sizeof(float) * n);
}

PackedI8 pack_i8_into(int k, int n, const std::int8_t* w, const float* scales, std::byte* out) {
  const int kp = i8_padded_k(k);
  auto* panels = reinterpret_cast<std::int8_t*>(out);
  auto* sums = reinterpret_cast<std::int32_t*>(out + rounded64(panel_bytes(k, n)));
  auto* sc = reinterpret_cast<float*>(reinterpret_cast<std::byte*>(sums) +
                                      rounded64(sizeof(std::int32_t) * n));
  const long stride = static_cast<long>(kp) * kI8Panel;
  std::fill(panels, panels + panel_bytes(k, n), std::int8_t{0});
  for (int j = 0; j < n; ++j) {
    std::int8_t* col = panels + (j / kI8Panel) * stride + (j % kI8Panel) * 4;
    const std::int8_t* row = w + static_cast<std::ptrdiff_t>(j) * k;
    std::int32_t sum = 0;
    for (int p = 0; p < k; ++p) {
      col[(p / 4) * 4 * kI8Panel + p % 4] = row[p];
      sum += row[p];
    }
    sums[j] = sum;
    sc[j] = scales[j];
  }
  return PackedI8{.k = k,
                  .n = n,
                  .kp = kp,
                  .panels = panels,
                  .panel_stride = stride,
                  .col_sums = sums,
                  .scales = sc};
}

std::string_view i8_impl_name(I8Impl impl) {
  switch (impl) {
    case I8Impl::kGeneric:
      return "generic";
    case I8Impl::kAvx2:
      return "avx2";
    case I8Impl::kAvx512Vnni:
      return "avx512_vnni";
  }
  return "?";
}

I8Impl i8_impl_for(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512vnni") ? I8Impl::kAvx512Vnni : I8Impl::kAvx2;
    case Isa::kAvx2:
      return I8Impl::kAvx2;
    case Isa::kGeneric:
      break;
  }
  return I8Impl::kGeneric;
}

const I8Kernels& i8_kernels() {
  static const I8Kernels& table = i8_kernels_for(active_isa());
  return table;
}

void quantize_rows_i8(int m, int k, const float* a, long lda, std::int8_t* out, long ldo,
                      float* scales) {
  i8_kernels().quantize({.m = m,
                         .k = k,
                         .kp = i8_padded_k(k),
                         .a = a,
                         .lda = lda,
                         .out = out,
                         .ldo = ldo,
                         .scales = scales});
}

void gemm_i8(int m, const std::int8_t* a, long lda, const float* a_scales, const PackedI8& b,
             float* c, long ldc) {
  if (m == 0 || b.n == 0) return;
  auto g = panel_args<I8GemmArgs>(m, a, lda, b, c, ldc);
  g.kp = b.kp;
  g.a_scales = a_scales;
  g.col_sums = b.col_sums;
  g.b_scales = b.scales;
  i8_kernels().gemm(g);
}

namespace {

void generic_quantize(const I8QuantizeArgs& g) {
  for (int r = 0; r < g.m; ++r) {
    const float* src = g.a + r * g.lda;
    std::int8_t* dst = g.out + r * g.ldo;
    float amax = 0.0f;
    for (int j = 0; j < g.k; ++j) amax = std::max(amax, std::fabs(src[j]));
    const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
    g.scales[r] = amax / 127.0f;
    for (int j = 0; j < g.k; ++j) {
      // Nearest even, as cvtps2dq rounds under the default MXCSR.
      const float q = std::clamp(std::nearbyint(src[j] * inv), -127.0f, 127.0f);
      dst[j] = static_cast<std::int8_t>(q);
    }
    std::fill(dst + g.k, dst + g.kp, std::int8_t{0});
  }
}

void generic_gemm(const I8GemmArgs& g) {
  const int quads = (g.k + 3) / 4;
  for (int r = 0; r < g.m; ++r) {
    const std::int8_t* ar = g.a + r * g.lda;
    float* cr = g.c + r * g.ldc;
    for (int j = 0; j < g.n; ++j) {
      const std::int8_t* bp = g.panels + (j / kI8Panel) * g.panel_stride + (j % kI8Panel) * 4;
      std::int32_t acc = 0;
      for (int q = 0; q < quads; ++q) {
        for (int i = 0; i < 4; ++i) acc += ar[4 * q + i] * bp[q * 4 * kI8Panel + i];
      }
      cr[j] = static_cast<float>(acc) * (g.a_scales[r] * g.b_scales[j]);
    }
  }
}

constexpr I8Kernels kGeneric{I8Impl::kGeneric, false, &generic_quantize, &generic_gemm};
constexpr I8Kernels kAvx2{I8Impl::kAvx2, false, &i8_avx2_quantize, &i8_avx2_gemm};
constexpr I8Kernels kVnni{I8Impl::kAvx512Vnni, true, &i8_vnni_quantize, &i8_vnni_gemm};

}  // namespace

const I8Kernels& i8_kernels_for(Isa isa) {
  ZHSENTI_CHECK_ARG(isa_supported(isa), "this CPU does not support {}", isa_name(isa));
  switch (i8_impl_for(isa)) {
    case I8Impl::kAvx512Vnni:
      return kVnni;
    case I8Impl::kAvx2:
      return kAvx2;
    case I8Impl::kGeneric:
      break;
  }
  return kGeneric;
}

}  // namespace zhsenti::nn
