// zhsenti eval: a model directory and a labelled data file -> metrics (text or JSON) and an
// optional HTML report with the confusion matrix and the model's training curves.

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "labelled_predictions.h"
#include "zhsenti/core/output.h"
#include "zhsenti/eval/html_report.h"
#include "zhsenti/eval/label_skew.h"
#include "zhsenti/eval/metrics.h"
#include "zhsenti/eval/training_log.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::cli {
namespace {

struct EvalArgs {
  std::string model;
  std::string data;
  std::string report;
  std::string text_col, label_col;
  bool skip_bad_rows = false;
  bool json = false;
  bool no_decision_rule = false;
  int threads = 0;
};

void run_eval(const EvalArgs& a) {
  predict::Predictor::LoadOptions load;
  load.apply_decision_rule = !a.no_decision_rule;
  const auto predictor = predict::Predictor::load(a.model, load);
  const LabelledPredictions run = predict_labelled_file(
      *predictor, {a.data, a.text_col, a.label_col, a.skip_bad_rows}, a.threads, "evaluate");
  const auto& truth = run.truth;
  const auto& probs = run.probabilities;
  const auto predicted = predict::argmax_rows(probs, predictor->num_classes());
  const eval::Metrics m = eval::compute_metrics(truth, predicted, probs, predictor->labels());
  std::vector<std::int64_t> support;
  for (const auto& c : m.per_class) support.push_back(c.support);
  const eval::LabelSkew skew = eval::label_skew(support);

  if (a.json) {
    nlohmann::json j = m.to_json();
    j["model"] = a.model;
    j["data"] = a.data;
    j["skipped_rows"] = run.skipped;
    j["label_skew"] = {{"skewed", skew.skewed},
                       {"largest", m.labels[skew.largest]},
                       {"smallest", m.labels[skew.smallest]},
                       {"ratio", std::isfinite(skew.ratio()) ? nlohmann::json(skew.ratio())
                                                             : nlohmann::json()}};
    if (!m.pr_curves.empty()) {
      std::vector<double> ap;
      for (const auto& pr : m.pr_curves) ap.push_back(pr.average_precision);
      j["average_precision"] = ap;
    }
    j["decision_rule"] = predictor->decision_rule()
                             ? nlohmann::json(predictor->decision_rule()->log_offsets)
                             : nlohmann::json();
    write_stdout(j.dump() + "\n");
  } else {
    if (predictor->decision_rule()) {
      write_stdout(fmt::format(
          "decision rule: {}/{} (log offsets {:.2f}; --no-decision-rule to ignore)\n", a.model,
          predict::kDecisionRuleFile, fmt::join(predictor->decision_rule()->log_offsets, " ")));
    }
    if (skew.skewed) {
      std::string recalls;
      for (const auto& c : m.per_class) {
        recalls += fmt::format("{}{} {:.4f}", recalls.empty() ? "" : ", ", c.label, c.recall);
      }
      write_stdout(fmt::format(
          "skewed labels ({} {} rows, {} {}: {:.1f}x): macro-F1 {:.4f}, recall {}\n",
          m.labels[skew.largest], skew.largest_count, m.labels[skew.smallest], skew.smallest_count,
          skew.ratio(), m.macro.f1, recalls));
    }
    write_stdout(fmt::format(
        "{}: {} rows{}\n\n{}", a.data, truth.size(),
        run.skipped == 0 ? "" : fmt::format(" ({} malformed rows skipped)", run.skipped),
        m.to_text()));
  }
  if (!a.report.empty()) {
    eval::ReportInput input;
    input.subtitle = fmt::format("model {} · data {}", a.model, a.data);
    input.metrics = m;
    const auto dir = modelfile::read_model_dir(a.model);
    if (dir.metrics_log) input.history = eval::parse_training_log(*dir.metrics_log);
    input.details = {{"model", a.model},
                     {"data", a.data},
                     {"rows", std::to_string(truth.size())},
                     {"labels", fmt::format("{}", fmt::join(predictor->labels(), ", "))}};
    eval::write_html_report(a.report, input);
    fmt::print(stderr, "report written to {}\n", a.report);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a model on labelled data");
  auto a = std::make_shared<EvalArgs>();
  cmd->add_option("--model", a->model, "model directory")->required();
  cmd->add_option("--data", a->data, "labelled data file (tsv, csv, jsonl, json)")->required();
  cmd->add_option("--report", a->report, "write an HTML report here");
  cmd->add_option("--text-col", a->text_col, "text column (default: auto)");
  cmd->add_option("--label-col", a->label_col, "label column (default: auto)");
  cmd->add_flag("--skip-bad-rows", a->skip_bad_rows, "skip (and count) malformed rows");
  cmd->add_flag("--json", a->json, "print metrics as JSON");
  cmd->add_flag("--no-decision-rule", a->no_decision_rule,
                "ignore the model's decision.json (zhsenti calibrate)");
  cmd->add_option("--threads", a->threads, "threads (0: all cores)")->capture_default_str();
  cmd->callback([a] { run_eval(*a); });
}

}  // namespace zhsenti::cli
