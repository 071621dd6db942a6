// Portable word2vec kernels (any x86-64; what the compiler vectorises with SSE2).

#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

#define ZHSENTI_HOGWILD __attribute__((no_sanitize("thread")))
#define ZHSENTI_W2V_FN train_sentence_generic

namespace {

ZHSENTI_HOGWILD inline float dot(const float* a, const float* b, int n) {
  // Four partial sums: the compiler may not reorder a single float sum.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += a[k] * b[k];
    s1 += a[k + 1] * b[k + 1];
    s2 += a[k + 2] * b[k + 2];
    s3 += a[k + 3] * b[k + 3];
  }
  for (; k < n; ++k) s0 += a[k] * b[k];
  return (s0 + s1) + (s2 + s3);
}

ZHSENTI_HOGWILD inline void update_pair(float g, const float* l1, float* l2, float* neu1e, int n) {
  for (int k = 0; k < n; ++k) {
    const float old = l2[k];
    neu1e[k] += g * old;
    l2[k] = old + g * l1[k];
  }
}

ZHSENTI_HOGWILD inline void axpy(float a, const float* x, float* y, int n) {
  for (int k = 0; k < n; ++k) y[k] += a * x[k];
}

}  // namespace

#include "w2v_kernels.inc"
