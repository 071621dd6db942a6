#include "zhsenti/eval/label_skew.h"

#include <limits>
#include <vector>

#include "zhsenti/core/check.h"

namespace zhsenti::eval {

double LabelSkew::ratio() const {
  if (smallest_count == 0) {
    return largest_count == 0 ? 1.0 : std::numeric_limits<double>::infinity();
  }
  return static_cast<double>(largest_count) / static_cast<double>(smallest_count);
}

LabelSkew label_skew(std::span<const std::int64_t> counts) {
  ZHSENTI_CHECK_ARG(counts.size() >= 2, "label skew: {} labels, need at least 2", counts.size());
  LabelSkew s;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    ZHSENTI_CHECK_ARG(counts[c] >= 0, "label skew: negative count {} of label {}", counts[c], c);
    if (counts[c] > counts[s.largest]) s.largest = c;
    if (counts[c] < counts[s.smallest]) s.smallest = c;
  }
  s.largest_count = counts[s.largest];
  s.smallest_count = counts[s.smallest];
  s.skewed = s.largest_count > 0 &&
             static_cast<double>(s.largest_count) >= kSkewRatio * static_cast<double>(s.smallest_count);
  return s;
}

LabelSkew label_skew(std::span<const std::int32_t> labels, std::size_t num_classes) {
  std::vector<std::int64_t> counts(num_classes, 0);
  for (const std::int32_t l : labels) {
    ZHSENTI_CHECK_ARG(l >= 0 && static_cast<std::size_t>(l) < num_classes,
                      "label skew: label {} not in [0, {})", l, num_classes);
    ++counts[static_cast<std::size_t>(l)];
  }
  return label_skew(counts);
}

}  // namespace zhsenti::eval
