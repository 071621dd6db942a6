#pragma once
// Appends nodes and initializers to an ONNX GraphProto under names that cannot collide, so
// each layer's emitter only says which standard operators it needs and in what order.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::exporter {

// One attribute of a node; the value kind picks the AttributeProto type.
struct Attr {
  static Attr i(std::string name, int64_t value);
  static Attr f(std::string name, float value);
  static Attr s(std::string name, std::string value);
  static Attr ints(std::string name, std::vector<int64_t> values);
  onnx::AttributeProto proto;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : graph_(graph) {}

  // A name not used before in this graph, from a readable stem.
  std::string fresh(std::string_view stem);

  // Constant tensors (initializers) under a fresh name from the stem; returns the name.
  std::string floats(std::string_view stem, std::vector<int64_t> dims,
                     std::span<const float> values);
  std::string int64s(std::string_view stem, std::vector<int64_t> dims,
                     std::span<const int64_t> values);
  // A matrix stored as int8 with one scale per row (a quantised model's, nn/quantized.h),
  // dequantised in the graph by DequantizeLinear along axis 0 (per-axis, opset 13); returns
  // the name of the float [rows, cols] value.
  std::string dequantized(std::string_view stem, int64_t rows, int64_t cols,
                          std::span<const std::int8_t> values, std::span<const float> scales);
  std::string scalar_float(std::string_view stem, float value);
  std::string scalar_int64(std::string_view stem, int64_t value);
  // A 1-D int64 constant for the axes input of Unsqueeze and ReduceSum.
  std::string axes(std::vector<int64_t> values);

  // Appends one node and returns the name of its first output (fresh from the op type).
  std::string op(std::string_view type, std::vector<std::string> inputs,
                 std::vector<Attr> attrs = {});
  // The same with explicitly named outputs (operators with several, or graph outputs).
  void op_outputs(std::string_view type, std::vector<std::string> inputs,
                  std::vector<std::string> outputs, std::vector<Attr> attrs = {});

 private:
  onnx::GraphProto& graph_;
  std::vector<std::string> used_;
};

}  // namespace zhsenti::exporter
