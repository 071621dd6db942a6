// word2vec kernels for AVX-512F (this file is compiled with -mavx512f -mfma).

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

#define ZHSENTI_HOGWILD __attribute__((no_sanitize("thread")))
#define ZHSENTI_W2V_FN train_sentence_avx512

namespace {

ZHSENTI_HOGWILD inline float dot(const float* a, const float* b, int n) {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  int k = 0;
  for (; k + 32 <= n; k += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 16), _mm512_loadu_ps(b + k + 16), acc1);
  }
  for (; k + 16 <= n; k += 16) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc0);
  }
  float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

ZHSENTI_HOGWILD inline void update_pair(float g, const float* l1, float* l2, float* neu1e, int n) {
  const __m512 vg = _mm512_set1_ps(g);
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    const __m512 old = _mm512_loadu_ps(l2 + k);
    _mm512_storeu_ps(neu1e + k, _mm512_fmadd_ps(vg, old, _mm512_loadu_ps(neu1e + k)));
    _mm512_storeu_ps(l2 + k, _mm512_fmadd_ps(vg, _mm512_loadu_ps(l1 + k), old));
  }
  for (; k < n; ++k) {
    const float old = l2[k];
    neu1e[k] += g * old;
    l2[k] = old + g * l1[k];
  }
}

ZHSENTI_HOGWILD inline void axpy(float a, const float* x, float* y, int n) {
  const __m512 va = _mm512_set1_ps(a);
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    _mm512_storeu_ps(y + k, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + k), _mm512_loadu_ps(y + k)));
  }
  for (; k < n; ++k) y[k] += a * x[k];
}

}  // namespace

#include "w2v_kernels.inc"
