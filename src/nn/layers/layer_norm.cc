#include "zhsenti/nn/layers/layer_norm.h"

#include <cmath>

#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"

namespace zhsenti::nn {

LayerNorm::LayerNorm(ParamStore& store, const std::string& name, int dim, float eps)
    : dim_(dim), eps_(eps) {
  ZHSENTI_CHECK_ARG(dim > 0, "{}: dimension {}", name, dim);
  weight_ = store.add(name + ".weight", {dim});
  bias_ = store.add(name + ".bias", {dim});
  init(store);
}

void LayerNorm::init(ParamStore& store) const {
  init_constant(store.value(weight_), 1.0f);
  init_constant(store.value(bias_), 0.0f);
}

void LayerNorm::forward(const ParamStore& store, int n, const float* x, float* y, Cache& cache,
                        Workspace& ws) const {
  const float* w = store.value(weight_).data();
  const float* b = store.value(bias_).data();
  cache.n = n;
  cache.xhat = ws.floats(static_cast<std::size_t>(n) * dim_);
  cache.rstd = ws.floats(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const float* xi = x + static_cast<std::ptrdiff_t>(i) * dim_;
    double mean = 0, var = 0;
    for (int j = 0; j < dim_; ++j) mean += xi[j];
    mean /= dim_;
    for (int j = 0; j < dim_; ++j) var += (xi[j] - mean) * (xi[j] - mean);
    var /= dim_;
    const auto rstd = static_cast<float>(1.0 / std::sqrt(var + eps_));
    float* xh = cache.xhat + static_cast<std::ptrdiff_t>(i) * dim_;
    float* yi = y + static_cast<std::ptrdiff_t>(i) * dim_;
    for (int j = 0; j < dim_; ++j) {
      xh[j] = static_cast<float>(xi[j] - mean) * rstd;
      yi[j] = xh[j] * w[j] + b[j];
    }
    cache.rstd[i] = rstd;
  }
}

// dxhat = dy * w;  dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat));
// dw += sum_i dy * xhat;  db += sum_i dy
void LayerNorm::backward(ParamStore& store, const float* dy, float* dx,
                         const Cache& cache) const {
  const float* w = store.value(weight_).data();
  float* dw = store.grad(weight_).data();
  float* db = store.grad(bias_).data();
  for (int i = 0; i < cache.n; ++i) {
    const float* dyi = dy + static_cast<std::ptrdiff_t>(i) * dim_;
    const float* xh = cache.xhat + static_cast<std::ptrdiff_t>(i) * dim_;
    double mean_d = 0, mean_dx = 0;
    for (int j = 0; j < dim_; ++j) {
      const double d = static_cast<double>(dyi[j]) * w[j];
      mean_d += d;
      mean_dx += d * xh[j];
      dw[j] += dyi[j] * xh[j];
      db[j] += dyi[j];
    }
    mean_d /= dim_;
    mean_dx /= dim_;
    float* dxi = dx + static_cast<std::ptrdiff_t>(i) * dim_;
    for (int j = 0; j < dim_; ++j) {
      dxi[j] = static_cast<float>(cache.rstd[i] *
                                  (static_cast<double>(dyi[j]) * w[j] - mean_d - xh[j] * mean_dx));
    }
  }
}

}  // namespace zhsenti::nn
