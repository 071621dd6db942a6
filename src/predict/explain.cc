#include "zhsenti/predict/explain.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"

namespace zhsenti::predict {

std::vector<TokenAttribution> occlusion_attributions(const Predictor& predictor,
                                                     std::string_view text, int label,
                                                     nn::Workspace& ws) {
  if (label < 0 || label >= predictor.num_classes()) {
    throw Error(ErrorCode::kInvalidArgument, fmt::format("explain: label {} out of range [0, {})",
                                                         label, predictor.num_classes()));
  }
  std::vector<std::string> tokens;
  predictor.tokenizer().tokenize(text, tokens);
  std::vector<TokenAttribution> out(tokens.size());
  if (tokens.empty()) return out;

  // Sequence 0 is the whole text, sequence 1 + i leaves token i out; the encoder truncates
  // each variant exactly as it truncates a real input.
  vocab::EncodedCorpus corpus;
  std::vector<std::string_view> variant;
  variant.reserve(tokens.size());
  for (std::size_t skip = 0; skip <= tokens.size(); ++skip) {
    variant.clear();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i + 1 != skip) variant.emplace_back(tokens[i]);
    }
    predictor.encoder().append(std::span<const std::string_view>(variant), corpus);
  }
  const auto classes = static_cast<std::size_t>(predictor.num_classes());
  std::vector<float> probs(corpus.size() * classes);
  predictor.predict_encoded(corpus, ws, probs);
  const auto l = static_cast<std::size_t>(label);
  const float full = probs[l];
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    out[i].token = std::move(tokens[i]);
    out[i].weight = full - probs[(i + 1) * classes + l];
  }
  return out;
}

}  // namespace zhsenti::predict
