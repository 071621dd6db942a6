#pragma once
// Reference distributions for monitoring a deployed model (reference.json in the model
// directory): what the model's inputs and outputs looked like on the dev set, so a server
// can compare live traffic against them (population stability index). `train` writes it,
// `serve` reads it; both see the bin edges from here.
//
// {"schema": "zhsenti.reference/1",
//  "rows": n,
//  "labels": [...], "label_mix": [fraction predicted per label],
//  "confidence": {"edges": [0.0, 0.1, ... 1.0], "fractions": [...]},   max probability
//  "length": {"edges": [1, 2, 4, ...], "fractions": [...]},           tokens per text
//  "oov_rate": unknown tokens / tokens}

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/vocab/encoder.h"

namespace zhsenti::predict {

// Bin edges shared by training and the server: confidence in tenths, lengths in powers of 2.
const std::vector<double>& confidence_edges();
const std::vector<double>& length_edges();
// Index of the bin [edges[i], edges[i+1]) holding v (the last bin is closed).
std::size_t bin_index(std::span<const double> edges, double v);

// The reference.json document of a model's predictions on `corpus`.
nlohmann::json reference_distributions(std::span<const float> probabilities,
                                       std::span<const std::string> labels,
                                       const vocab::EncodedCorpus& corpus);

struct Reference {
  std::vector<std::string> labels;
  std::vector<double> label_mix;
  std::vector<double> confidence;  // fractions over confidence_edges()
  std::vector<double> length;      // fractions over length_edges()
  double oov_rate = 0;

  // Throws Error(kFormat) naming the bad key; its labels must be the model's.
  static Reference from_json(const nlohmann::json& j, const std::vector<std::string>& model_labels);
};

}  // namespace zhsenti::predict
