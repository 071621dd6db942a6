#include "zhsenti/predict/quantize.h"

#include <fmt/format.h>

#include <deque>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_out.h"
#include "zhsenti/nn/quantized.h"
#include "zhsenti/predict/decision_rule.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::predict {

bool is_quantized(const modelfile::ModelConfig& config) {
  return config.extra.contains(std::string(kQuantizationKey));
}

QuantizeSummary quantize_model_dir(const std::filesystem::path& in,
                                   const std::filesystem::path& out) {
  modelfile::check_model_out(out);
  modelfile::ModelDir dir = modelfile::read_model_dir(in);
  if (is_quantized(dir.config)) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: the model is already quantised ({} in {}); quantize its fp32 "
                            "original instead",
                            in.string(), kQuantizationKey, modelfile::kConfigFile));
  }
  const nn::Classifier model = load_classifier(dir);
  const nn::ParamStore& params = model.params();

  QuantizeSummary summary;
  modelfile::ModelFiles files;
  // The writer keeps views: the quantised rows and scale names live until it has written.
  std::deque<nn::QuantizedRows> rows;
  for (const auto& info : params.infos()) {
    const auto values = params.value(params.id(info.name));
    if (info.shape.size() != 2) {
      files.weights.add_f32(info.name, info.shape, values);
      continue;
    }
    const nn::QuantizedRows& q = rows.emplace_back(nn::quantize_rows(
        values, static_cast<int>(info.shape[0]), static_cast<int>(info.shape[1])));
    files.weights.add_i8(info.name, info.shape, q.values);
    files.weights.add_f32(info.name + std::string(kScaleSuffix), {info.shape[0]}, q.scales);
    ++summary.matrices;
  }
  files.config = dir.config;
  files.config.extra[std::string(kQuantizationKey)] = {
      {"dtype", "int8"},
      {"scheme", "symmetric per-row"},
      {"activations", "dynamic int8"},
      {"source_created_at", dir.config.created_at}};
  files.config.created_at.clear();  // this file's time, filled by write_model_dir
  files.config.zhsenti_version.clear();
  files.vocab = std::move(dir.vocab);
  files.metrics_log = std::move(dir.metrics_log);
  files.report_html = std::move(dir.report_html);
  files.reference = std::move(dir.reference);
  // A decision rule belongs to the model's probabilities; the quantised model keeps it.
  std::error_code ec;
  if (std::filesystem::is_regular_file(in / kDecisionRuleFile, ec)) {
    files.decision_rule = read_file(in / kDecisionRuleFile);
  }
  modelfile::write_model_dir(out, files);
  summary.fp32_bytes = std::filesystem::file_size(in / modelfile::kWeightsFile);
  summary.int8_bytes = std::filesystem::file_size(out / modelfile::kWeightsFile);
  return summary;
}

}  // namespace zhsenti::predict
