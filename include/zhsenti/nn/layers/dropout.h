#pragma once
// Inverted dropout (nn.Dropout): in training y = x * m / (1 - p), m ~ Bernoulli(1 - p);
// at inference y = x. The cache is the scaled mask m / (1 - p).

#include <cstddef>

#include "zhsenti/core/rng.h"

namespace zhsenti::nn {

struct DropoutCache {
  const float* mask = nullptr;  // (n) 0 or 1/(1-p); null: dropout was the identity
};

// Draws the mask into `mask` (n floats) and writes y; y may equal x. p in [0, 1).
// p == 0 copies x and leaves cache.mask null.
void dropout_forward(float p, std::size_t n, const float* x, float* y, float* mask, Rng& rng,
                     DropoutCache& cache);
// dx = dy * mask (dx may equal dy).
void dropout_backward(std::size_t n, const float* dy, float* dx, const DropoutCache& cache);

}  // namespace zhsenti::nn
