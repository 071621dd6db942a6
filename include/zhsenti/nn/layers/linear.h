#pragma once
// Fully connected layer (nn.Linear): y = x W^T + b, W (out x in) as <name>.weight,
// b (out) as <name>.bias.

#include <string>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn {

class Linear {
 public:
  Linear(ParamStore& store, const std::string& name, int in, int out, bool bias = true);

  // PyTorch default: W, b ~ U(-1/sqrt(in), 1/sqrt(in)).
  void init_pytorch(ParamStore& store, Rng& rng) const;
  // Xavier-uniform W, zero b.
  void init_xavier(ParamStore& store, Rng& rng) const;

  int in() const { return in_; }
  int out() const { return out_; }
  ParamStore::Id weight() const { return weight_; }
  ParamStore::Id bias() const { return bias_; }  // -1 without bias

  // x (n, in) -> y (n, out), both contiguous.
  void forward(const ParamStore& store, int n, const float* x, float* y) const;
  // dW += dy^T x;  db += sum_rows dy;  dx = dy W (skipped when dx is null).
  void backward(ParamStore& store, int n, const float* x, const float* dy, float* dx) const;

 private:
  int in_, out_;
  ParamStore::Id weight_;
  ParamStore::Id bias_ = -1;
};

}  // namespace zhsenti::nn
