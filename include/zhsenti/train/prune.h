#pragma once
// `zhsenti prune`: a trained model directory -> a model directory with a given fraction of
// its weight matrices exactly zero (nn/prune/weight_mask.h says which tensors and how they
// are chosen), stored sparse where that is smaller (modelfile/sparse_weights.h).
//
// Gradual magnitude pruning (Zhu & Gupta 2017): step k of K prunes to
//   s_k = S (1 - (1 - k/K)^3)
// (large steps first, while the network has the most to give, small ones at the end), and
// each step fine-tunes the model for a few epochs on the training data with its mask fixed,
// with the fine-tuning machinery (`zhsenti finetune`: the base's settings, learning rate
// divided by kFinetuneLrDivisor, the best epoch on dev kept). The masks are nested: a weight
// pruned at one step stays zero at every later step.
//
// Intermediate steps are written into a staging directory beside --out and removed at the
// end; only the last step writes --out, through the model-directory writer (atomic swap), so
// a failure at any step leaves --out as it was.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zhsenti/nn/prune/weight_mask.h"

namespace zhsenti::train {

struct PruneConfig {
  std::filesystem::path model;
  std::string train_path;
  std::string dev_path;
  double sparsity = 0.0;  // final fraction of pruned weights, in [0, 1)
  int steps = 3;          // schedule steps (K)
  int epochs = 1;         // fine-tuning epochs after each step
  // Per matrix: ranked globally, the pre-trained tables (mean |w| 0.3-0.5) outweigh the
  // recurrent and output matrices (0.05-0.06), so global pruning at 49 % removes every
  // recurrent and output weight and the model falls to chance (docs/BENCHMARKS.md, "Pruning").
  nn::PruneScope scope = nn::PruneScope::kPerMatrix;
  int threads = 0;        // 0: all cores
  bool show_progress = true;

  // Throws Error(kInvalidArgument) naming the flag (--sparsity, --steps, --epochs).
  void validate() const;
};

// s_1 .. s_K of the cubic schedule; the last is `sparsity` exactly.
std::vector<double> prune_schedule(double sparsity, int steps);

struct PruneStepResult {
  int step = 0;
  double sparsity = 0;  // of the mask
  double dev_accuracy = 0;
  double dev_macro_f1 = 0;
};

struct PruneSummary {
  std::filesystem::path out;
  double requested = 0;
  double sparsity = 0;             // zeros over the prunable weights, as read back from --out
  std::size_t prunable = 0;        // weights pruning considered
  std::size_t sparse_tensors = 0;  // tensors stored in the sparse form
  std::uintmax_t weights_bytes = 0;       // model.safetensors of --out
  std::uintmax_t base_weights_bytes = 0;  // of the model it started from
  std::vector<PruneStepResult> steps;

  nlohmann::json to_json() const;
};

PruneSummary prune_model(const PruneConfig& config, const std::filesystem::path& out);

}  // namespace zhsenti::train
