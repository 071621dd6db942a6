#include "zhsenti/nn/layers/dropout.h"

#include <cstdint>
#include <cstring>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void dropout_forward(float p, std::size_t n, const float* x, float* y, float* mask, Rng& rng,
                     DropoutCache& cache) {
  ZHSENTI_CHECK_ARG(p >= 0.0f && p < 1.0f, "dropout probability {} not in [0, 1)", p);
  cache.mask = nullptr;
  if (p == 0.0f) {
    if (y != x) std::memcpy(y, x, n * sizeof(float));
    return;
  }
  // Each 64-bit draw decides two elements: keep when a 32-bit uniform >= p * 2^32.
  const auto threshold = static_cast<uint64_t>(static_cast<double>(p) * 4294967296.0);
  const float scale = 1.0f / (1.0f - p);
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    const uint64_t bits = rng.next_u64();
    mask[i] = (bits & 0xFFFFFFFFu) >= threshold ? scale : 0.0f;
    mask[i + 1] = (bits >> 32) >= threshold ? scale : 0.0f;
  }
  if (i < n) mask[i] = (rng.next_u64() & 0xFFFFFFFFu) >= threshold ? scale : 0.0f;
  for (std::size_t k = 0; k < n; ++k) y[k] = x[k] * mask[k];
  cache.mask = mask;
}

// dL/dx = dL/dy * m / (1 - p)
void dropout_backward(std::size_t n, const float* dy, float* dx, const DropoutCache& cache) {
  if (cache.mask == nullptr) {
    if (dx != dy) std::memcpy(dx, dy, n * sizeof(float));
    return;
  }
  for (std::size_t k = 0; k < n; ++k) dx[k] = dy[k] * cache.mask[k];
}

}  // namespace zhsenti::nn
