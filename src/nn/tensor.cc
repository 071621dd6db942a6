#include "zhsenti/nn/tensor.h"

#include <algorithm>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void Tensor::resize(std::span<const int64_t> shape) {
  ZHSENTI_CHECK_ARG(shape.size() <= 4, "tensor rank {} > 4", shape.size());
  int64_t n = 1;
  for (const int64_t d : shape) {
    ZHSENTI_CHECK_ARG(d >= 0, "negative tensor dimension {}", d);
    n *= d;
  }
  shape_.assign(shape.begin(), shape.end());
  if (static_cast<std::size_t>(n) != data_.size()) {
    data_.assign(static_cast<std::size_t>(n), 0.0f);
  }
}

void Tensor::fill(float value) { std::fill(data_.begin(), data_.end(), value); }

}  // namespace zhsenti::nn
