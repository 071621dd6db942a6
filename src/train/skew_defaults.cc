#include "skew_defaults.h"

#include <fmt/format.h>

#include <vector>

namespace zhsenti::train {
namespace {

// Switches the settings still at their plain defaults; returns them as flags.
std::vector<std::string> switch_to_skew_defaults(TrainConfig& config) {
  const TrainConfig plain;
  std::vector<std::string> changed;
  if (config.metric == plain.metric) {
    config.metric = "macro_f1";
    changed.push_back("--metric macro_f1");
  }
  if (config.logit_adjust == plain.logit_adjust) {
    config.logit_adjust = 1.0f;
    changed.push_back("--logit-adjust 1");
  }
  return changed;
}

}  // namespace

std::optional<std::string> apply_skew_defaults(TrainConfig& config,
                                               std::span<const std::int32_t> labels,
                                               std::span<const std::string> label_names) {
  if (label_names.size() < 2) return std::nullopt;
  const eval::LabelSkew skew = eval::label_skew(labels, label_names.size());
  if (!skew.skewed) return std::nullopt;
  const std::string what = fmt::format(
      "skewed labels ({} has {} training rows, {} has {}: {:.1f}x >= {}x)",
      label_names[skew.largest], skew.largest_count, label_names[skew.smallest],
      skew.smallest_count, skew.ratio(), eval::kSkewRatio);
  if (!config.skew_defaults) {
    TrainConfig would = config;
    const std::vector<std::string> flags = switch_to_skew_defaults(would);
    if (flags.empty()) return what;
    return fmt::format("{}: plain defaults kept (dev preferred them on the skewed sets measured); "
                       "--skew-defaults would set {}",
                       what, fmt::join(flags, ", "));
  }
  const std::vector<std::string> changed = switch_to_skew_defaults(config);
  if (changed.empty()) return std::nullopt;
  return fmt::format("{}: {}; --no-skew-defaults keeps the plain defaults", what,
                     fmt::join(changed, ", "));
}

}  // namespace zhsenti::train
