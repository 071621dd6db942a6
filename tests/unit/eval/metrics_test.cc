#include "zhsenti/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "zhsenti/core/error.h"

namespace zhsenti::eval {
namespace {

using Ids = std::vector<std::int32_t>;
const std::vector<std::string> kBinary = {"negative", "positive"};

TEST(Metrics, HandComputedBinaryCase) {
  // confusion [[2, 1], [1, 3]]: P0 = R0 = 2/3, P1 = R1 = 3/4.
  const Ids y_true = {0, 0, 0, 1, 1, 1, 1};
  const Ids y_pred = {0, 1, 0, 1, 1, 0, 1};
  const Metrics m = compute_metrics(y_true, y_pred, {}, kBinary);
  EXPECT_EQ(m.num_examples, 7);
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 7);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<std::int64_t>>{{2, 1}, {1, 3}}));
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.per_class[1].f1, 3.0 / 4);
  EXPECT_EQ(m.per_class[1].support, 4);
  EXPECT_EQ(m.per_class[1].predicted, 4);
  EXPECT_DOUBLE_EQ(m.macro.f1, 17.0 / 24);
  EXPECT_DOUBLE_EQ(m.weighted.f1, 5.0 / 7);
  EXPECT_FALSE(m.roc_auc);
  EXPECT_FALSE(m.log_loss);
  EXPECT_TRUE(m.notes.empty());
}

TEST(Metrics, RocAucCountsTiesAsHalf) {
  // Positives score {0.9, 0.5, 0.5}, negatives {0.5, 0.1}: of the 6 pairs, 4 are won and 2
  // are ties (0.5 vs 0.5), so AUC = (4 + 2 * 0.5) / 6.
  const std::vector<std::uint8_t> pos = {1, 0, 1, 1, 0};
  const std::vector<double> score = {0.9, 0.5, 0.5, 0.5, 0.1};
  EXPECT_DOUBLE_EQ(*roc_auc(pos, score), 5.0 / 6);
  const RocCurve c = roc_curve(pos, score);
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1.0 / 3, 1, 1}));
  EXPECT_TRUE(std::isinf(c.thresholds[0]));
  EXPECT_EQ(c.thresholds[2], 0.5);
  // All scores tied: the diagonal.
  EXPECT_DOUBLE_EQ(*roc_auc(pos, std::vector<double>(5, 0.3)), 0.5);
  // Perfect and inverted rankings.
  EXPECT_DOUBLE_EQ(*roc_auc(pos, std::vector<double>{1, 0, 1, 1, 0}), 1.0);
  EXPECT_DOUBLE_EQ(*roc_auc(pos, std::vector<double>{0, 1, 0, 0, 1}), 0.0);
  EXPECT_FALSE(roc_auc(std::vector<std::uint8_t>{1, 1}, std::vector<double>{0.1, 0.2}));
  EXPECT_THROW(roc_auc(pos, std::vector<double>{0.1}), Error);
}

TEST(Metrics, LogLossClipsAndRenormalises) {
  const Ids y_true = {1, 0, 1};
  const Ids y_pred = {1, 0, 0};
  // Row 3 gives the true class probability 0: clipped to 1e-15 (its row {1, 0} becomes
  // {1 - 1e-15, 1e-15}, which sums to 1).
  const std::vector<float> probs = {0.25f, 0.75f, 0.375f, 0.625f, 1.0f, 0.0f};
  const Metrics m = compute_metrics(y_true, y_pred, probs, kBinary);
  const double expected = (-std::log(0.75) - std::log(0.375) - std::log(1e-15)) / 3;
  EXPECT_NEAR(*m.log_loss, expected, 1e-12);
  // Unnormalised rows are clipped, then divided by their sum (sklearn's order).
  const Metrics s = compute_metrics(Ids{1}, Ids{1}, std::vector<float>{0.2f, 0.6f}, kBinary);
  const double p = static_cast<double>(0.6f) / (static_cast<double>(0.2f) + static_cast<double>(0.6f));
  EXPECT_NEAR(*s.log_loss, -std::log(p), 1e-15);
  const Metrics big = compute_metrics(Ids{1}, Ids{1}, std::vector<float>{2, 6}, kBinary);
  EXPECT_NEAR(*big.log_loss, std::log(2.0), 1e-12) << "both clipped to 1 - 1e-15";
}

