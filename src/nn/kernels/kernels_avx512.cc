// AVX-512 build of the kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
#include <immintrin.h>

#include <cstddef>

#include "kernels/kernel_table.h"

namespace zhsenti::nn {
namespace avx512 {
namespace {

constexpr Isa kIsa = Isa::kAvx512;
#include "kernels/lane_ops.inc"

struct Vec {
  using V = __m512;
  static constexpr int kWidth = 16;
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V fnma(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V sqrt(V a) { return _mm512_sqrt_ps(a); }
  static V abs(V a) { return _mm512_abs_ps(a); }
  static V round(V a) {
    return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static V copysign(V mag, V sign) {
    const V mask = _mm512_set1_ps(-0.0f);
    return _mm512_or_ps(_mm512_andnot_ps(mask, mag), _mm512_and_ps(mask, sign));
  }
  static V select_lt(V a, V b, V x, V y) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x);
  }
  static V pow2n(V p, V n) { return _mm512_scalef_ps(p, n); }
};

#include "kernels/kernels_impl.inc"

}  // namespace
}  // namespace avx512

const KernelTable& avx512_kernel_table() { return avx512::table(); }

}  // namespace zhsenti::nn
