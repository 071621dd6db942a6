#include "zhsenti/eval/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"
#include "zhsenti/eval/label_skew.h"

namespace zhsenti::eval {

namespace {

constexpr double kLogLossEps = 1e-15;

std::string join_labels(const std::vector<std::string>& labels, const std::vector<std::size_t>& ids) {
  std::string out;
  for (const auto i : ids) {
    if (!out.empty()) out += ", ";
    out += labels[i];
  }
  return out;
}

void add_prf(Metrics& m) {
  const std::size_t k = m.labels.size();
  std::vector<std::size_t> no_pred, no_true, no_both;
  for (std::size_t c = 0; c < k; ++c) {
    ClassMetrics cm;
    cm.label = m.labels[c];
    const std::int64_t tp = m.confusion[c][c];
    for (std::size_t r = 0; r < k; ++r) {
      cm.support += m.confusion[c][r];
      cm.predicted += m.confusion[r][c];
    }
    cm.precision = cm.predicted == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(cm.predicted);
    cm.recall = cm.support == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(cm.support);
    const double denom = cm.precision + cm.recall;
    cm.f1 = denom == 0.0 ? 0.0 : 2.0 * cm.precision * cm.recall / denom;
    if (cm.predicted == 0) no_pred.push_back(c);
    if (cm.support == 0) no_true.push_back(c);
    if (cm.predicted == 0 && cm.support == 0) no_both.push_back(c);
    m.per_class.push_back(cm);
  }
  if (!no_pred.empty()) {
    m.notes.push_back("precision is ill-defined and set to 0 for labels with no predicted samples: " +
                      join_labels(m.labels, no_pred));
  }
  if (!no_true.empty()) {
    m.notes.push_back("recall is ill-defined and set to 0 for labels with no true samples: " +
                      join_labels(m.labels, no_true));
  }
  if (!no_both.empty()) {
    m.notes.push_back("F1 is ill-defined and set to 0 for labels with no true nor predicted samples: " +
                      join_labels(m.labels, no_both));
  }
  const double total = static_cast<double>(m.num_examples);
  for (const auto& cm : m.per_class) {
    m.macro.precision += cm.precision / static_cast<double>(k);
    m.macro.recall += cm.recall / static_cast<double>(k);
    m.macro.f1 += cm.f1 / static_cast<double>(k);
    const double w = static_cast<double>(cm.support) / total;
    m.weighted.precision += cm.precision * w;
    m.weighted.recall += cm.recall * w;
    m.weighted.f1 += cm.f1 * w;
  }
}

void add_probability_metrics(Metrics& m, std::span<const std::int32_t> y_true, std::span<const float> probs) {
  const std::size_t n = y_true.size();
  const std::size_t k = m.labels.size();
  double loss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double row_sum = 0;
    for (std::size_t c = 0; c < k; ++c) row_sum += std::clamp(static_cast<double>(probs[i * k + c]), kLogLossEps, 1 - kLogLossEps);
    const double p = std::clamp(static_cast<double>(probs[i * k + static_cast<std::size_t>(y_true[i])]), kLogLossEps,
                                1 - kLogLossEps);
    loss -= std::log(p / row_sum);
  }
  m.log_loss = loss / static_cast<double>(n);

  std::vector<std::uint8_t> positives(n);
  std::vector<double> scores(n);
  auto one_vs_rest = [&](std::size_t c) {
    for (std::size_t i = 0; i < n; ++i) {
      positives[i] = static_cast<std::size_t>(y_true[i]) == c;
      scores[i] = probs[i * k + c];
    }
  };
  std::vector<std::int64_t> support(k);
  for (std::size_t c = 0; c < k; ++c) support[c] = m.per_class[c].support;
  if (label_skew(support).skewed) {
    for (std::size_t c = 0; c < k; ++c) {
      one_vs_rest(c);
      m.pr_curves.push_back(pr_curve(positives, scores));
    }
  }
  if (k == 2) {
    one_vs_rest(1);
    m.roc_auc = roc_auc(positives, scores);
    if (m.roc_auc) {
      m.roc = roc_curve(positives, scores);
    } else {
      m.notes.push_back("ROC-AUC is undefined: only one class is present in the true labels");
    }
    return;
  }
  // sklearn refuses one-vs-rest AUC unless every row is a distribution (np.allclose).
  for (std::size_t i = 0; i < n; ++i) {
    double row_sum = 0;
    for (std::size_t c = 0; c < k; ++c) row_sum += probs[i * k + c];
    if (std::abs(row_sum - 1.0) > 1e-8 + 1e-5 * std::abs(row_sum)) {
      m.notes.push_back(fmt::format(
          "ROC-AUC (one-vs-rest macro) is undefined: probabilities of example {} sum to {}, not 1", i, row_sum));
      return;
    }
  }
  double sum = 0;
  for (std::size_t c = 0; c < k; ++c) {
    one_vs_rest(c);
    const auto auc = roc_auc(positives, scores);
    if (!auc) {
      m.notes.push_back(fmt::format("ROC-AUC (one-vs-rest macro) is undefined: {} {}",
                                    m.per_class[c].support == 0 ? "no true samples of label" : "every true label is",
                                    m.labels[c]));
      return;
    }
    sum += *auc;
  }
  m.roc_auc = sum / static_cast<double>(k);
}

}  // namespace

Metrics compute_metrics(std::span<const std::int32_t> y_true, std::span<const std::int32_t> y_pred,
                        std::span<const float> probabilities, std::span<const std::string> labels) {
  const std::size_t n = y_true.size();
  const std::size_t k = labels.size();
  ZHSENTI_CHECK_ARG(k >= 2, "metrics need at least 2 labels, got {}", k);
  ZHSENTI_CHECK_ARG(n > 0, "metrics need at least one example");
  ZHSENTI_CHECK_ARG(y_pred.size() == n, "{} true labels but {} predictions", n, y_pred.size());
  ZHSENTI_CHECK_ARG(probabilities.empty() || probabilities.size() == n * k,
                    "probabilities must be {} x {} = {} values, got {}", n, k, n * k, probabilities.size());
  for (std::size_t i = 0; i < n; ++i) {
    ZHSENTI_CHECK_ARG(y_true[i] >= 0 && static_cast<std::size_t>(y_true[i]) < k,
                      "true label id {} of example {} is outside [0, {})", y_true[i], i, k);
    ZHSENTI_CHECK_ARG(y_pred[i] >= 0 && static_cast<std::size_t>(y_pred[i]) < k,
                      "predicted label id {} of example {} is outside [0, {})", y_pred[i], i, k);
  }
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    ZHSENTI_CHECK_ARG(std::isfinite(probabilities[i]) && probabilities[i] >= 0,
                      "probability {} of example {} label {} is not a finite non-negative number", probabilities[i],
                      i / k, i % k);
  }

  Metrics m;
  m.labels.assign(labels.begin(), labels.end());
  m.num_examples = static_cast<std::int64_t>(n);
  m.confusion.assign(k, std::vector<std::int64_t>(k, 0));
  std::int64_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ++m.confusion[static_cast<std::size_t>(y_true[i])][static_cast<std::size_t>(y_pred[i])];
    correct += y_true[i] == y_pred[i];
  }
  m.accuracy = static_cast<double>(correct) / static_cast<double>(n);
  add_prf(m);
  if (!probabilities.empty()) add_probability_metrics(m, y_true, probabilities);
  return m;
}

}  // namespace zhsenti::eval
