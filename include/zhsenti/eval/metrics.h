#pragma once
// Classification metrics with scikit-learn's definitions and conventions, checked against
// scikit-learn itself in tests/unit/eval (tools/sklearn_check.py):
//
//   accuracy                 mean(y_true == y_pred)
//   precision/recall/F1      per label, over ALL model labels (sklearn with labels=range(K)),
//                            so a label never seen in y_true or y_pred still counts in the
//                            macro average (with 0s)
//   zero division            precision with no predictions, recall with no support, and F1
//                            with P + R == 0 are 0, and a note says which (sklearn's
//                            zero_division="warn" result and warning)
//   macro avg                unweighted mean over labels; weighted avg: support-weighted mean
//   confusion matrix         rows = true label, columns = predicted label
//   ROC-AUC                  binary: positive class = label 1, score = probabilities[:, 1];
//                            tied scores form one ROC step (sklearn roc_auc_score). Multi-class:
//                            one-vs-rest macro average (multi_class="ovr"). Undefined (nullopt
//                            and a note) when a class has no positive or no negative example,
//                            or (multi-class, as sklearn) when a probability row does not sum
//                            to 1 within 1e-8 + 1e-5
//   log loss                 mean -log p(true), rows renormalised to sum 1 and p clipped to
//                            [1e-15, 1 - 1e-15] (sklearn log_loss with eps=1e-15)

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zhsenti::eval {

struct ClassMetrics {
  std::string label;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::int64_t support = 0;    // true examples of this label
  std::int64_t predicted = 0;  // examples predicted as this label
};

struct AverageMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// ROC curve points at each distinct score threshold, from (0, 0) to (1, 1).
struct RocCurve {
  std::vector<double> fpr;
  std::vector<double> tpr;
  std::vector<double> thresholds;  // score >= threshold counts as positive; first is +inf
};

// Precision/recall of one label against the rest at each distinct score threshold, highest
// first (sklearn's precision_recall_curve read backwards, without its (recall 0, precision 1)
// end point), and the average precision sum_n (R_n - R_{n-1}) P_n (average_precision_score).
struct PrCurve {
  std::vector<double> precision;
  std::vector<double> recall;
  std::vector<double> thresholds;  // score >= threshold counts as this label
  double average_precision = 0;
};

struct Metrics {
  std::vector<std::string> labels;
  std::int64_t num_examples = 0;
  double accuracy = 0;
  std::vector<ClassMetrics> per_class;  // one per label, in label-id order
  AverageMetrics macro;
  AverageMetrics weighted;
  std::vector<std::vector<std::int64_t>> confusion;  // [true][predicted]
  std::optional<double> roc_auc;
  std::optional<RocCurve> roc;  // binary only
  std::optional<double> log_loss;
  // One per label, one-vs-rest on its probability, when the true labels are skewed
  // (label_skew.h) and probabilities were given; not in to_json() (the HTML report draws them).
  std::vector<PrCurve> pr_curves;
  std::vector<std::string> notes;  // zero-division and undefined-metric explanations

  // Stable schema "zhsenti.metrics/1":
  // {"schema", "num_examples", "accuracy", "macro_avg": {"precision","recall","f1"},
  //  "weighted_avg": {...}, "per_class": [{"label","precision","recall","f1","support",
  //  "predicted"}], "confusion_matrix": {"labels": [...], "matrix": [[...]]} (rows true),
  //  "roc_auc": number|null, "log_loss": number|null, "notes": [string]}
  // The ROC curve is not included (the HTML report draws it).
  nlohmann::json to_json() const;
  // Reads to_json() output back (the ROC curve stays empty). Throws Error(kFormat).
  static Metrics from_json(const nlohmann::json& j);

  // sklearn-style classification report followed by the confusion matrix.
  std::string to_text(int digits = 4) const;
};

// y_true, y_pred: label ids in [0, labels.size()); probabilities: empty or row-major
// (n, labels.size()). Throws Error(kInvalidArgument) on mismatched sizes, ids out of range,
// non-finite or negative probabilities, fewer than 2 labels, or n == 0.
Metrics compute_metrics(std::span<const std::int32_t> y_true, std::span<const std::int32_t> y_pred,
                        std::span<const float> probabilities, std::span<const std::string> labels);

// Binary ROC pieces, exposed for tests and for monitoring: positives[i] != 0 marks a
// positive example. auc is nullopt when either class is absent.
RocCurve roc_curve(std::span<const std::uint8_t> positives, std::span<const double> scores);
std::optional<double> roc_auc(std::span<const std::uint8_t> positives, std::span<const double> scores);
// Empty curve (average precision 0) when there is no positive example.
PrCurve pr_curve(std::span<const std::uint8_t> positives, std::span<const double> scores);

}  // namespace zhsenti::eval
