#include "zhsenti/nn/layers/embedding.h"

#include <cstring>

#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"

namespace zhsenti::nn {

Embedding::Embedding(ParamStore& store, const std::string& name, int vocab, int dim, int padding_id)
    : vocab_(vocab), dim_(dim), padding_id_(padding_id) {
  ZHSENTI_CHECK_ARG(vocab > 0 && dim > 0, "{}: vocabulary size {} and dimension {}", name, vocab,
                    dim);
  ZHSENTI_CHECK_ARG(padding_id < vocab, "{}: padding id {} >= vocabulary size {}", name, padding_id,
                    vocab);
  weight_ = store.add(name + ".weight", {vocab, dim}, /*trainable=*/true, /*sparse_rows=*/true);
}

void Embedding::init_pytorch(ParamStore& store, Rng& rng) const {
  auto w = store.value(weight_);
  init_normal(w, 0.0f, 1.0f, rng);
  if (padding_id_ >= 0) {
    std::memset(w.data() + static_cast<std::size_t>(padding_id_) * dim_, 0, sizeof(float) * dim_);
  }
}

void Embedding::check_ids(std::span<const int32_t> ids) const {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ZHSENTI_CHECK_ARG(ids[i] >= 0 && ids[i] < vocab_,
                      "token id {} at position {} is outside the vocabulary [0, {})", ids[i], i,
                      vocab_);
  }
}

// y[r] = W[ids[r]]
void Embedding::forward(const ParamStore& store, std::span<const int32_t> ids, float* out,
                        int ld_out) const {
  const float* w = store.value(weight_).data();
  const std::size_t bytes = sizeof(float) * dim_;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    std::memcpy(out + r * ld_out, w + static_cast<std::size_t>(ids[r]) * dim_, bytes);
  }
}

// y[r] += W[ids[r]]
void Embedding::forward_add(const ParamStore& store, std::span<const int32_t> ids, float* out,
                            int ld_out) const {
  const float* w = store.value(weight_).data();
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const float* row = w + static_cast<std::size_t>(ids[r]) * dim_;
    float* y = out + r * ld_out;
    for (int j = 0; j < dim_; ++j) y[j] += row[j];
  }
}

// dL/dW[v] = sum over r with ids[r] == v of dL/dy[r]
void Embedding::backward(ParamStore& store, std::span<const int32_t> ids, const float* dout,
                         int ld_dout) const {
  float* g = store.grad(weight_).data();
  for (std::size_t r = 0; r < ids.size(); ++r) {
    if (ids[r] == padding_id_) continue;
    float* row = g + static_cast<std::size_t>(ids[r]) * dim_;
    const float* d = dout + r * ld_dout;
    for (int j = 0; j < dim_; ++j) row[j] += d[j];
  }
  store.touch_rows(weight_, ids);
}

}  // namespace zhsenti::nn
