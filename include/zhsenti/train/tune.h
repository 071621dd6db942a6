#pragma once
// `zhsenti tune`: random search over a SearchSpace with successive halving over epochs,
// choosing on the dev set.
//
//   sample `trials` points (seeded) -> each trial = base config + point + its own seed ->
//   train every trial to the first rung -> keep the best 1/eta -> ... -> the last rung trains
//   the survivors to --epochs -> results.csv, results.json, best_config.json, best/
//
// A trial's config always has epochs = the full budget, and a rung only pauses training
// (TrainOptions::stop_after_epoch) and resumes from the trial's checkpoint. So the
// learning-rate schedule (cosine, step, warm-up: all functions of the planned step count) is
// the one the trial would follow in a single full run: trials at a rung are compared at the
// same point of the same schedule, a promoted trial continues it without a jump, and the best
// trial's model is exactly what `zhsenti train --config best_config.json` trains.
//
// The output directory holds:
//   tune_state.json   settings and every trial's results, rewritten atomically after each rung
//                     of each trial; running the same command again continues from it
//   trials/NNN        trial NNN's model after its latest rung, and trials/NNN.ckpt while it
//                     may continue; both are removed once the trial is stopped
//   results.csv, results.json, best_config.json, best/ (a copy of the best trial's model)

#include <filesystem>
#include <string>

#include "zhsenti/train/train_config.h"
#include "zhsenti/train/tune_results.h"
#include "zhsenti/train/tune_space.h"

namespace zhsenti::train {

struct TuneOptions {
  // Every setting the space does not search, the data (dev is required: each trial has its own
  // seed, so a seeded hold-out of train would differ between trials), the metric, and:
  //   epochs  the most epochs a trial trains (the last rung)
  //   seed    fixes the sampled points and each trial's seed
  TrainConfig base;
  SearchSpace space;
  int trials = 10;
  int min_epochs = 1;  // the first rung
  int eta = 3;         // keep the best 1/eta at each rung
  // Stop starting new trial rungs once this invocation has run this long (0: no limit); a rung
  // already started finishes. Results are written either way; run again to continue.
  double budget_minutes = 0;
  bool show_progress = true;
};

struct TuneResult {
  TuneReport report;
  std::filesystem::path out;
  int rungs_run = 0;          // trial rungs trained by this invocation
  bool budget_spent = false;  // stopped by budget_minutes before the search was complete
};

// Throws Error(kInvalidArgument) for bad options, or when `out` holds a search made with other
// settings (only budget_minutes may change between runs: even threads are part of a trial's
// checkpoint).
TuneResult run_tune(const TuneOptions& options, const std::filesystem::path& out);

}  // namespace zhsenti::train
