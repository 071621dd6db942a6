#include "label_priors.h"

#include <algorithm>
#include <cmath>

namespace zhsenti::train {
namespace {

std::vector<double> counts_of(std::span<const std::int32_t> labels, std::size_t classes) {
  std::vector<double> counts(classes, 0);
  for (auto l : labels) counts[static_cast<std::size_t>(l)] += 1;
  return counts;
}

}  // namespace

std::vector<float> auto_class_weights(std::span<const std::int32_t> labels, std::size_t classes) {
  const std::vector<double> counts = counts_of(labels, classes);
  std::vector<float> w(classes, 0.0f);
  for (std::size_t c = 0; c < classes; ++c) {
    if (counts[c] > 0) {
      w[c] = static_cast<float>(static_cast<double>(labels.size()) /
                                (static_cast<double>(classes) * counts[c]));
    }
  }
  return w;
}

std::vector<float> prior_logit_offsets(std::span<const std::int32_t> labels, std::size_t classes,
                                       float tau) {
  const std::vector<double> counts = counts_of(labels, classes);
  std::vector<float> offsets(classes);
  for (std::size_t c = 0; c < classes; ++c) {
    offsets[c] = static_cast<float>(
        tau * std::log(std::max(counts[c], 1.0) / static_cast<double>(labels.size())));
  }
  return offsets;
}

}  // namespace zhsenti::train
