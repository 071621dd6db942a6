// word2vec kernels for AVX2 + FMA (this file is compiled with -mavx2 -mfma).

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

#define ZHSENTI_HOGWILD __attribute__((no_sanitize("thread")))
#define ZHSENTI_W2V_FN train_sentence_avx2

namespace {

ZHSENTI_HOGWILD inline float hsum(__m256 v) {
  const __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 sh = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  return _mm_cvtss_f32(_mm_add_ss(sh, _mm_shuffle_ps(sh, sh, 1)));
}

ZHSENTI_HOGWILD inline float dot(const float* a, const float* b, int n) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), acc1);
  }
  for (; k + 8 <= n; k += 8) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
  }
  float s = hsum(_mm256_add_ps(acc0, acc1));
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

ZHSENTI_HOGWILD inline void update_pair(float g, const float* l1, float* l2, float* neu1e, int n) {
  const __m256 vg = _mm256_set1_ps(g);
  int k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256 old = _mm256_loadu_ps(l2 + k);
    _mm256_storeu_ps(neu1e + k, _mm256_fmadd_ps(vg, old, _mm256_loadu_ps(neu1e + k)));
    _mm256_storeu_ps(l2 + k, _mm256_fmadd_ps(vg, _mm256_loadu_ps(l1 + k), old));
  }
  for (; k < n; ++k) {
    const float old = l2[k];
    neu1e[k] += g * old;
    l2[k] = old + g * l1[k];
  }
}

ZHSENTI_HOGWILD inline void axpy(float a, const float* x, float* y, int n) {
  const __m256 va = _mm256_set1_ps(a);
  int k = 0;
  for (; k + 8 <= n; k += 8) {
    _mm256_storeu_ps(y + k, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + k), _mm256_loadu_ps(y + k)));
  }
  for (; k < n; ++k) y[k] += a * x[k];
}

}  // namespace

#include "w2v_kernels.inc"
