// The whole graph: inputs, the mask every pooling reads, then the emitters part by part.

#include <fmt/format.h>
#include <onnx/checker.h>

#include "emit.h"
#include "metadata.h"
#include "zhsenti/core/error.h"
#include "zhsenti/export/onnx_export.h"

namespace zhsenti::exporter {
namespace {

// ONNX IR version 8 goes with opset 17 (onnx 1.12, the library that checks the result).
constexpr int64_t kIrVersion = 8;

void add_input(onnx::GraphProto& graph, const std::string& name, std::vector<const char*> dims) {
  onnx::ValueInfoProto* v = graph.add_input();
  v->set_name(name);
  onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::INT64);
  for (const char* d : dims) t->mutable_shape()->add_dim()->set_dim_param(d);
}

void add_output(onnx::GraphProto& graph, const std::string& name, int classes) {
  onnx::ValueInfoProto* v = graph.add_output();
  v->set_name(name);
  onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  t->mutable_shape()->add_dim()->set_dim_param("batch");
  t->mutable_shape()->add_dim()->set_dim_value(classes);
}

// mask[t, b, 0] = t < lengths[b]
std::string sequence_mask(GraphBuilder& g, const std::string& token_ids,
                          const std::string& lengths) {
  const std::string time =
      g.op("Gather", {g.op("Shape", {token_ids}), g.scalar_int64("time_axis", 1)});
  const std::string steps =
      g.op("Range", {g.scalar_int64("zero", 0), time, g.scalar_int64("one", 1)});
  const std::string column = g.axes({1});
  const std::string row = g.axes({0});
  const std::string inside =
      g.op("Less", {g.op("Unsqueeze", {steps, column}), g.op("Unsqueeze", {lengths, row})});
  return g.op("Unsqueeze", {inside, g.axes({2})});
}

onnx::ModelProto build_model(const predict::Predictor& predictor) {
  const nn::Classifier& model = predictor.model();
  const nn::ClassifierConfig& cfg = model.config();
  onnx::ModelProto proto;
  proto.set_ir_version(kIrVersion);
  proto.set_producer_name("zhsenti");
  proto.set_producer_version(ZHSENTI_EXPORT_VERSION);
  proto.set_doc_string(
      "zhsenti sentiment classifier; inputs from `zhsenti encode`, see docs/export.md");
  onnx::OperatorSetIdProto* opset = proto.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);

  onnx::GraphProto& graph = *proto.mutable_graph();
  graph.set_name("zhsenti_classifier");
  GraphBuilder g(graph);
  const std::string token_ids = g.fresh("token_ids"), lengths = g.fresh("lengths");
  add_input(graph, token_ids, {"batch", "time"});
  std::vector<std::string> ngram_inputs;
  if (cfg.ngram_buckets > 0) {
    ngram_inputs.push_back(g.fresh("bigram_ids"));
    if (cfg.ngram_order >= 3) ngram_inputs.push_back(g.fresh("trigram_ids"));
    for (const auto& name : ngram_inputs) add_input(graph, name, {"batch", "time"});
  }
  add_input(graph, lengths, {"batch"});
  const std::string probabilities = g.fresh("probabilities");
  add_output(graph, probabilities, cfg.num_classes);

  GraphContext c{g, model, cfg, lengths, sequence_mask(g, token_ids, lengths)};
  const auto time_major = [&](const std::string& ids) {
    return g.op("Transpose", {ids}, {Attr::ints("perm", {1, 0})});
  };
  std::vector<std::string> ngram_tb;
  for (const auto& name : ngram_inputs) ngram_tb.push_back(time_major(name));
  const std::string x = emit_embeddings(c, time_major(token_ids), ngram_tb);
  const EncoderOutput encoded = emit_encoder(c, x);
  emit_head(c, emit_pooling(c, encoded), predictor.decision_rule(), probabilities);
  add_metadata(proto, predictor);
  return proto;
}

}  // namespace

std::string GraphContext::matrix(std::string_view name, int64_t rows, int64_t cols) {
  if (const nn::QuantizedRows* q = quantized(name)) {
    return g.dequantized(name, rows, cols, q->values, q->scales);
  }
  return g.floats(name, {rows, cols}, param(name));
}

void unsupported(std::string_view part, std::string_view value) {
  throw Error(ErrorCode::kInvalidArgument,
              fmt::format("ONNX export: {} '{}' is not supported by the exporter", part, value));
}

std::string onnx_model_bytes(const predict::Predictor& predictor) {
  const onnx::ModelProto proto = build_model(predictor);
  try {
    onnx::checker::check_model(proto);
  } catch (const std::exception& e) {
    // The exporter made a graph ONNX rejects: a bug here, not a problem of the user's model.
    throw Error(ErrorCode::kInternal, fmt::format("ONNX export of {}: onnx checker: {}",
                                                  predictor.path().string(), e.what()));
  }
  std::string bytes;
  if (!proto.SerializeToString(&bytes)) {
    throw Error(ErrorCode::kInternal,
                fmt::format("ONNX export of {}: the model does not serialise (over 2 GB?)",
                            predictor.path().string()));
  }
  return bytes;
}

}  // namespace zhsenti::exporter
