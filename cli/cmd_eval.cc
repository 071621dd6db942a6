// zhsenti eval: a model directory and a labelled data file -> metrics (text or JSON) and an
// optional HTML report with the confusion matrix and the model's training curves.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/eval/html_report.h"
#include "zhsenti/eval/metrics.h"
#include "zhsenti/eval/training_log.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/predict/predictor.h"
#include "zhsenti/train/labelled_corpus.h"

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
  data::ReadOptions read;
  read.text_col = a.text_col;
  read.label_col = a.label_col;
  read.on_bad_row = a.skip_bad_rows ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  const data::Dataset ds = data::read_dataset(a.data, read);
  if (ds.examples.empty())
    throw Error(ErrorCode::kInvalidArgument, a.data + ": no rows to evaluate");
  const auto truth = train::label_ids(ds, predictor->labels());

  std::vector<std::string> texts;
  texts.reserve(ds.examples.size());
  for (const auto& ex : ds.examples) texts.push_back(ex.text);
  const auto classes = static_cast<std::size_t>(predictor->num_classes());
  std::vector<float> probs(texts.size() * classes);
  ThreadPool pool(static_cast<std::size_t>(std::max(a.threads, 0)));
  predict::predict_parallel(*predictor, texts, pool, probs);
  const auto predicted = predict::argmax_rows(probs, predictor->num_classes());
  const eval::Metrics m = eval::compute_metrics(truth, predicted, probs, predictor->labels());

  if (a.json) {
    nlohmann::json j = m.to_json();
    j["model"] = a.model;
    j["data"] = a.data;
    j["skipped_rows"] = ds.skipped.size();
    j["decision_rule"] = predictor->decision_rule()
                             ? nlohmann::json(predictor->decision_rule()->log_offsets)
                             : nlohmann::json();
    fmt::print("{}\n", j.dump());
  } else {
    if (predictor->decision_rule()) {
      fmt::print("decision rule: {}/{} (log offsets {:.2f}; --no-decision-rule to ignore)\n",
                 a.model, predict::kDecisionRuleFile,
                 fmt::join(predictor->decision_rule()->log_offsets, " "));
    }
    fmt::print(
        "{}: {} rows{}\n\n{}", a.data, ds.examples.size(),
        ds.skipped.empty() ? "" : fmt::format(" ({} malformed rows skipped)", ds.skipped.size()),
        m.to_text());
  }
  if (!a.report.empty()) {
    eval::ReportInput input;
    input.subtitle = fmt::format("model {} · data {}", a.model, a.data);
    input.metrics = m;
    const auto dir = modelfile::read_model_dir(a.model);
    if (dir.metrics_log) input.history = eval::parse_training_log(*dir.metrics_log);
    input.details = {{"model", a.model},
                     {"data", a.data},
                     {"rows", std::to_string(ds.examples.size())},
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
