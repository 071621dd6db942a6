#include "zhsenti/nn/layers/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/kernel_table.h"
#include "kernels/reduce.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"
#include "zhsenti/nn/kernels/gemm.h"

namespace zhsenti::nn {

AdditiveAttention::AdditiveAttention(ParamStore& store, const std::string& name, int features,
                                     int attention_dim)
    : features_(features), dim_(attention_dim) {
  ZHSENTI_CHECK_ARG(features > 0 && attention_dim > 0, "{}: features {} attention size {}", name,
                    features, attention_dim);
  w_ = store.add(name + ".w", {attention_dim, features});
  b_ = store.add(name + ".b", {attention_dim});
  v_ = store.add(name + ".v", {attention_dim});
}

void AdditiveAttention::init_pytorch(ParamStore& store, Rng& rng) const {
  const float bound = 1.0f / std::sqrt(static_cast<float>(features_));
  init_uniform(store.value(w_), bound, rng);
  init_uniform(store.value(b_), bound, rng);
  init_uniform(store.value(v_), 1.0f / std::sqrt(static_cast<float>(dim_)), rng);
}

void AdditiveAttention::forward(const ParamStore& store, const PackedBatch& pb, const float* h,
                                float* feat, Cache& cache, Workspace& ws) const {
  const int n = pb.rows, f = features_, a = dim_;
  cache.h = h;
  cache.u = ws.floats(static_cast<std::size_t>(n) * a);
  cache.alpha = ws.floats(static_cast<std::size_t>(n));
  const float* b = store.value(b_).data();
  const float* v = store.value(v_).data();
  // u = tanh(h W^T + b): one GEMM over all rows.
  for (int r = 0; r < n; ++r) std::memcpy(cache.u + static_cast<std::ptrdiff_t>(r) * a, b, sizeof(float) * a);
  gemm(Trans::kNo, Trans::kYes, n, a, f, 1.0f, h, f, store.value(w_).data(), f, 1.0f, cache.u, a);
  kernels().tanh(cache.u, cache.u, static_cast<std::size_t>(n) * a);
  for (int r = 0; r < n; ++r) {
    const float* u = cache.u + static_cast<std::ptrdiff_t>(r) * a;
    float s = 0.0f;
    for (int k = 0; k < a; ++k) s += v[k] * u[k];
    cache.alpha[r] = s;
  }
  for (int bi = 0; bi < pb.batch; ++bi) {
    const int len = pb.lengths[bi];
    float top = cache.alpha[pb.row(bi, 0)];
    for (int t = 1; t < len; ++t) top = std::max(top, cache.alpha[pb.row(bi, t)]);
    double sum = 0;
    for (int t = 0; t < len; ++t) {
      float& e = cache.alpha[pb.row(bi, t)];
      e = std::exp(e - top);
      sum += e;
    }
    float* out = feat + static_cast<std::ptrdiff_t>(bi) * f;
    std::memset(out, 0, sizeof(float) * f);
    for (int t = 0; t < len; ++t) {
      const int r = pb.row(bi, t);
      cache.alpha[r] = static_cast<float>(cache.alpha[r] / sum);
      const float* hr = h + static_cast<std::ptrdiff_t>(r) * f;
      for (int j = 0; j < f; ++j) out[j] += cache.alpha[r] * hr[j];
    }
  }
}

// dalpha_t = dfeat . h_t;  ds_t = alpha_t (dalpha_t - sum_k alpha_k dalpha_k);
// dh_t = alpha_t dfeat + dpre_t W;  dpre = ds v (1 - u^2);  dv += sum ds u;
// dW += dpre^T h;  db += sum dpre
void AdditiveAttention::backward(ParamStore& store, const PackedBatch& pb, const float* dfeat,
                                 float* dh, const Cache& cache, Workspace& ws) const {
  const int n = pb.rows, f = features_, a = dim_;
  const float* v = store.value(v_).data();
  float* dv = store.grad(v_).data();
  float* ds = ws.floats(static_cast<std::size_t>(n));
  float* dpre = ws.floats(static_cast<std::size_t>(n) * a);
  for (int bi = 0; bi < pb.batch; ++bi) {
    const float* d = dfeat + static_cast<std::ptrdiff_t>(bi) * f;
    double weighted = 0;
    for (int t = 0; t < pb.lengths[bi]; ++t) {
      const int r = pb.row(bi, t);
      const float* hr = cache.h + static_cast<std::ptrdiff_t>(r) * f;
      float* dhr = dh + static_cast<std::ptrdiff_t>(r) * f;
      double dot = 0;
      for (int j = 0; j < f; ++j) {
        dot += static_cast<double>(d[j]) * hr[j];
        dhr[j] = cache.alpha[r] * d[j];
      }
      ds[r] = static_cast<float>(dot);
      weighted += cache.alpha[r] * dot;
    }
    for (int t = 0; t < pb.lengths[bi]; ++t) {
      const int r = pb.row(bi, t);
      ds[r] = static_cast<float>(cache.alpha[r] * (ds[r] - weighted));
    }
  }
  for (int r = 0; r < n; ++r) {
    const float* u = cache.u + static_cast<std::ptrdiff_t>(r) * a;
    float* dp = dpre + static_cast<std::ptrdiff_t>(r) * a;
    for (int k = 0; k < a; ++k) {
      dv[k] += ds[r] * u[k];
      dp[k] = ds[r] * v[k] * (1.0f - u[k] * u[k]);
    }
  }
  gemm(Trans::kYes, Trans::kNo, a, f, n, 1.0f, dpre, a, cache.h, f, 1.0f,
       store.grad(w_).data(), f);
  add_column_sums(n, a, dpre, a, store.grad(b_).data());
  gemm(Trans::kNo, Trans::kNo, n, f, a, 1.0f, dpre, a, store.value(w_).data(), f, 1.0f, dh, f);
}

}  // namespace zhsenti::nn
