#include "metadata.h"

#include <string>

namespace zhsenti::exporter {
namespace {

void add(onnx::ModelProto& model, std::string key, std::string value) {
  onnx::StringStringEntryProto* e = model.add_metadata_props();
  e->set_key(std::move(key));
  e->set_value(std::move(value));
}

}  // namespace

// Everything a runtime needs to turn text into the graph's inputs without zhsenti, beside
// the graph itself: an exported file is then the whole model (docs/export.md).
void add_metadata(onnx::ModelProto& model, const predict::Predictor& predictor) {
  const nn::ClassifierConfig& cfg = predictor.model().config();
  add(model, "labels", nlohmann::json(predictor.labels()).dump());
  add(model, "tokenizer", predictor.config().tokenizer.dump());
  std::string vocab;
  for (std::size_t id = 0; id < predictor.vocab().size(); ++id) {
    vocab += predictor.vocab().token(static_cast<int32_t>(id));
    vocab += '\n';
  }
  add(model, "vocab", std::move(vocab));
  nlohmann::json ngram{{"buckets", cfg.ngram_buckets}};
  if (cfg.ngram_buckets > 0) {
    ngram["order"] = cfg.ngram_order;
    ngram["hash"] = "splitmix64 finaliser, see docs/export.md";
  }
  add(model, "ngram", ngram.dump());
  add(model, "decision_rule", predictor.decision_rule() ? "applied" : "none");
  add(model, "zhsenti_model_version", predictor.config().zhsenti_version);
}

}  // namespace zhsenti::exporter
