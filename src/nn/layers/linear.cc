#include "zhsenti/nn/layers/linear.h"

#include <cmath>

#include "kernels/reduce.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"
#include "zhsenti/nn/kernels/gemm.h"

namespace zhsenti::nn {

Linear::Linear(ParamStore& store, const std::string& name, int in, int out, bool bias)
    : in_(in), out_(out) {
  ZHSENTI_CHECK_ARG(in > 0 && out > 0, "{}: sizes {} -> {}", name, in, out);
  weight_ = store.add(name + ".weight", {out, in});
  if (bias) bias_ = store.add(name + ".bias", {out});
}

void Linear::init_pytorch(ParamStore& store, Rng& rng) const {
  const float bound = 1.0f / std::sqrt(static_cast<float>(in_));
  init_uniform(store.value(weight_), bound, rng);
  if (bias_ >= 0) init_uniform(store.value(bias_), bound, rng);
}

void Linear::init_xavier(ParamStore& store, Rng& rng) const {
  init_xavier_uniform(store.value(weight_), in_, out_, rng);
  if (bias_ >= 0) init_constant(store.value(bias_), 0.0f);
}

void Linear::forward(const ParamStore& store, int n, const float* x, float* y) const {
  if (bias_ >= 0) {
    const float* b = store.value(bias_).data();
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < out_; ++j) y[static_cast<std::ptrdiff_t>(i) * out_ + j] = b[j];
    }
  }
  gemm(Trans::kNo, Trans::kYes, n, out_, in_, 1.0f, x, in_, store.value(weight_).data(), in_,
       bias_ >= 0 ? 1.0f : 0.0f, y, out_);
}

// dL/dW = dy^T x;  dL/db = sum_i dy_i;  dL/dx = dy W
void Linear::backward(ParamStore& store, int n, const float* x, const float* dy,
                      float* dx) const {
  gemm(Trans::kYes, Trans::kNo, out_, in_, n, 1.0f, dy, out_, x, in_, 1.0f,
       store.grad(weight_).data(), in_);
  if (bias_ >= 0) add_column_sums(n, out_, dy, out_, store.grad(bias_).data());
  if (dx != nullptr) {
    gemm(Trans::kNo, Trans::kNo, n, in_, out_, 1.0f, dy, out_, store.value(weight_).data(), in_,
         0.0f, dx, in_);
  }
}

}  // namespace zhsenti::nn
