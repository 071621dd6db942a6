#pragma once
// `zhsenti train`: data files in, a model directory out.
//
//   read train (+ dev, or a stratified hold-out of train) -> tokenize on all cores -> vocab
//   from train only -> length-bucketed shuffled batches -> forward / loss / backward / clip /
//   optimiser step -> dev metrics each epoch -> early stopping on the chosen metric -> best
//   epoch's weights restored -> model directory written atomically.
//
// Reproducible: the seed fixes the hold-out split, initialisation, batch order and dropout
// masks (epoch e shuffles with Rng(seed).fork(e) and drops out with a fork of its own, so a
// resumed run continues the very same streams). With one thread two runs are bit-identical.
// A checkpoint (weights, best weights, optimiser state, epoch history) is written atomically
// after each epoch to <out>.ckpt/ and removed once the model directory is in place.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "zhsenti/eval/metrics.h"
#include "zhsenti/train/train_config.h"

namespace zhsenti::nn {
class WeightMask;
}

namespace zhsenti::train {

// Where a run is, for a progress display (the Python module's callback).
struct TrainProgress {
  int epoch = 0;
  int epochs = 0;
  std::size_t batch = 0;  // batches done in this epoch
  std::size_t batches = 0;
  double train_loss = 0;      // mean over this epoch's batches so far
  double train_accuracy = 0;
  bool epoch_done = false;    // set once per epoch, after the dev evaluation below
  double dev_accuracy = 0;
  double dev_macro_f1 = 0;
};

struct TrainOptions {
  bool resume = false;           // continue from <out>.ckpt/ (same settings; --epochs may grow)
  bool keep_checkpoint = false;  // leave <out>.ckpt/ in place to continue training later
  // > 0: pause after this epoch (export the best weights so far) although the learning-rate
  // schedule still spans config.epochs, so that a resumed run continues the same schedule
  // (`zhsenti tune` trains each trial rung by rung this way).
  int stop_after_epoch = 0;
  bool show_progress = true;      // progress bars: tokenizing, pre-training, each epoch
  // Called on the training thread after every batch and after each epoch's dev evaluation.
  // An exception it throws stops training where it is: the checkpoint of the last finished
  // epoch stays (for resume) and `out` is left as it was.
  std::function<void(const TrainProgress&)> on_progress;
  // Pruning (`zhsenti prune`): these weights start at zero and stay zero (their gradients are
  // masked after each backward pass, their optimiser state zeroed); the mask must have been
  // selected on a store with the model's layout. Not with resume.
  const nn::WeightMask* mask = nullptr;
  // Written to config.json as "pruning" when not null (what `zhsenti prune` did).
  nlohmann::json pruning;
};

struct TrainSummary {
  std::filesystem::path out;
  int epochs_run = 0;
  int best_epoch = 0;
  double best_score = 0;            // dev value of config.metric at best_epoch
  eval::Metrics dev_metrics;        // of the restored best weights
  double seconds_per_epoch = 0;     // training only (dev evaluation excluded)
  double train_tokens_per_s = 0;    // non-padding input tokens per training second
  std::size_t train_rows = 0;
  std::size_t dev_rows = 0;
  std::size_t vocab_size = 0;
  double dev_oov_rate = 0;
  nlohmann::json pretrained;  // coverage of --pretrained or pre-trained vectors (null: none)

  nlohmann::json to_json() const;
};

TrainSummary train_model(const TrainConfig& config, const std::filesystem::path& out,
                         const TrainOptions& options = {});

// The checkpoint directory used for `out`.
std::filesystem::path checkpoint_dir(const std::filesystem::path& out);

}  // namespace zhsenti::train
