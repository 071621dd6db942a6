#include "zhsenti/train/prune.h"

#include <fmt/format.h>

#include <cmath>

#include "base_model.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/staging_dir.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/modelfile/model_out.h"
#include "zhsenti/modelfile/sparse_weights.h"
#include "zhsenti/predict/predictor.h"
#include "zhsenti/train/finetune.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::train {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Removes the intermediate models however the run ends.
class WorkDir {
 public:
  explicit WorkDir(const fs::path& out) : staging_(out) {}
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(staging_.path(), ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  fs::path step(int k) const { return staging_.path() / fmt::format("step-{}", k); }

 private:
  StagingDir staging_;
};

}  // namespace

void PruneConfig::validate() const {
  ZHSENTI_CHECK_ARG(std::isfinite(sparsity) && sparsity >= 0.0 && sparsity < 1.0,
                    "--sparsity {} must be in [0, 1) (the fraction of weights set to zero)",
                    sparsity);
  ZHSENTI_CHECK_ARG(steps >= 1, "--steps {} must be >= 1", steps);
  ZHSENTI_CHECK_ARG(epochs >= 1, "--epochs {} must be >= 1", epochs);
  ZHSENTI_CHECK_ARG(!train_path.empty(), "--train is required");
  ZHSENTI_CHECK_ARG(!dev_path.empty(), "--dev is required");
}

std::vector<double> prune_schedule(double sparsity, int steps) {
  std::vector<double> s;
  for (int k = 1; k <= steps; ++k) {
    const double left = 1.0 - static_cast<double>(k) / steps;
    s.push_back(k == steps ? sparsity : sparsity * (1.0 - left * left * left));
  }
  return s;
}

json PruneSummary::to_json() const {
  json history = json::array();
  for (const auto& s : steps) {
    history.push_back({{"step", s.step},
                       {"sparsity", s.sparsity},
                       {"dev_accuracy", s.dev_accuracy},
                       {"dev_macro_f1", s.dev_macro_f1}});
  }
  return {{"out", out.string()},
          {"requested_sparsity", requested},
          {"sparsity", sparsity},
          {"prunable_weights", prunable},
          {"sparse_tensors", sparse_tensors},
          {"weights_bytes", weights_bytes},
          {"base_weights_bytes", base_weights_bytes},
          {"steps", history}};
}

PruneSummary prune_model(const PruneConfig& config, const fs::path& out) {
  config.validate();
  // Before anything is read or written: a refused --out leaves every file as it was.
  modelfile::check_model_out(out);
  TrainConfig finetune = finetune_config(config.model);
  finetune.train_path = config.train_path;
  finetune.dev_path = config.dev_path;
  finetune.epochs = config.epochs;
  finetune.early_stopping = 0;
  finetune.extend_vocab = false;  // the masks need the base's shapes
  finetune.threads = config.threads;
  finetune.validate();

  remove_stale_staging(out);
  const WorkDir work(out);
  const std::vector<double> schedule = prune_schedule(config.sparsity, config.steps);
  PruneSummary summary;
  summary.out = out;
  summary.requested = config.sparsity;
  fs::path previous = config.model;
  for (int k = 1; k <= config.steps; ++k) {
    const BaseModel base = load_base_model(previous);
    const nn::WeightMask mask =
        nn::WeightMask::select(base.model.params(), schedule[k - 1], config.scope);
    log::info("pruning step {}/{}: {:.2f}% of {} weights ({}), {} fine-tuning epoch(s)", k,
              config.steps, 100 * mask.sparsity(), mask.total(), nn::prune_scope_name(config.scope),
              config.epochs);
    TrainConfig step_config = finetune;
    step_config.init_model = previous.string();
    TrainOptions options;
    options.mask = &mask;
    options.show_progress = config.show_progress;
    options.pruning = {{"sparsity", mask.sparsity()},
                       {"scope", nn::prune_scope_name(config.scope)},
                       {"step", k},
                       {"steps", config.steps},
                       {"epochs_per_step", config.epochs},
                       {"base", config.model.string()}};
    const fs::path step_out = k == config.steps ? out : work.step(k);
    const TrainSummary trained = train_model(step_config, step_out, options);
    summary.steps.push_back({k, mask.sparsity(), trained.dev_metrics.accuracy,
                             trained.dev_metrics.macro.f1});
    summary.prunable = mask.total();
    previous = step_out;
  }

  // What was written, read back.
  const modelfile::ModelDir written = modelfile::read_model_dir(out);
  const nn::Classifier result = predict::load_classifier(written);
  summary.sparsity = nn::measured_sparsity(result.params());
  for (const auto& info : result.params().infos()) {
    summary.sparse_tensors += modelfile::stores_sparse(written.weights, info.name);
  }
  summary.weights_bytes = fs::file_size(out / modelfile::kWeightsFile);
  summary.base_weights_bytes = fs::file_size(config.model / modelfile::kWeightsFile);
  return summary;
}

}  // namespace zhsenti::train
