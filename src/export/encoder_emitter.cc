// zhsenti's cells are PyTorch's (nn/layers/recurrent.h), and ONNX's RNN, GRU and LSTM
// operators compute the same equations with other gate orders: PyTorch stacks LSTM gates
// i f g o and GRU gates r z n, ONNX wants i o f c and z r h. The GRU's reset gate multiplies
// (W_hn h + b_hn), which is ONNX's linear_before_reset = 1. sequence_lens stops each
// sequence at its own length in both directions, so padding never reaches a state.

#include <fmt/format.h>

#include <array>
#include <vector>

#include "emit.h"

namespace zhsenti::exporter {
namespace {

struct OnnxCell {
  const char* op;
  std::vector<int> gate_order;  // ONNX gate k is PyTorch gate gate_order[k]
  bool linear_before_reset;
};

OnnxCell onnx_cell(nn::CellType cell) {
  switch (cell) {
    case nn::CellType::kRnn:
      return {"RNN", {0}, false};
    case nn::CellType::kGru:
      return {"GRU", {1, 0, 2}, true};
    case nn::CellType::kLstm:
      return {"LSTM", {0, 3, 1, 2}, false};
  }
  unsupported("recurrent cell", name_of(cell));
}

// Appends the gate blocks of one (G x cols) PyTorch matrix (or G-vector, cols = 1) in ONNX
// order.
template <class T>
void append_reordered(std::span<const T> m, int hidden, int cols, const OnnxCell& cell,
                      std::vector<T>& out) {
  const auto block = static_cast<std::size_t>(hidden) * static_cast<std::size_t>(cols);
  for (const int gate : cell.gate_order) {
    const auto first = m.begin() + static_cast<std::ptrdiff_t>(gate * block);
    out.insert(out.end(), first, first + static_cast<std::ptrdiff_t>(block));
  }
}

// One of the operator's weight inputs ([dirs, gates, cols]): the directions' matrices in
// ONNX gate order, as floats, or for a quantised model as int8 rows with their scales
// (reordered alike: a scale belongs to its row), dequantised in the graph.
struct Stacked {
  std::vector<float> floats;
  std::vector<std::int8_t> values;
  std::vector<float> scales;
  bool quantized = false;

  void append(GraphContext& c, const std::string& name, int hidden, int cols,
              const OnnxCell& cell) {
    const nn::QuantizedRows* q = c.quantized(name);
    quantized = q != nullptr;
    if (q == nullptr) {
      append_reordered(c.param(name), hidden, cols, cell, floats);
      return;
    }
    append_reordered(std::span<const std::int8_t>(q->values), hidden, cols, cell, values);
    append_reordered(std::span<const float>(q->scales), hidden, 1, cell, scales);
  }

  std::string emit(GraphContext& c, const std::string& stem, int dirs, int64_t gates,
                   int64_t cols) const {
    if (!quantized) return c.g.floats(stem, {dirs, gates, cols}, floats);
    const std::string m = c.g.dequantized(stem, dirs * gates, cols, values, scales);
    return c.g.op("Reshape",
                  {m, c.g.int64s(stem + ".shape", {3}, std::vector<int64_t>{dirs, gates, cols})});
  }
};

}  // namespace

EncoderOutput emit_encoder(GraphContext& c, std::string x) {
  const nn::ClassifierConfig& cfg = c.config;
  const OnnxCell cell = onnx_cell(cfg.cell);
  const int dirs = cfg.bidirectional ? 2 : 1, h = cfg.hidden;
  const auto gates = static_cast<int64_t>(cell.gate_order.size()) * h;
  const std::array<const char*, 2> names = {"forward", "backward"};
  const std::string seq_lens =
      c.g.op("Cast", {c.lengths}, {Attr::i("to", onnx::TensorProto::INT32)});
  const std::string seq_shape =
      c.g.int64s("shape_time_batch_features", {3}, std::vector<int64_t>{0, 0, -1});
  const std::string last_shape =
      c.g.int64s("shape_batch_features", {2}, std::vector<int64_t>{0, -1});
  EncoderOutput result;
  for (int l = 0; l < cfg.layers; ++l) {
    const int in = l == 0 ? cfg.embed_dim : cfg.feature_dim();
    std::vector<float> b;
    Stacked w, r;
    for (int d = 0; d < dirs; ++d) {
      const std::string p = fmt::format("encoder.{}.{}.{}.", name_of(cfg.cell), l, names[d]);
      w.append(c, p + "w_ih", h, in, cell);
      r.append(c, p + "w_hh", h, h, cell);
      append_reordered(c.param(p + "b_ih"), h, 1, cell, b);
      append_reordered(c.param(p + "b_hh"), h, 1, cell, b);
    }
    const std::string stem = fmt::format("encoder.{}.{}", name_of(cfg.cell), l);
    const std::string wt = w.emit(c, stem + ".W", dirs, gates, in);
    const std::string rt = r.emit(c, stem + ".R", dirs, gates, h);
    const std::string bt = c.g.floats(stem + ".B", {dirs, 2 * gates}, b);
    const std::string y = c.g.fresh(stem + ".Y"), y_h = c.g.fresh(stem + ".Y_h");
    std::vector<Attr> attrs = {Attr::i("hidden_size", h),
                               Attr::s("direction", dirs == 2 ? "bidirectional" : "forward")};
    if (cell.linear_before_reset) attrs.push_back(Attr::i("linear_before_reset", 1));
    c.g.op_outputs(cell.op, {x, wt, rt, bt, seq_lens}, {y, y_h}, attrs);
    // Y [time, dirs, batch, hidden] -> [time, batch, dirs * hidden]: forward then backward
    // columns, as the classifier lays out its features.
    x = c.g.op("Reshape",
               {c.g.op("Transpose", {y}, {Attr::ints("perm", {0, 2, 1, 3})}), seq_shape});
    if (l + 1 == cfg.layers) {
      result.sequence = x;
      result.last = c.g.op(
          "Reshape", {c.g.op("Transpose", {y_h}, {Attr::ints("perm", {1, 0, 2})}), last_shape});
    }
  }
  return result;
}

}  // namespace zhsenti::exporter
