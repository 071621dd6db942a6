#include "zhsenti/predict/decision_rule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::predict {

namespace {

constexpr int kFormatVersion = 1;

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& what) {
  throw Error(ErrorCode::kFormat, fmt::format("{}: {}", file.string(), what));
}

}  // namespace

void DecisionRule::apply(std::span<float> probs) const {
  const std::size_t c = log_offsets.size();
  if (c == 0) return;
  // exp(o_c) once; p_c exp(o_c) renormalised equals softmax(log p + o) without the logs.
  float scale[64];
  std::vector<float> heap;
  float* s = scale;
  if (c > std::size(scale)) {
    heap.resize(c);
    s = heap.data();
  }
  for (std::size_t k = 0; k < c; ++k) s[k] = std::exp(log_offsets[k]);
  for (std::size_t r = 0; r + c <= probs.size(); r += c) {
    float sum = 0;
    for (std::size_t k = 0; k < c; ++k) sum += probs[r + k] *= s[k];
    if (sum > 0) {
      for (std::size_t k = 0; k < c; ++k) probs[r + k] /= sum;
    }
  }
}

std::optional<DecisionRule> read_decision_rule(const std::filesystem::path& model_dir,
                                               std::span<const std::string> labels) {
  const auto file = model_dir / kDecisionRuleFile;
  if (!std::filesystem::exists(file)) return std::nullopt;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    bad(file, fmt::format("not valid JSON ({})", e.what()));
  }
  if (!j.is_object()) bad(file, "expected a JSON object");
  if (j.value("format_version", 0) != kFormatVersion) {
    bad(file, fmt::format("format_version must be {}", kFormatVersion));
  }
  const auto& jl = j.value("labels", nlohmann::json());
  const auto& jo = j.value("log_offsets", nlohmann::json());
  if (!jl.is_array() || !jo.is_array()) bad(file, "needs arrays \"labels\" and \"log_offsets\"");
  if (jl.size() != labels.size() || jo.size() != labels.size()) {
    bad(file, fmt::format("{} labels and {} offsets for a model with {} labels", jl.size(),
                          jo.size(), labels.size()));
  }
  DecisionRule rule;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    if (!jl[k].is_string() || jl[k].get<std::string>() != labels[k]) {
      bad(file, fmt::format("label {} is {} but the model's is \"{}\" (the rule belongs to "
                            "another model; run `zhsenti calibrate` again)",
                            k, jl[k].dump(), labels[k]));
    }
    if (!jo[k].is_number() || !std::isfinite(jo[k].get<double>())) {
      bad(file, fmt::format("log_offsets[{}] is {}, not a finite number", k, jo[k].dump()));
    }
    rule.log_offsets.push_back(jo[k].get<float>());
  }
  if (j.contains("info")) rule.info = j["info"];
  return rule;
}

std::string decision_rule_json(const DecisionRule& rule, std::span<const std::string> labels) {
  ZHSENTI_CHECK_ARG(rule.log_offsets.size() == labels.size(), "{} offsets for {} labels",
                    rule.log_offsets.size(), labels.size());
  nlohmann::json j;
  j["format_version"] = kFormatVersion;
  j["labels"] = std::vector<std::string>(labels.begin(), labels.end());
  j["log_offsets"] = rule.log_offsets;
  j["info"] = rule.info;
  return j.dump(2) + "\n";
}

void write_decision_rule(const std::filesystem::path& model_dir, const DecisionRule& rule,
                         std::span<const std::string> labels) {
  write_file_atomic(model_dir / kDecisionRuleFile, decision_rule_json(rule, labels));
}

}  // namespace zhsenti::predict
