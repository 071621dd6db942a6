#include <cmath>
#include <vector>

#include "emit.h"

namespace zhsenti::exporter {
namespace {

// nn::LayerNorm's and nn::BatchNorm1d's epsilon (their constructors' default, which the
// classifier keeps).
constexpr float kNormEps = 1e-5f;

// Running statistics, written out as the classifier computes them: xhat = (x - mean) * rstd
// with rstd = 1 / sqrt(var + eps) in float, then xhat * weight + bias.
std::string batch_norm(GraphContext& c, const std::string& x) {
  const int f = c.config.feature_dim();
  const auto var = c.param("norm.running_var");
  std::vector<float> rstd(var.size());
  for (std::size_t j = 0; j < var.size(); ++j) rstd[j] = 1.0f / std::sqrt(var[j] + kNormEps);
  const std::string mean = c.g.floats("norm.running_mean", {f}, c.param("norm.running_mean"));
  const std::string scale = c.g.floats("norm.rstd", {f}, rstd);
  const std::string xhat = c.g.op("Mul", {c.g.op("Sub", {x, mean}), scale});
  const std::string w = c.g.floats("norm.weight", {f}, c.param("norm.weight"));
  const std::string b = c.g.floats("norm.bias", {f}, c.param("norm.bias"));
  return c.g.op("Add", {c.g.op("Mul", {xhat, w}), b});
}

std::string layer_norm(GraphContext& c, const std::string& x) {
  const int f = c.config.feature_dim();
  const std::string w = c.g.floats("norm.weight", {f}, c.param("norm.weight"));
  const std::string b = c.g.floats("norm.bias", {f}, c.param("norm.bias"));
  return c.g.op("LayerNormalization", {x, w, b},
                {Attr::i("axis", -1), Attr::f("epsilon", kNormEps)});
}

}  // namespace

void emit_head(GraphContext& c, std::string features,
               const std::optional<predict::DecisionRule>& rule, const std::string& out) {
  const nn::ClassifierConfig& cfg = c.config;
  switch (cfg.norm) {
    case nn::NormType::kNone:
      break;
    case nn::NormType::kLayer:
      features = layer_norm(c, features);
      break;
    case nn::NormType::kBatch:
      features = batch_norm(c, features);
      break;
    default:
      unsupported("norm", name_of(cfg.norm));
  }
  const int f = cfg.feature_dim(), k = cfg.num_classes;
  const std::string w = c.matrix("head.weight", k, f);
  const std::string b = c.g.floats("head.bias", {k}, c.param("head.bias"));
  std::string logits = c.g.op("Gemm", {features, w, b}, {Attr::i("transB", 1)});
  // decision.json: p'_c ∝ p_c exp(o_c) is softmax(logits + o), so the offsets join the
  // logits and predict's probabilities come out of the one softmax.
  if (rule)
    logits = c.g.op("Add", {logits, c.g.floats("decision.log_offsets", {k}, rule->log_offsets)});
  c.g.op_outputs("Softmax", {logits}, {out}, {Attr::i("axis", 1)});
}

}  // namespace zhsenti::exporter
