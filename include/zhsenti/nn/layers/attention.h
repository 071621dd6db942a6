#pragma once
// Additive (Bahdanau) attention pooling over each sequence's steps:
//   u_r = tanh(W h_r + b),  s_r = v . u_r,  alpha = softmax of s over the sequence's rows,
//   feat_b = sum_t alpha_t h_(b,t).
// Parameters <name>.w (A x F), <name>.b (A), <name>.v (A).

#include <string>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/layers/packed_batch.h"
#include "zhsenti/nn/param_store.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

class AdditiveAttention {
 public:
  AdditiveAttention(ParamStore& store, const std::string& name, int features, int attention_dim);
  // As nn.Linear(F, A) for w and b, nn.Linear(A, 1, bias=False) for v.
  void init_pytorch(ParamStore& store, Rng& rng) const;
  int features() const { return features_; }
  int attention_dim() const { return dim_; }

  struct Cache {
    const float* h = nullptr;  // (N, F)
    float* u = nullptr;        // (N, A) tanh(W h + b)
    float* alpha = nullptr;    // (N) attention weights
  };
  // h (N, F) packed -> feat (B, F) in batch order.
  void forward(const ParamStore& store, const PackedBatch& pb, const float* h, float* feat,
               Cache& cache, Workspace& ws) const;
  // Writes all of dh (N, F).
  void backward(ParamStore& store, const PackedBatch& pb, const float* dfeat, float* dh,
                const Cache& cache, Workspace& ws) const;
  // Attention weights of the last forward, per packed row (alpha of row(b, t)).
  static const float* weights(const Cache& cache) { return cache.alpha; }

 private:
  int features_, dim_;
  ParamStore::Id w_, b_, v_;
};

}  // namespace zhsenti::nn
