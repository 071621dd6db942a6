#include "zhsenti/nn/layers/batch_norm.h"

#include <cmath>

#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"

namespace zhsenti::nn {

BatchNorm1d::BatchNorm1d(ParamStore& store, const std::string& name, int dim, float eps,
                         float momentum)
    : dim_(dim), eps_(eps), momentum_(momentum) {
  ZHSENTI_CHECK_ARG(dim > 0, "{}: dimension {}", name, dim);
  weight_ = store.add(name + ".weight", {dim});
  bias_ = store.add(name + ".bias", {dim});
  running_mean_ = store.add(name + ".running_mean", {dim}, /*trainable=*/false);
  running_var_ = store.add(name + ".running_var", {dim}, /*trainable=*/false);
  init(store);
}

void BatchNorm1d::init(ParamStore& store) const {
  init_constant(store.value(weight_), 1.0f);
  init_constant(store.value(bias_), 0.0f);
  init_constant(store.value(running_mean_), 0.0f);
  init_constant(store.value(running_var_), 1.0f);
}

void BatchNorm1d::forward_train(ParamStore& store, int n, const float* x, float* y,
                                Cache& cache, Workspace& ws) const {
  ZHSENTI_CHECK_ARG(n >= 2, "batch norm in training needs a batch of at least 2, got {}", n);
  const float* w = store.value(weight_).data();
  const float* b = store.value(bias_).data();
  float* rm = store.value(running_mean_).data();
  float* rv = store.value(running_var_).data();
  cache.n = n;
  cache.train = true;
  cache.xhat = ws.floats(static_cast<std::size_t>(n) * dim_);
  cache.rstd = ws.floats(static_cast<std::size_t>(dim_));
  for (int j = 0; j < dim_; ++j) {
    double mean = 0, var = 0;
    for (int i = 0; i < n; ++i) mean += x[static_cast<std::ptrdiff_t>(i) * dim_ + j];
    mean /= n;
    for (int i = 0; i < n; ++i) {
      const double d = x[static_cast<std::ptrdiff_t>(i) * dim_ + j] - mean;
      var += d * d;
    }
    const double biased = var / n;
    const auto rstd = static_cast<float>(1.0 / std::sqrt(biased + eps_));
    cache.rstd[j] = rstd;
    for (int i = 0; i < n; ++i) {
      const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i) * dim_ + j;
      cache.xhat[k] = static_cast<float>(x[k] - mean) * rstd;
      y[k] = cache.xhat[k] * w[j] + b[j];
    }
    rm[j] = static_cast<float>((1.0 - momentum_) * rm[j] + momentum_ * mean);
    rv[j] = static_cast<float>((1.0 - momentum_) * rv[j] + momentum_ * var / (n - 1));
  }
}

void BatchNorm1d::forward_eval(const ParamStore& store, int n, const float* x, float* y,
                               Cache& cache, Workspace& ws) const {
  const float* w = store.value(weight_).data();
  const float* b = store.value(bias_).data();
  const float* rm = store.value(running_mean_).data();
  const float* rv = store.value(running_var_).data();
  cache.n = n;
  cache.train = false;
  cache.xhat = ws.floats(static_cast<std::size_t>(n) * dim_);
  cache.rstd = ws.floats(static_cast<std::size_t>(dim_));
  for (int j = 0; j < dim_; ++j) cache.rstd[j] = 1.0f / std::sqrt(rv[j] + eps_);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < dim_; ++j) {
      const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i) * dim_ + j;
      cache.xhat[k] = (x[k] - rm[j]) * cache.rstd[j];
      y[k] = cache.xhat[k] * w[j] + b[j];
    }
  }
}

// train: dx = w rstd / n * (n dy - sum dy - xhat sum(dy xhat));  eval: dx = dy w rstd
// dw += sum dy xhat;  db += sum dy   (eval: xhat from the running stats)
void BatchNorm1d::backward(ParamStore& store, const float* dy, float* dx,
                           const Cache& cache) const {
  const float* w = store.value(weight_).data();
  float* dw = store.grad(weight_).data();
  float* db = store.grad(bias_).data();
  const int n = cache.n;
  for (int j = 0; j < dim_; ++j) {
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int i = 0; i < n; ++i) {
      const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i) * dim_ + j;
      sum_dy += dy[k];
      sum_dy_xhat += static_cast<double>(dy[k]) * cache.xhat[k];
    }
    dw[j] += static_cast<float>(sum_dy_xhat);
    db[j] += static_cast<float>(sum_dy);
    if (!cache.train) {
      const float scale = w[j] * cache.rstd[j];
      for (int i = 0; i < n; ++i) {
        dx[static_cast<std::ptrdiff_t>(i) * dim_ + j] = dy[static_cast<std::ptrdiff_t>(i) * dim_ + j] * scale;
      }
      continue;
    }
    const double scale = static_cast<double>(w[j]) * cache.rstd[j] / n;
    for (int i = 0; i < n; ++i) {
      const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i) * dim_ + j;
      dx[k] = static_cast<float>(scale * (n * static_cast<double>(dy[k]) - sum_dy -
                                          cache.xhat[k] * sum_dy_xhat));
    }
  }
}

}  // namespace zhsenti::nn
