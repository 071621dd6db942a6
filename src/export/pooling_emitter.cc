// Pooling as nn/layers/pooling.cc and attention.cc compute it, over each sequence's own
// steps only: the mask keeps padded steps out of sums, maxima and the attention softmax.

#include <limits>
#include <vector>

#include "emit.h"

namespace zhsenti::exporter {
namespace {

std::string mean_pool(GraphContext& c, const std::string& seq) {
  const std::string mask = c.g.op("Cast", {c.mask}, {Attr::i("to", onnx::TensorProto::FLOAT)});
  const std::string sum =
      c.g.op("ReduceSum", {c.g.op("Mul", {seq, mask}), c.g.axes({0})}, {Attr::i("keepdims", 0)});
  // The classifier multiplies by 1/L rather than dividing, so this does too.
  const std::string len = c.g.op("Cast", {c.lengths}, {Attr::i("to", onnx::TensorProto::FLOAT)});
  const std::string inv = c.g.op("Reciprocal", {c.g.op("Unsqueeze", {len, c.g.axes({1})})});
  return c.g.op("Mul", {sum, inv});
}

std::string max_pool(GraphContext& c, const std::string& seq) {
  const std::string lowest =
      c.g.scalar_float("minus_infinity", -std::numeric_limits<float>::infinity());
  return c.g.op("ReduceMax", {c.g.op("Where", {c.mask, seq, lowest})},
                {Attr::ints("axes", {0}), Attr::i("keepdims", 0)});
}

// u = tanh(h W^T + b), s = v . u, alpha = softmax of s over the sequence, feat = sum alpha h.
std::string attention_pool(GraphContext& c, const std::string& seq) {
  const int f = c.config.feature_dim();
  const auto w = c.param("pool.attention.w");
  const auto a = static_cast<int>(w.size() / static_cast<std::size_t>(f));
  std::string w_t;
  if (c.quantized("pool.attention.w") != nullptr) {
    // Per-row scales belong to W's rows: dequantise W, then transpose it in the graph.
    w_t = c.g.op("Transpose", {c.matrix("pool.attention.w", a, f)}, {Attr::ints("perm", {1, 0})});
  } else {
    std::vector<float> wt(w.size());
    for (int i = 0; i < a; ++i) {
      for (int j = 0; j < f; ++j)
        wt[static_cast<std::size_t>(j) * a + i] = w[static_cast<std::size_t>(i) * f + j];
    }
    w_t = c.g.floats("pool.attention.w_t", {f, a}, wt);
  }
  const std::string b = c.g.floats("pool.attention.b", {a}, c.param("pool.attention.b"));
  const std::string v = c.g.floats("pool.attention.v", {a, 1}, c.param("pool.attention.v"));
  const std::string u = c.g.op("Tanh", {c.g.op("Add", {c.g.op("MatMul", {seq, w_t}), b})});
  const std::string lowest =
      c.g.scalar_float("minus_infinity", -std::numeric_limits<float>::infinity());
  const std::string scores = c.g.op("Where", {c.mask, c.g.op("MatMul", {u, v}), lowest});
  const std::string alpha = c.g.op("Softmax", {scores}, {Attr::i("axis", 0)});
  return c.g.op("ReduceSum", {c.g.op("Mul", {alpha, seq}), c.g.axes({0})},
                {Attr::i("keepdims", 0)});
}

}  // namespace

std::string emit_pooling(GraphContext& c, const EncoderOutput& encoded) {
  switch (c.config.pool) {
    case nn::PoolType::kLast:
      return encoded.last;
    case nn::PoolType::kMean:
      return mean_pool(c, encoded.sequence);
    case nn::PoolType::kMax:
      return max_pool(c, encoded.sequence);
    case nn::PoolType::kAttention:
      return attention_pool(c, encoded.sequence);
  }
  unsupported("pooling", name_of(c.config.pool));
}

}  // namespace zhsenti::exporter
