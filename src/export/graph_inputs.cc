#include "zhsenti/export/graph_inputs.h"

#include "zhsenti/nn/layers/ngram_hash.h"

namespace zhsenti::exporter {

GraphInputs graph_inputs(const predict::Predictor& model, std::string_view text) {
  GraphInputs in;
  model.encode(text, in.ids);
  const nn::ClassifierConfig& cfg = model.model().config();
  if (cfg.ngram_buckets == 0) return in;
  const int32_t length = static_cast<int32_t>(in.ids.size());
  const std::span<const int32_t> lengths(&length, 1);
  in.bigram_ids.resize(in.ids.size());
  nn::hash_bigrams(in.ids, lengths, cfg.ngram_buckets, in.bigram_ids.data());
  if (cfg.ngram_order >= 3) {
    in.trigram_ids.resize(in.ids.size());
    nn::hash_trigrams(in.ids, lengths, cfg.ngram_buckets, in.trigram_ids.data());
  }
  return in;
}

nlohmann::json to_json(const GraphInputs& inputs) {
  nlohmann::json j{{"ids", inputs.ids}};
  if (!inputs.bigram_ids.empty()) j["bigram_ids"] = inputs.bigram_ids;
  if (!inputs.trigram_ids.empty()) j["trigram_ids"] = inputs.trigram_ids;
  j["length"] = inputs.ids.size();
  return j;
}

}  // namespace zhsenti::exporter
