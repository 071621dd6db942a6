#pragma once
// The walk shared by the ROC and precision/recall curves: examples sorted by score, highest
// first, with tied scores forming one threshold (sklearn's convention).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include "zhsenti/core/check.h"

namespace zhsenti::eval::detail {

// Calls step(tp, fp, threshold) after each group of equal scores, walking from the highest.
template <typename Step>
inline void walk_thresholds(std::span<const std::uint8_t> positives, std::span<const double> scores, Step step) {
  ZHSENTI_CHECK_ARG(positives.size() == scores.size(), "curve: {} labels for {} scores", positives.size(),
                    scores.size());
  for (const double s : scores) ZHSENTI_CHECK_ARG(!std::isnan(s), "curve: NaN score");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    (positives[k] ? tp : fp) += 1;
    if (i + 1 == order.size() || scores[order[i + 1]] != scores[k]) step(tp, fp, scores[k]);
  }
}

}  // namespace zhsenti::eval::detail
