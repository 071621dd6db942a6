#pragma once
// Batch normalisation of (n, dim) features (nn.BatchNorm1d(dim), eps 1e-5, momentum 0.1,
// affine, tracked running stats). Training: normalise with the batch mean and biased
// variance, and update running_mean/var (the variance with the unbiased n/(n-1) factor):
// r = (1 - momentum) r + momentum * batch. Inference: normalise with the running stats.
// Parameters <name>.weight, <name>.bias; buffers (saved, not trained) <name>.running_mean,
// <name>.running_var.

#include <string>

#include "zhsenti/nn/param_store.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

class BatchNorm1d {
 public:
  BatchNorm1d(ParamStore& store, const std::string& name, int dim, float eps = 1e-5f,
              float momentum = 0.1f);
  void init(ParamStore& store) const;  // weight 1, bias 0, running mean 0, running var 1
  int dim() const { return dim_; }

  struct Cache {
    float* xhat = nullptr;  // (n, dim) normalised input
    float* rstd = nullptr;  // (dim) 1 / sqrt(var + eps), batch or running var
    int n = 0;
    bool train = false;
  };
  // Batch statistics; updates the running stats. Needs n >= 2 (as PyTorch).
  void forward_train(ParamStore& store, int n, const float* x, float* y, Cache& cache,
                     Workspace& ws) const;
  // Running statistics; the store is not modified.
  void forward_eval(const ParamStore& store, int n, const float* x, float* y, Cache& cache,
                    Workspace& ws) const;
  // Backward of whichever forward filled the cache. dx may equal dy.
  void backward(ParamStore& store, const float* dy, float* dx, const Cache& cache) const;

 private:
  int dim_;
  float eps_, momentum_;
  ParamStore::Id weight_, bias_, running_mean_, running_var_;
};

}  // namespace zhsenti::nn
