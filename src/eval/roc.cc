// Binary ROC curve and area, with tied scores handled as one threshold (one diagonal step),
// which is what sklearn's roc_curve/roc_auc_score do and equals the Mann-Whitney U statistic
// with ties counted 1/2.

#include <algorithm>
#include <limits>

#include "threshold_walk.h"
#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {

RocCurve roc_curve(std::span<const std::uint8_t> positives, std::span<const double> scores) {
  const auto p = std::count_if(positives.begin(), positives.end(), [](std::uint8_t v) { return v != 0; });
  const auto n = static_cast<std::int64_t>(positives.size()) - p;
  RocCurve c;
  c.fpr.push_back(0);
  c.tpr.push_back(0);
  c.thresholds.push_back(std::numeric_limits<double>::infinity());
  detail::walk_thresholds(positives, scores, [&](std::int64_t tp, std::int64_t fp, double threshold) {
    c.fpr.push_back(n == 0 ? 0.0 : static_cast<double>(fp) / static_cast<double>(n));
    c.tpr.push_back(p == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(p));
    c.thresholds.push_back(threshold);
  });
  return c;
}

std::optional<double> roc_auc(std::span<const std::uint8_t> positives, std::span<const double> scores) {
  const auto p = std::count_if(positives.begin(), positives.end(), [](std::uint8_t v) { return v != 0; });
  const auto n = static_cast<std::int64_t>(positives.size()) - p;
  // Twice the trapezoid area in units of (1/N) x (1/P), exact in integers:
  // each threshold group adds d_fp * (tp_before + tp_after).
  std::int64_t area2 = 0;
  std::int64_t tp_prev = 0, fp_prev = 0;
  detail::walk_thresholds(positives, scores, [&](std::int64_t tp, std::int64_t fp, double) {
    area2 += (fp - fp_prev) * (tp_prev + tp);
    tp_prev = tp;
    fp_prev = fp;
  });
  if (p == 0 || n == 0) return std::nullopt;
  return static_cast<double>(area2) / (2.0 * static_cast<double>(p) * static_cast<double>(n));
}

}  // namespace zhsenti::eval
