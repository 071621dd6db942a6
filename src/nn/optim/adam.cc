// torch.optim.Adam / AdamW (see kernels_impl.inc adam_cols for the per-element update):
//   AdamW: p *= 1 - lr wd;  Adam: g += wd p
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
#include <cmath>

#include "kernels/kernel_table.h"
#include "optim/grad_ranges.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/optim/optimizer.h"

namespace zhsenti::nn {

Adam::Adam(const ParamStore& store, const AdamOptions& options)
    : Optimizer(options.lr), options_(options) {
  ZHSENTI_CHECK_ARG(options.beta1 >= 0.0f && options.beta1 < 1.0f && options.beta2 >= 0.0f &&
                        options.beta2 < 1.0f,
                    "Adam betas ({}, {}) must be in [0, 1)", options.beta1, options.beta2);
  ZHSENTI_CHECK_ARG(options.eps >= 0.0f && options.weight_decay >= 0.0f,
                    "Adam eps {} and weight decay {} must be >= 0", options.eps,
                    options.weight_decay);
  layout_size_ = store.total_size();
  m_.allocate(layout_size_, /*zero=*/true);
  v_.allocate(layout_size_, /*zero=*/true);
}

void Adam::step(ParamStore& store) {
  check_layout(store);
  ++steps_;
  const double t = static_cast<double>(steps_);
  const double bias1 = 1.0 - std::pow(static_cast<double>(options_.beta1), t);
  const double bias2 = 1.0 - std::pow(static_cast<double>(options_.beta2), t);
  AdamArgs a;
  a.beta1 = options_.beta1;
  a.beta2 = options_.beta2;
  a.eps = options_.eps;
  a.step_size = static_cast<float>(lr_ / bias1);
  a.bias2_sqrt = static_cast<float>(std::sqrt(bias2));
  a.l2 = options_.decoupled ? 0.0f : options_.weight_decay;
  a.decay_factor = options_.decoupled ? 1.0f - lr_ * options_.weight_decay : 1.0f;
  float* p = store.values().data();
  const float* g = store.grads().data();
  const KernelTable& k = kernels();
  for_each_trainable_range(store, options_.lazy_sparse, [&](std::size_t off, std::size_t n) {
    for_chunks(pool_, off, n, [&](std::size_t o, std::size_t count) {
      AdamArgs part = a;
      part.n = count;
      part.param = p + o;
      part.grad = g + o;
      part.m = m_.data() + o;
      part.v = v_.data() + o;
      k.adam(part);
    });
  });
}

std::vector<std::pair<std::string, std::span<float>>> Adam::state() {
  return {{"exp_avg", std::span<float>(m_.data(), m_.size())},
          {"exp_avg_sq", std::span<float>(v_.data(), v_.size())}};
}

}  // namespace zhsenti::nn
