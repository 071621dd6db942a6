#include "graph_builder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace zhsenti::exporter {
namespace {

TEST(GraphBuilder, FreshNamesNeverRepeat) {
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  EXPECT_EQ(g.fresh("x"), "x");
  EXPECT_EQ(g.fresh("x"), "x_1");
  EXPECT_EQ(g.fresh("x"), "x_2");
  EXPECT_EQ(g.fresh("x_1"), "x_1_1");
}

TEST(GraphBuilder, NodesCarryInputsOutputsAndAttributes) {
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  const std::string out = g.op("Softmax", {"logits"}, {Attr::i("axis", 1)});
  const std::string out2 = g.op("Softmax", {out});
  ASSERT_EQ(graph.node_size(), 2);
  const onnx::NodeProto& n = graph.node(0);
  EXPECT_EQ(n.op_type(), "Softmax");
  ASSERT_EQ(n.input_size(), 1);
  EXPECT_EQ(n.input(0), "logits");
  ASSERT_EQ(n.output_size(), 1);
  EXPECT_EQ(n.output(0), out);
  ASSERT_EQ(n.attribute_size(), 1);
  EXPECT_EQ(n.attribute(0).name(), "axis");
  EXPECT_EQ(n.attribute(0).type(), onnx::AttributeProto::INT);
  EXPECT_EQ(n.attribute(0).i(), 1);
  EXPECT_NE(out, out2);
  EXPECT_NE(n.name(), graph.node(1).name());
}

TEST(GraphBuilder, FloatInitializersKeepShapeAndValues) {
  onnx::GraphProto graph;
  GraphBuilder g(graph);
  const std::vector<float> values = {1.5f, -2.0f, 0.25f, 8.0f, 0.0f, -0.5f};
  const std::string name = g.floats("w", {2, 3}, values);
  ASSERT_EQ(graph.initializer_size(), 1);
  const onnx::TensorProto& t = graph.initializer(0);
  EXPECT_EQ(t.name(), name);
  EXPECT_EQ(t.data_type(), onnx::TensorProto::FLOAT);
  ASSERT_EQ(t.dims_size(), 2);
  EXPECT_EQ(t.dims(0), 2);
  EXPECT_EQ(t.dims(1), 3);
  ASSERT_EQ(t.raw_data().size(), values.size() * sizeof(float));
  std::vector<float> back(values.size());
  std::memcpy(back.data(), t.raw_data().data(), t.raw_data().size());
  EXPECT_EQ(back, values);
  // A second constant from the same stem is another tensor, not a redefinition.
  EXPECT_NE(g.scalar_float("w", 1.0f), name);
}

}  // namespace
}  // namespace zhsenti::exporter
