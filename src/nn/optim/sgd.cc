// torch.optim.SGD:  d = g + wd p;  buf = d (first step) or momentum buf + (1 - dampening) d;
// d = nesterov ? d + momentum buf : buf (with momentum);  p -= lr d
#include "optim/grad_ranges.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/optim/optimizer.h"

namespace zhsenti::nn {

Sgd::Sgd(const ParamStore& store, const SgdOptions& options) : Optimizer(options.lr), options_(options) {
  ZHSENTI_CHECK_ARG(options.momentum >= 0.0f && options.dampening >= 0.0f &&
                        options.weight_decay >= 0.0f,
                    "SGD momentum {}, dampening {}, weight decay {} must be >= 0",
                    options.momentum, options.dampening, options.weight_decay);
  ZHSENTI_CHECK_ARG(!options.nesterov || (options.momentum > 0.0f && options.dampening == 0.0f),
                    "Nesterov momentum needs momentum > 0 and dampening 0");
  layout_size_ = store.total_size();
  if (options.momentum > 0.0f) momentum_.allocate(layout_size_, /*zero=*/true);
}

void Sgd::step(ParamStore& store) {
  check_layout(store);
  const float lr = lr_, mu = options_.momentum, wd = options_.weight_decay;
  const float keep = 1.0f - options_.dampening;
  const bool first = steps_ == 0, nesterov = options_.nesterov;
  float* p = store.values().data();
  const float* g = store.grads().data();
  float* buf = momentum_.data();
  // Without momentum or decay a zero-gradient row does not move: touched rows suffice.
  const bool rows_only = mu == 0.0f && wd == 0.0f;
  for_each_trainable_range(store, rows_only, [&](std::size_t off, std::size_t n) {
    for_chunks(pool_, off, n, [&](std::size_t o, std::size_t count) {
      for (std::size_t k = o; k < o + count; ++k) {
        float d = g[k] + wd * p[k];
        if (mu != 0.0f) {
          buf[k] = first ? d : mu * buf[k] + keep * d;
          d = nesterov ? d + mu * buf[k] : buf[k];
        }
        p[k] -= lr * d;
      }
    });
  });
  ++steps_;
}

std::vector<std::pair<std::string, std::span<float>>> Sgd::state() {
  if (momentum_.size() == 0) return {};
  return {{"momentum", std::span<float>(momentum_.data(), momentum_.size())}};
}

}  // namespace zhsenti::nn
