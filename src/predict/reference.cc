#include "zhsenti/predict/reference.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"

namespace zhsenti::predict {

const std::vector<double>& confidence_edges() {
  static const std::vector<double> edges = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
  return edges;
}

const std::vector<double>& length_edges() {
  static const std::vector<double> edges = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1e9};
  return edges;
}

std::size_t bin_index(std::span<const double> edges, double v) {
  const auto it = std::upper_bound(edges.begin(), edges.end(), v);
  const auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(it - edges.begin() - 1, 0));
  return std::min(i, edges.size() - 2);
}

namespace {

std::vector<double> normalise(std::vector<double> counts) {
  double total = 0;
  for (double c : counts) total += c;
  if (total > 0) {
    for (double& c : counts) c /= total;
  }
  return counts;
}

std::vector<double> fractions(const nlohmann::json& j, const char* key, std::size_t bins) {
  auto v = j.at(key).get<std::vector<double>>();
  if (v.size() != bins) {
    throw Error(ErrorCode::kFormat,
                fmt::format("reference.json: '{}' has {} bins, expected {}", key, v.size(), bins));
  }
  return v;
}

}  // namespace

nlohmann::json reference_distributions(std::span<const float> probabilities,
                                       std::span<const std::string> labels,
                                       const vocab::EncodedCorpus& corpus) {
  const std::size_t c = labels.size();
  const std::size_t n = corpus.size();
  std::vector<double> mix(c, 0), confidence(confidence_edges().size() - 1, 0),
      length(length_edges().size() - 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = probabilities.data() + i * c;
    const auto best = std::max_element(row, row + c);
    mix[static_cast<std::size_t>(best - row)] += 1;
    confidence[bin_index(confidence_edges(), *best)] += 1;
    length[bin_index(length_edges(), corpus.length(i))] += 1;
  }
  const vocab::OovStats oov = vocab::oov_stats(corpus.ids);
  return nlohmann::json{
      {"schema", "zhsenti.reference/1"},
      {"rows", n},
      {"labels", std::vector<std::string>(labels.begin(), labels.end())},
      {"label_mix", normalise(mix)},
      {"confidence", {{"edges", confidence_edges()}, {"fractions", normalise(confidence)}}},
      {"length", {{"edges", length_edges()}, {"fractions", normalise(length)}}},
      {"oov_rate", oov.rate()}};
}

Reference Reference::from_json(const nlohmann::json& j,
                               const std::vector<std::string>& model_labels) {
  Reference r;
  try {
    r.labels = j.at("labels").get<std::vector<std::string>>();
    if (r.labels != model_labels)
      throw Error(ErrorCode::kFormat, "reference.json: labels differ from the model's");
    r.label_mix = fractions(j, "label_mix", r.labels.size());
    r.confidence = fractions(j.at("confidence"), "fractions", confidence_edges().size() - 1);
    r.length = fractions(j.at("length"), "fractions", length_edges().size() - 1);
    r.oov_rate = j.at("oov_rate").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::kFormat, fmt::format("reference.json: {}", e.what()));
  }
  return r;
}

}  // namespace zhsenti::predict
