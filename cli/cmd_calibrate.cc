// zhsenti calibrate: choose a model's prior/threshold correction (predict/decision_rule.h)
// on labelled dev data and store it in the model directory, where eval, predict and serve
// pick it up. Never run it on test data: the offsets are fitted to the data they see.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "labelled_predictions.h"
#include "zhsenti/eval/metrics.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/predict/decision_rule.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::cli {
namespace {

struct CalibrateArgs {
  std::string model;
  std::string dev;
  std::string method = "fit";
  std::string metric = "macro_f1";
  std::string text_col, label_col;
  bool skip_bad_rows = false;
  bool dry_run = false;
  bool json = false;
  int threads = 0;
};

eval::Metrics calibrate_metrics(std::span<const std::int32_t> truth, std::span<const float> probs,
                                const predict::Predictor& p) {
  return eval::compute_metrics(truth, predict::argmax_rows(probs, p.num_classes()), probs,
                               p.labels());
}

void run_calibrate(const CalibrateArgs& a) {
  predict::Predictor::LoadOptions load;
  load.apply_decision_rule = false;  // fitted on the model's own probabilities
  const auto predictor = predict::Predictor::load(a.model, load);
  const LabelledPredictions run = predict_labelled_file(
      *predictor, {a.dev, a.text_col, a.label_col, a.skip_bad_rows}, a.threads, "calibrate on");
  const auto& truth = run.truth;
  const auto& probs = run.probabilities;
  const int classes = predictor->num_classes();

  const auto method =
      a.method == "prior" ? predict::DecisionMethod::kPrior : predict::DecisionMethod::kFit;
  const auto metric = a.metric == "accuracy" ? predict::DecisionMetric::kAccuracy
                                             : predict::DecisionMetric::kMacroF1;
  predict::DecisionFit fit = predict::fit_decision_rule(probs, truth, classes, method, metric);
  fit.rule.info["data"] = a.dev;
  const eval::Metrics before = calibrate_metrics(truth, probs, *predictor);
  std::vector<float> corrected = probs;
  fit.rule.apply(corrected);
  const eval::Metrics after = calibrate_metrics(truth, corrected, *predictor);
  // A rule that does not raise the metric on the data it was chosen on has nothing to offer.
  const bool gain = fit.after > fit.before;
  const bool write = gain && !a.dry_run;
  if (write) predict::write_decision_rule(a.model, fit.rule, predictor->labels());

  if (a.json) {
    nlohmann::json j;
    j["model"] = a.model;
    j["data"] = a.dev;
    j["method"] = a.method;
    j["metric"] = a.metric;
    j["labels"] = predictor->labels();
    j["log_offsets"] = fit.rule.log_offsets;
    j["before"] = {{"accuracy", before.accuracy}, {"macro_f1", before.macro.f1}};
    j["after"] = {{"accuracy", after.accuracy}, {"macro_f1", after.macro.f1}};
    j["written"] = write;
    fmt::print("{}\n", j.dump());
    return;
  }
  fmt::print("{}: {} rows, method {}, metric {}\n\n{:<16} {:>10} {:>9} {:>9}\n", a.dev,
             truth.size(), a.method, a.metric, "label", "offset", "F1 before", "F1 after");
  for (int k = 0; k < classes; ++k) {
    const auto i = static_cast<std::size_t>(k);
    fmt::print("{:<16} {:>+10.2f} {:>9.4f} {:>9.4f}\n", predictor->labels()[i],
               fit.rule.log_offsets[i], before.per_class[i].f1, after.per_class[i].f1);
  }
  fmt::print("\naccuracy {:.4f} -> {:.4f}, macro-F1 {:.4f} -> {:.4f}\n", before.accuracy,
             after.accuracy, before.macro.f1, after.macro.f1);
  if (write) {
    fmt::print(
        "written to {}/{} (eval, predict and serve apply it; --no-decision-rule "
        "turns it off)\n",
        a.model, predict::kDecisionRuleFile);
  } else {
    fmt::print("{}\n",
               a.dry_run ? "dry run: nothing written" : "no gain on this data: nothing written");
  }
}

}  // namespace

void add_calibrate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "calibrate", "Choose a prior/threshold correction on dev data and store it with the model");
  auto a = std::make_shared<CalibrateArgs>();
  cmd->add_option("--model", a->model, "model directory (decision.json is written there)")
      ->required();
  cmd->add_option("--dev", a->dev, "labelled dev data (never the test set)")->required();
  cmd->add_option("--method", a->method,
                  "fit: search per-class offsets for the metric; prior: give every class the "
                  "same prior (offsets -log class share)")
      ->check(CLI::IsMember({"fit", "prior"}))
      ->capture_default_str();
  cmd->add_option("--metric", a->metric, "what the fit maximises")
      ->check(CLI::IsMember({"macro_f1", "accuracy"}))
      ->capture_default_str();
  cmd->add_option("--text-col", a->text_col, "text column (default: auto)");
  cmd->add_option("--label-col", a->label_col, "label column (default: auto)");
  cmd->add_flag("--skip-bad-rows", a->skip_bad_rows, "skip (and count) malformed rows");
  cmd->add_flag("--dry-run", a->dry_run, "report, write nothing");
  cmd->add_flag("--json", a->json, "print the result as JSON");
  cmd->add_option("--threads", a->threads, "threads (0: all cores)")->capture_default_str();
  cmd->callback([a] { run_calibrate(*a); });
}

}  // namespace zhsenti::cli
