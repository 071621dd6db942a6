#pragma once
// The defaults for skewed training labels (eval/label_skew.h: largest class >= 3x the
// smallest). Plain training picks its model on dev accuracy, which a skewed set earns by
// favouring its large classes; these defaults aim at macro-F1 instead: model choice on dev
// macro-F1 and logit adjustment (tau 1) in the loss. A decision rule fitted on dev
// (--calibrate) is not among them: its dev gain is measured on the rows it was fitted to,
// and on the SMP2020 virus test set it lost what it gained there (docs/BENCHMARKS.md,
// "Skewed classes").

#include <optional>
#include <span>
#include <string>

#include "zhsenti/eval/label_skew.h"
#include "zhsenti/train/train_config.h"

namespace zhsenti::train {

// When config.skew_defaults is on and labels are skewed, switches every setting of the
// skewed-data defaults that still has its plain default (a setting given otherwise is kept)
// and returns the one log line that says so, naming the flag that turns it off.
std::optional<std::string> apply_skew_defaults(TrainConfig& config,
                                               std::span<const std::int32_t> labels,
                                               std::span<const std::string> label_names);

}  // namespace zhsenti::train
