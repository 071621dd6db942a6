#pragma once
// The resumable state of a training run after a whole epoch: current, best and (--ema-decay)
// averaged weights, the optimiser's buffers and step count, and the epoch history (from which early
// stopping and reduce-on-plateau replay their state). Stored as a directory written atomically:
//   state.json         {"epoch", "step", "config", "vocab_size", "history": [EpochRecord...]}
//   tensors.safetensors  "values", "best_values", "average_values", "optim.<name>" (arena
//                        layout, F32; "average_values" only when the run averages)

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "zhsenti/eval/training_log.h"
#include "zhsenti/nn/optim/optimizer.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti::train {

struct CheckpointState {
  int epoch = 0;          // epochs completed
  std::int64_t step = 0;  // optimiser steps completed
  nlohmann::json config;  // the run's TrainConfig (resume refuses a different one)
  std::size_t vocab_size = 0;
  std::vector<eval::EpochRecord> history;
};

// Throws Error(kInvalidArgument) "DIR: exists and is not a checkpoint directory" unless `dir`
// does not exist or holds a checkpoint's state.json: saving replaces the directory, and a run
// that finishes removes it.
void check_checkpoint_out(const std::filesystem::path& dir);

void save_checkpoint(const std::filesystem::path& dir, const CheckpointState& state,
                     const nn::ParamStore& params, const nn::ParamStore& best,
                     nn::Optimizer& optimizer, const nn::ParamStore* average = nullptr);

// Fills params, best, the optimiser and the average (if any) from the checkpoint. Throws
// Error(kNotFound) when there is none, Error(kInvalidArgument) when it was made with other settings
// than `config` (the epoch budget may differ: resuming may extend a run), Error(kFormat) when it
// does not fit.
CheckpointState load_checkpoint(const std::filesystem::path& dir, const nlohmann::json& config,
                                nn::ParamStore& params, nn::ParamStore& best,
                                nn::Optimizer& optimizer, nn::ParamStore* average = nullptr);

}  // namespace zhsenti::train
