#include "skew_defaults.h"

#include <fmt/format.h>

#include <vector>

namespace zhsenti::train {

std::optional<std::string> apply_skew_defaults(TrainConfig& config,
                                               std::span<const std::int32_t> labels,
                                               std::span<const std::string> label_names) {
  if (!config.skew_defaults || label_names.size() < 2) return std::nullopt;
  const eval::LabelSkew skew = eval::label_skew(labels, label_names.size());
  if (!skew.skewed) return std::nullopt;
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
  if (changed.empty()) return std::nullopt;
  return fmt::format(
      "skewed labels ({} has {} training rows, {} has {}: {:.1f}x >= {}x): {}; "
      "--no-skew-defaults keeps the plain defaults",
      label_names[skew.largest], skew.largest_count, label_names[skew.smallest],
      skew.smallest_count, skew.ratio(), eval::kSkewRatio, fmt::join(changed, ", "));
}

}  // namespace zhsenti::train
