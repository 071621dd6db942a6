#include "model_export.h"

#include <fmt/format.h>

#include "zhsenti/eval/html_report.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/modelfile/sparse_weights.h"
#include "zhsenti/predict/tokenizer_section.h"

namespace zhsenti::train {

void export_model(const std::filesystem::path& out, const ExportInput& in) {
  modelfile::ModelFiles files;
  auto& config = files.config;
  config.architecture = in.model->config().to_json();
  config.tokenizer = predict::tokenizer_section(in.data->tokenizer, in.data->encode);
  config.labels = in.data->labels;
  config.training_data.sha256 = in.data->train_sha256;
  config.training_data.rows = in.data->layout.size();
  config.training_data.source = in.config->train_path;
  config.metrics = in.dev_metrics->to_json();
  config.extra["training"] = {{"config", in.config->run_settings_json()},
                              {"best_epoch", in.best_epoch},
                              {"dev", in.data->dev_source},
                              {"dev_rows", in.data->dev.size()}};
  if (!in.pruning.is_null()) config.extra["pruning"] = in.pruning;

  const nn::ParamStore& params = in.model->params();
  // Only a pruned model's matrices may be stored sparse; every other model keeps plain F32
  // tensors, which any safetensors reader takes (a file of pre-trained vectors can leave
  // most embedding rows zero without the model being pruned).
  for (const auto& info : params.infos()) {
    const auto values = params.value(params.id(info.name));
    if (in.pruning.is_null()) {
      files.weights.add_f32(info.name, info.shape, values);
    } else {
      modelfile::add_weight(files.weights, info.name, info.shape, values);
    }
  }
  files.vocab = in.data->vocab.to_text();
  files.metrics_log = eval::format_training_log(*in.history);
  files.reference = in.reference;
  if (in.decision_rule) {
    files.decision_rule = predict::decision_rule_json(*in.decision_rule, in.data->labels);
  }

  eval::ReportInput report;
  report.title = "zhsenti training report";
  report.subtitle = fmt::format("dev set ({}) · best epoch {}", in.data->dev_source, in.best_epoch);
  report.metrics = *in.dev_metrics;
  report.history = *in.history;
  const auto& c = *in.config;
  const nn::ClassifierConfig& arch = in.model->config();
  report.details = {{"train", c.train_path},
                    {"tokens", std::string(name_of(c.tokenizer.mode))},
                    {"model", fmt::format("{} {}{} × {}, hidden {}, embed {}, pool {}",
                                          name_of(arch.cell),
                                          arch.bidirectional ? "bi" : "uni", "directional",
                                          arch.layers, arch.hidden, arch.embed_dim, name_of(arch.pool))},
                    {"optimiser", fmt::format("{} lr {} batch {} epochs {}", c.optimizer, c.lr,
                                              c.batch_size, c.epochs)},
                    {"vocabulary", std::to_string(in.data->vocab.size())},
                    {"seed", std::to_string(c.seed)}};
  files.report_html = eval::render_html_report(report);
  modelfile::write_model_dir(out, files);
}

}  // namespace zhsenti::train
