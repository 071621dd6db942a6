#pragma once
// Prediction-time correction for class priors and thresholds, in one rule: per-class offsets
// added to the log-probabilities, p'_c = p_c exp(o_c) / sum_k p_k exp(o_k). A model trained
// on skewed data under-predicts its small classes; shifting their log-odds trades precision
// for recall, which is what macro-F1 rewards. For two classes the offset is a threshold:
// class 1 wins when p_1 / p_0 > exp(o_0 - o_1).
//
// The offsets are chosen on labelled dev data (`zhsenti calibrate`), never on test, and
// stored beside the model as decision.json; Predictor applies them to every prediction
// unless told not to (Predictor::LoadOptions::apply_decision_rule).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::predict {

inline constexpr const char* kDecisionRuleFile = modelfile::kDecisionRuleFile.data();

struct DecisionRule {
  std::vector<float> log_offsets;  // one per label, in the model's label order
  // How it was made, kept in the file for people: method, metric, data, scores.
  nlohmann::json info = nlohmann::json::object();

  // probs: row-major (n, log_offsets.size()), rows summing to 1; rewritten in place.
  void apply(std::span<float> probs) const;
};

// How a rule is chosen from dev predictions.
enum class DecisionMethod {
  kFit,    // coordinate search over each class's offset, maximising the metric
  kPrior,  // o_c = -log(share of class c in the data): every class gets the same prior
};
enum class DecisionMetric { kMacroF1, kAccuracy };

struct DecisionFit {
  DecisionRule rule;
  double before = 0;  // metric with the model's own probabilities
  double after = 0;   // metric with the rule applied
};

// probs (n, C) and labels (n, ids in [0, C)). With kFit the search keeps an offset only
// where it raises the metric, and of equal scores prefers the offset nearest 0, so a
// model that needs no correction gets (almost) none. Throws Error(kInvalidArgument) on
// mismatched sizes, fewer than 2 classes or no rows.
DecisionFit fit_decision_rule(std::span<const float> probs, std::span<const std::int32_t> labels,
                              int num_classes, DecisionMethod method, DecisionMetric metric);

// The metric of argmax predictions (exposed for tests and for the CLI's report).
double decision_metric(std::span<const float> probs, std::span<const std::int32_t> labels,
                       int num_classes, DecisionMetric metric);

// dir/decision.json, checked against the model's labels (same labels in the same order,
// finite offsets); nullopt when the file does not exist. Throws Error(kFormat) naming the
// file and the problem.
std::optional<DecisionRule> read_decision_rule(const std::filesystem::path& model_dir,
                                               std::span<const std::string> labels);
// decision.json's text (train stores it with a new model through modelfile::ModelFiles).
std::string decision_rule_json(const DecisionRule& rule, std::span<const std::string> labels);
// Atomic write of dir/decision.json.
void write_decision_rule(const std::filesystem::path& model_dir, const DecisionRule& rule,
                         std::span<const std::string> labels);

}  // namespace zhsenti::predict
