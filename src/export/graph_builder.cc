#include "graph_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

namespace zhsenti::exporter {

Attr Attr::i(std::string name, int64_t value) {
  Attr a;
  a.proto.set_name(std::move(name));
  a.proto.set_type(onnx::AttributeProto::INT);
  a.proto.set_i(value);
  return a;
}

Attr Attr::f(std::string name, float value) {
  Attr a;
  a.proto.set_name(std::move(name));
  a.proto.set_type(onnx::AttributeProto::FLOAT);
  a.proto.set_f(value);
  return a;
}

Attr Attr::s(std::string name, std::string value) {
  Attr a;
  a.proto.set_name(std::move(name));
  a.proto.set_type(onnx::AttributeProto::STRING);
  a.proto.set_s(std::move(value));
  return a;
}

Attr Attr::ints(std::string name, std::vector<int64_t> values) {
  Attr a;
  a.proto.set_name(std::move(name));
  a.proto.set_type(onnx::AttributeProto::INTS);
  for (const int64_t v : values) a.proto.add_ints(v);
  return a;
}

std::string GraphBuilder::fresh(std::string_view stem) {
  std::string name(stem);
  for (int k = 1; std::find(used_.begin(), used_.end(), name) != used_.end(); ++k) {
    name = fmt::format("{}_{}", stem, k);
  }
  used_.push_back(name);
  return name;
}

std::string GraphBuilder::floats(std::string_view stem, std::vector<int64_t> dims,
                                 std::span<const float> values) {
  onnx::TensorProto* t = graph_.add_initializer();
  t->set_name(fresh(stem));
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (const int64_t d : dims) t->add_dims(d);
  // raw_data (little-endian bytes) rather than float_data: a 100k x 128 n-gram table would
  // otherwise be 12.8 M repeated-field entries to build and serialise.
  static_assert(std::endian::native == std::endian::little, "raw_data is little-endian");
  t->set_raw_data(values.data(), values.size_bytes());
  return t->name();
}

std::string GraphBuilder::int64s(std::string_view stem, std::vector<int64_t> dims,
                                 std::span<const int64_t> values) {
  onnx::TensorProto* t = graph_.add_initializer();
  t->set_name(fresh(stem));
  t->set_data_type(onnx::TensorProto::INT64);
  for (const int64_t d : dims) t->add_dims(d);
  for (const int64_t v : values) t->add_int64_data(v);
  return t->name();
}

std::string GraphBuilder::dequantized(std::string_view stem, int64_t rows, int64_t cols,
                                      std::span<const std::int8_t> values,
                                      std::span<const float> scales) {
  onnx::TensorProto* q = graph_.add_initializer();
  q->set_name(fresh(fmt::format("{}.int8", stem)));
  q->set_data_type(onnx::TensorProto::INT8);
  q->add_dims(rows);
  q->add_dims(cols);
  q->set_raw_data(values.data(), values.size_bytes());
  const std::string scale = floats(fmt::format("{}.scale", stem), {rows}, scales);
  onnx::TensorProto* zero = graph_.add_initializer();
  zero->set_name(fresh(fmt::format("{}.zero_point", stem)));
  zero->set_data_type(onnx::TensorProto::INT8);
  zero->add_dims(rows);
  zero->set_raw_data(std::string(static_cast<std::size_t>(rows), '\0'));
  std::string out = fresh(stem);
  op_outputs("DequantizeLinear", {q->name(), scale, zero->name()}, {out}, {Attr::i("axis", 0)});
  return out;
}

std::string GraphBuilder::scalar_float(std::string_view stem, float value) {
  return floats(stem, {}, std::span<const float>(&value, 1));
}

std::string GraphBuilder::scalar_int64(std::string_view stem, int64_t value) {
  return int64s(stem, {}, std::span<const int64_t>(&value, 1));
}

std::string GraphBuilder::axes(std::vector<int64_t> values) {
  return int64s("axes", {static_cast<int64_t>(values.size())}, values);
}

std::string GraphBuilder::op(std::string_view type, std::vector<std::string> inputs,
                             std::vector<Attr> attrs) {
  std::string out = fresh(fmt::format("{}_out", type));
  op_outputs(type, std::move(inputs), {out}, attrs);
  return out;
}

void GraphBuilder::op_outputs(std::string_view type, std::vector<std::string> inputs,
                              std::vector<std::string> outputs, std::vector<Attr> attrs) {
  onnx::NodeProto* n = graph_.add_node();
  n->set_op_type(std::string(type));
  n->set_name(fresh(type));
  for (auto& in : inputs) n->add_input(std::move(in));
  for (auto& out : outputs) n->add_output(std::move(out));
  for (const Attr& a : attrs) *n->add_attribute() = a.proto;
}

}  // namespace zhsenti::exporter