TEST(Metrics, ZeroDivisionGivesZeroWithNotes) {
  const std::vector<std::string> labels = {"a", "b", "c"};
  // Nothing is predicted as b; c never occurs at all.
  const Metrics m = compute_metrics(Ids{0, 1, 1}, Ids{0, 0, 0}, {}, labels);
  EXPECT_EQ(m.per_class[1].precision, 0.0);
  EXPECT_EQ(m.per_class[1].f1, 0.0);
  EXPECT_EQ(m.per_class[2].recall, 0.0);
  EXPECT_DOUBLE_EQ(m.macro.precision, (1.0 / 3) / 3);
  ASSERT_EQ(m.notes.size(), 3u);
  EXPECT_EQ(m.notes[0], "precision is ill-defined and set to 0 for labels with no predicted samples: b, c");
  EXPECT_EQ(m.notes[1], "recall is ill-defined and set to 0 for labels with no true samples: c");
  EXPECT_EQ(m.notes[2], "F1 is ill-defined and set to 0 for labels with no true nor predicted samples: c");
}

TEST(Metrics, UndefinedAucIsNulledWithNote) {
  const Metrics m = compute_metrics(Ids{1, 1}, Ids{1, 0}, std::vector<float>{0.2f, 0.8f, 0.6f, 0.4f}, kBinary);
  EXPECT_FALSE(m.roc_auc);
  EXPECT_FALSE(m.roc);
  ASSERT_FALSE(m.notes.empty());
  EXPECT_EQ(m.notes.back(), "ROC-AUC is undefined: only one class is present in the true labels");
  EXPECT_TRUE(m.to_json()["roc_auc"].is_null());
}

TEST(Metrics, RejectsBadInput) {
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{0, 1}, {}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{}, Ids{}, {}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{2}, Ids{0}, {}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{-1}, {}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{0}, std::vector<float>{1}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{0}, std::vector<float>{NAN, 1}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{0}, std::vector<float>{-0.1f, 1}, kBinary), Error);
  EXPECT_THROW(compute_metrics(Ids{0}, Ids{0}, {}, std::vector<std::string>{"one"}), Error);
}

TEST(Metrics, JsonRoundTripAndSchema) {
  const std::vector<float> probs = {0.9f, 0.1f, 0.3f, 0.7f, 0.6f, 0.4f};
  const Metrics m = compute_metrics(Ids{0, 1, 1}, Ids{0, 1, 0}, probs, kBinary);
  const auto j = m.to_json();
  EXPECT_EQ(j["schema"], "zhsenti.metrics/1");
  EXPECT_EQ(j["confusion_matrix"]["matrix"], nlohmann::json::parse("[[1,0],[1,1]]"));
  EXPECT_EQ(j["per_class"][1]["label"], "positive");
  EXPECT_DOUBLE_EQ(j["roc_auc"].get<double>(), 1.0);
  const Metrics back = Metrics::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  auto bad = j;
  bad["schema"] = "other/2";
  EXPECT_THROW(Metrics::from_json(bad), Error);
  bad = j;
  bad["confusion_matrix"]["matrix"] = nlohmann::json::parse("[[1,0]]");
  EXPECT_THROW(Metrics::from_json(bad), Error);
  bad = j;
  bad.erase("accuracy");
  EXPECT_THROW(Metrics::from_json(bad), Error);
}

TEST(Metrics, TextReportAlignsWideLabels) {
  const std::vector<std::string> labels = {"消极", "积极"};
  const Metrics m = compute_metrics(Ids{0, 1, 1}, Ids{0, 1, 0}, {}, labels);
  const std::string text = m.to_text(2);
  // "weighted avg" (12 columns) sets the label column; 消极 is 4 columns wide.
  EXPECT_NE(text.find("\n        消极       0.50      1.00      0.67         1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("confusion matrix (rows: true label, columns: predicted label)\n"
                      "              消极  积极\n"
                      "        消极     1     0\n"
                      "        积极     1     1\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace zhsenti::eval
