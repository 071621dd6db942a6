#pragma once
// Layer normalisation over the feature dimension (nn.LayerNorm(dim), eps 1e-5, affine):
// y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias, per row; var is the biased
// variance. Parameters <name>.weight (ones), <name>.bias (zeros).

#include <string>

#include "zhsenti/nn/param_store.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

class LayerNorm {
 public:
  LayerNorm(ParamStore& store, const std::string& name, int dim, float eps = 1e-5f);
  void init(ParamStore& store) const;  // weight 1, bias 0
  int dim() const { return dim_; }

  struct Cache {
    float* xhat = nullptr;  // (n, dim) normalised input
    float* rstd = nullptr;  // (n) 1 / sqrt(var + eps)
    int n = 0;
  };
  // x, y: (n, dim), contiguous (y may equal x).
  void forward(const ParamStore& store, int n, const float* x, float* y, Cache& cache,
               Workspace& ws) const;
  // dx may equal dy.
  void backward(ParamStore& store, const float* dy, float* dx, const Cache& cache) const;

 private:
  int dim_;
  float eps_;
  ParamStore::Id weight_, bias_;
};

}  // namespace zhsenti::nn
