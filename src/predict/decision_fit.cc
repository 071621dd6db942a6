// Choosing a DecisionRule on labelled data: the closed-form equal-prior rule, or a
// coordinate search over per-class offsets.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "zhsenti/core/check.h"
#include "zhsenti/predict/decision_rule.h"

namespace zhsenti::predict {

namespace {

// Offsets tried for one class: -4..4 in steps of 0.05 (a factor of 55 either way on the
// odds, finer than a dev set of a few thousand rows can tell apart).
constexpr float kMaxOffset = 4.0f;
constexpr float kStep = 0.05f;
constexpr int kPasses = 4;

double score_confusion(const std::vector<std::int64_t>& confusion, int c, std::size_t n,
                       DecisionMetric metric) {
  std::int64_t correct = 0;
  for (int k = 0; k < c; ++k) correct += confusion[static_cast<std::size_t>(k * c + k)];
  if (metric == DecisionMetric::kAccuracy)
    return static_cast<double>(correct) / static_cast<double>(n);
  // Macro-F1 as scikit-learn computes it (zero_division=0): F1 = 2 tp / (2 tp + fp + fn).
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    std::int64_t row = 0, col = 0;
    for (int j = 0; j < c; ++j) {
      row += confusion[static_cast<std::size_t>(k * c + j)];
      col += confusion[static_cast<std::size_t>(j * c + k)];
    }
    const auto tp = confusion[static_cast<std::size_t>(k * c + k)];
    const auto denom = row + col;
    sum += denom > 0 ? 2.0 * static_cast<double>(tp) / static_cast<double>(denom) : 0.0;
  }
  return sum / c;
}

// Metric of argmax(logp + offsets) over all rows.
double score(const std::vector<float>& logp, std::span<const std::int32_t> labels, int c,
             const std::vector<float>& offsets, DecisionMetric metric,
             std::vector<std::int64_t>& confusion) {
  std::fill(confusion.begin(), confusion.end(), 0);
  const std::size_t n = labels.size();
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = logp.data() + i * static_cast<std::size_t>(c);
    int best = 0;
    float best_v = row[0] + offsets[0];
    for (int k = 1; k < c; ++k) {
      const float v = row[k] + offsets[static_cast<std::size_t>(k)];
      if (v > best_v) {
        best_v = v;
        best = k;
      }
    }
    ++confusion[static_cast<std::size_t>(labels[i] * c + best)];
  }
  return score_confusion(confusion, c, n, metric);
}

std::vector<float> log_probs(std::span<const float> probs) {
  std::vector<float> out(probs.size());
  for (std::size_t i = 0; i < probs.size(); ++i) out[i] = std::log(std::max(probs[i], 1e-30f));
  return out;
}

void check_inputs(std::span<const float> probs, std::span<const std::int32_t> labels, int c) {
  ZHSENTI_CHECK_ARG(c >= 2, "a decision rule needs at least 2 classes, got {}", c);
  ZHSENTI_CHECK_ARG(!labels.empty(), "no rows to choose a decision rule on");
  ZHSENTI_CHECK_ARG(probs.size() == labels.size() * static_cast<std::size_t>(c),
                    "{} probabilities for {} rows of {} classes", probs.size(), labels.size(), c);
  for (const auto y : labels)
    ZHSENTI_CHECK_ARG(y >= 0 && y < c, "label id {} out of [0, {})", y, c);
}

const char* method_name(DecisionMethod m) { return m == DecisionMethod::kFit ? "fit" : "prior"; }
const char* metric_name(DecisionMetric m) {
  return m == DecisionMetric::kMacroF1 ? "macro_f1" : "accuracy";
}

}  // namespace

double decision_metric(std::span<const float> probs, std::span<const std::int32_t> labels,
                       int num_classes, DecisionMetric metric) {
  check_inputs(probs, labels, num_classes);
  std::vector<std::int64_t> confusion(static_cast<std::size_t>(num_classes * num_classes));
  return score(log_probs(probs), labels, num_classes,
               std::vector<float>(static_cast<std::size_t>(num_classes), 0.0f), metric, confusion);
}

DecisionFit fit_decision_rule(std::span<const float> probs, std::span<const std::int32_t> labels,
                              int num_classes, DecisionMethod method, DecisionMetric metric) {
  check_inputs(probs, labels, num_classes);
  const int c = num_classes;
  const auto cs = static_cast<std::size_t>(c);
  const std::vector<float> logp = log_probs(probs);
  std::vector<std::int64_t> confusion(cs * cs);
  std::vector<float> offsets(cs, 0.0f);
  DecisionFit fit;
  fit.before = score(logp, labels, c, offsets, metric, confusion);

  if (method == DecisionMethod::kPrior) {
    std::vector<double> count(cs, 0.0);
    for (const auto y : labels) count[static_cast<std::size_t>(y)] += 1;
    for (std::size_t k = 0; k < cs; ++k) {
      // A class absent from the data keeps offset 0 rather than an infinite one.
      offsets[k] =
          count[k] > 0
              ? static_cast<float>(-std::log(count[k] / static_cast<double>(labels.size())))
              : 0.0f;
    }
    const float base = offsets[0];
    for (auto& o : offsets) o -= base;  // only differences matter; class 0 stays at 0
  } else {
    // Class 0 stays at 0 (only differences matter); each pass revisits every other class.
    // Per class: the best score over the grid, and of the offsets reaching it the one
    // nearest 0 (the current offset is on the grid, so no pass lowers the score).
    const int steps = static_cast<int>(std::lround(kMaxOffset / kStep));
    std::vector<double> scores(static_cast<std::size_t>(2 * steps + 1));
    for (int pass = 0; pass < kPasses; ++pass) {
      bool moved = false;
      for (std::size_t k = 1; k < cs; ++k) {
        const float keep = offsets[k];
        double top = -1;
        for (int s = -steps; s <= steps; ++s) {
          offsets[k] = static_cast<float>(s) * kStep;
          scores[static_cast<std::size_t>(s + steps)] =
              score(logp, labels, c, offsets, metric, confusion);
          top = std::max(top, scores[static_cast<std::size_t>(s + steps)]);
        }
        int chosen = steps + 1;  // |s| of the chosen offset; any real one is <= steps
        float chosen_o = keep;
        for (int s = -steps; s <= steps; ++s) {
          if (scores[static_cast<std::size_t>(s + steps)] >= top - 1e-12 && std::abs(s) < chosen) {
            chosen = std::abs(s);
            chosen_o = static_cast<float>(s) * kStep;
          }
        }
        offsets[k] = chosen_o;
        moved = moved || chosen_o != keep;
      }
      if (!moved) break;
    }
  }
  fit.after = score(logp, labels, c, offsets, metric, confusion);
  fit.rule.log_offsets = offsets;
  fit.rule.info = {{"method", method_name(method)},
                   {"metric", metric_name(metric)},
                   {"rows", labels.size()},
                   {"before", fit.before},
                   {"after", fit.after}};
  return fit;
}

}  // namespace zhsenti::predict
