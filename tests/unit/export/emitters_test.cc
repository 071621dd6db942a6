// The emitters against the classifier's own parameters: gate blocks land in ONNX's order,
// and parts the exporter cannot express are refused by name.

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "emit.h"
#include "zhsenti/core/error.h"
#include "zhsenti/nn/models/classifier.h"

namespace zhsenti::exporter {
namespace {

const onnx::TensorProto* find_initializer(const onnx::GraphProto& graph, const std::string& name) {
  for (const auto& t : graph.initializer()) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

std::vector<float> values(const onnx::TensorProto& t) {
  std::vector<float> v(t.raw_data().size() / sizeof(float));
  std::memcpy(v.data(), t.raw_data().data(), t.raw_data().size());
  return v;
}

nn::ClassifierConfig tiny(const std::string& cell) {
  nn::ClassifierConfig c;
  c.vocab_size = 5;
  c.embed_dim = 3;
  c.hidden = 2;
  c.bidirectional = false;
  c.cell = find_named<nn::CellType>(cell).value();
  return c;
}

// Each PyTorch gate block of w_ih filled with its gate number, then read back in ONNX order.
std::vector<float> onnx_gate_order(const std::string& cell, int gates) {
  nn::Classifier model(tiny(cell), 1);
  nn::ParamStore& params = model.params();
  auto w = params.value(params.id("encoder." + cell + ".0.forward.w_ih"));
  const std::size_t block = w.size() / static_cast<std::size_t>(gates);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i / block);
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  GraphContext c{g, model, model.config(), "lengths", "mask"};
  emit_encoder(c, "x");
  const onnx::TensorProto* t = find_initializer(graph, "encoder." + cell + ".0.W");
  EXPECT_NE(t, nullptr);
  if (t == nullptr) return {};
  std::vector<float> order;
  const std::vector<float> v = values(*t);
  for (std::size_t i = 0; i < v.size(); i += block) order.push_back(v[i]);
  return order;
}

TEST(EncoderEmitter, LstmGatesGoFromIfgoToIofc) {
  EXPECT_EQ(onnx_gate_order("lstm", 4), (std::vector<float>{0, 3, 1, 2}));
}

TEST(EncoderEmitter, GruGatesGoFromRznToZrhWithLinearBeforeReset) {
  EXPECT_EQ(onnx_gate_order("gru", 3), (std::vector<float>{1, 0, 2}));
  nn::Classifier model(tiny("gru"), 1);
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  GraphContext c{g, model, model.config(), "lengths", "mask"};
  emit_encoder(c, "x");
  bool found = false;
  for (const auto& n : graph.node()) {
    if (n.op_type() != "GRU") continue;
    for (const auto& a : n.attribute()) found |= a.name() == "linear_before_reset" && a.i() == 1;
  }
  EXPECT_TRUE(found);
}

// A quantised model's matrices go out as int8 rows with their scales, reordered together,
// and a DequantizeLinear (per row, axis 0) turns them back into the floats the operator reads.
TEST(EncoderEmitter, QuantisedWeightsAreDequantisedInTheGraphInOnnxGateOrder) {
  nn::Classifier model(tiny("lstm"), 1);
  nn::ParamStore& params = model.params();
  const nn::ParamStore::Id id = params.id("encoder.lstm.0.forward.w_ih");
  auto w = params.value(id);
  const std::size_t block = w.size() / 4;
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i / block + 1);
  const int rows = static_cast<int>(params.info(id).shape[0]);
  model.set_quantized(id, nn::quantize_rows(w, rows, static_cast<int>(w.size()) / rows));
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  GraphContext c{g, model, model.config(), "lengths", "mask"};
  emit_encoder(c, "x");
  const onnx::TensorProto* q = find_initializer(graph, "encoder.lstm.0.W.int8");
  const onnx::TensorProto* scale = find_initializer(graph, "encoder.lstm.0.W.scale");
  ASSERT_NE(q, nullptr);
  ASSERT_NE(scale, nullptr);
  EXPECT_EQ(q->data_type(), onnx::TensorProto::INT8);
  const std::vector<float> s = values(*scale);
  const int hidden = model.config().hidden;
  ASSERT_EQ(s.size(), static_cast<std::size_t>(4 * hidden));
  // Gate k of ONNX's i o f c is PyTorch's gate 0 3 1 2, whose rows were all (gate + 1).
  const std::vector<float> want = {1, 4, 2, 3};
  for (int k = 0; k < 4; ++k)
    EXPECT_FLOAT_EQ(s[static_cast<std::size_t>(k * hidden)],
                    want[static_cast<std::size_t>(k)] / 127.0f);
  int dequantize = 0;
  for (const auto& n : graph.node()) {
    if (n.op_type() == "DequantizeLinear" && n.input(0) == q->name()) ++dequantize;
  }
  EXPECT_EQ(dequantize, 1);
}

TEST(EncoderEmitter, RnnHasOneGate) {
  EXPECT_EQ(onnx_gate_order("rnn", 1), (std::vector<float>{0}));
}

// A value outside its enum's table, as a future architecture the exporter does not know.
void expect_unsupported(nn::ClassifierConfig config, const std::string& part) {
  nn::Classifier model(tiny("gru"), 1);
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  GraphContext c{g, model, config, "lengths", "mask"};
  try {
    if (part.find("cell") != std::string::npos) emit_encoder(c, "x");
    if (part.find("pooling") != std::string::npos) emit_pooling(c, {"seq", "last"});
    if (part.find("norm") != std::string::npos) emit_head(c, "features", std::nullopt, "p");
    FAIL() << "no error for " << part;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Emitters, UnknownPartsAreRefusedByName) {
  nn::ClassifierConfig c = tiny("gru");
  c.cell = static_cast<nn::CellType>(7);
  expect_unsupported(c, "recurrent cell '?'");
  c = tiny("gru");
  c.pool = static_cast<nn::PoolType>(7);
  expect_unsupported(c, "pooling '?'");
  c = tiny("gru");
  c.norm = static_cast<nn::NormType>(7);
  expect_unsupported(c, "norm '?'");
}

}  // namespace
}  // namespace zhsenti::exporter
