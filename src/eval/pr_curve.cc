// Precision/recall curve of one label against the rest, on the same threshold walk as the ROC
// curve (ties form one threshold), with sklearn's average precision.

#include <algorithm>

#include "threshold_walk.h"
#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {

PrCurve pr_curve(std::span<const std::uint8_t> positives, std::span<const double> scores) {
  const auto p = std::count_if(positives.begin(), positives.end(), [](std::uint8_t v) { return v != 0; });
  PrCurve c;
  if (p == 0) return c;
  double previous_recall = 0;
  detail::walk_thresholds(positives, scores, [&](std::int64_t tp, std::int64_t fp, double threshold) {
    const double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
    const double recall = static_cast<double>(tp) / static_cast<double>(p);
    c.precision.push_back(precision);
    c.recall.push_back(recall);
    c.thresholds.push_back(threshold);
    c.average_precision += (recall - previous_recall) * precision;
    previous_recall = recall;
  });
  return c;
}

}  // namespace zhsenti::eval
