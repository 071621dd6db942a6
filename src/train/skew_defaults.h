#pragma once
// The defaults for skewed training labels (eval/label_skew.h: largest class >= 3x the
// smallest): model choice on dev macro-F1 and logit adjustment (tau 1) in the loss, instead of
// plain training's choice on dev accuracy, which a skewed set earns by favouring its large
// classes. They are opt-in (--skew-defaults): measured on SMP2020 virus 3-class and usual 6
// emotions, dev preferred the plain defaults on both (docs/BENCHMARKS.md, "Skewed classes").
// A decision rule fitted on dev (--calibrate) is not among them either: its dev gain is
// measured on the rows it was fitted to, and on test it lost what it gained there.

#include <optional>
#include <span>
#include <string>

#include "zhsenti/eval/label_skew.h"
#include "zhsenti/train/train_config.h"

namespace zhsenti::train {

// On skewed labels, returns the one log line that says so. With config.skew_defaults on, it
// first switches every setting of the skewed-data defaults that still has its plain default
// (a setting given otherwise is kept) and names the flag that turns this off; with it off
// (the default), nothing changes and the line names the flag and the settings it would switch.
std::optional<std::string> apply_skew_defaults(TrainConfig& config,
                                               std::span<const std::int32_t> labels,
                                               std::span<const std::string> label_names);

}  // namespace zhsenti::train
