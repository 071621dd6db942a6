#include "zhsenti/nn/optim/optimizer.h"

#include <cmath>

#include "optim/grad_ranges.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {

Optimizer::Optimizer(float lr) : lr_(lr) { set_lr(lr); }

void Optimizer::set_lr(float lr) {
  ZHSENTI_CHECK_ARG(lr >= 0.0f && std::isfinite(lr), "learning rate {} must be >= 0", lr);
  lr_ = lr;
}

void Optimizer::check_layout(const ParamStore& store) const {
  ZHSENTI_CHECK_ARG(store.total_size() == layout_size_,
                    "optimiser was built for a store of {} floats, got {}", layout_size_,
                    store.total_size());
}

double grad_norm(const ParamStore& store) {
  double sum = 0;
  const float* g = store.grads().data();
  for_each_trainable_range(store, true, [&](std::size_t off, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) sum += static_cast<double>(g[off + k]) * g[off + k];
  });
  return std::sqrt(sum);
}

double clip_grad_norm(ParamStore& store, double max_norm) {
  ZHSENTI_CHECK_ARG(max_norm > 0, "max gradient norm {} must be > 0", max_norm);
  const double total = grad_norm(store);
  const double coef = max_norm / (total + 1e-6);
  if (coef >= 1.0) return total;
  const auto scale = static_cast<float>(coef);
  float* g = store.grads().data();
  for_each_trainable_range(store, true, [&](std::size_t off, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) g[off + k] *= scale;
  });
  return total;
}

}  // namespace zhsenti::nn
