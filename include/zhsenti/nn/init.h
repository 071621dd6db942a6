#pragma once
// Parameter initialisers. PyTorch's defaults are what the layers use unless a model asks for
// another scheme: Embedding N(0, 1); Linear and RNN/LSTM/GRU U(-1/sqrt(fan), 1/sqrt(fan))
// with fan = in_features for Linear and hidden_size for recurrent layers.

#include <span>

#include "zhsenti/core/rng.h"

namespace zhsenti::nn {

void init_constant(std::span<float> w, float value);
void init_uniform(std::span<float> w, float bound, Rng& rng);  // U(-bound, bound)
void init_normal(std::span<float> w, float mean, float stddev, Rng& rng);
// U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).
void init_xavier_uniform(std::span<float> w, int fan_in, int fan_out, Rng& rng,
                         float gain = 1.0f);
// A (rows x cols) matrix with orthonormal rows (rows <= cols) or columns (rows > cols), times
// gain: Gram-Schmidt on a standard normal matrix, as torch.nn.init.orthogonal_ (QR with a
// positive diagonal of R).
void init_orthogonal(std::span<float> w, int rows, int cols, Rng& rng, float gain = 1.0f);

}  // namespace zhsenti::nn
