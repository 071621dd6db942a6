// Precision/recall curves: ties form one threshold, and the average precision is sklearn's
// average_precision_score (worked by hand below for a small case with a tie).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {
namespace {

TEST(PrCurve, PointsAtEachDistinctThresholdAndSklearnAveragePrecision) {
  const std::vector<std::uint8_t> positives = {1, 0, 1, 1, 0};
  const std::vector<double> scores = {0.9, 0.8, 0.7, 0.7, 0.1};
  const PrCurve c = pr_curve(positives, scores);
  EXPECT_EQ(c.thresholds, (std::vector<double>{0.9, 0.8, 0.7, 0.1}));
  const std::vector<double> precision = {1.0, 0.5, 0.75, 0.6};
  const std::vector<double> recall = {1.0 / 3, 1.0 / 3, 1.0, 1.0};
  ASSERT_EQ(c.precision.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(c.precision[i], precision[i]) << i;
    EXPECT_DOUBLE_EQ(c.recall[i], recall[i]) << i;
  }
  // sklearn: -sum(diff(recall) * precision[:-1]) = 1/3 * 1 + 2/3 * 0.75.
  EXPECT_DOUBLE_EQ(c.average_precision, 1.0 / 3 + 0.5);
  EXPECT_TRUE(pr_curve(std::vector<std::uint8_t>{0, 0}, std::vector<double>{0.2, 0.4}).recall.empty());
}

TEST(PrCurve, MetricsCarryOneCurvePerLabelOnlyForSkewedTruth) {
  const std::vector<std::string> labels = {"neutral", "angry"};
  // 4:1 truth: skewed.
  const std::vector<std::int32_t> skewed = {0, 0, 0, 0, 1};
  const std::vector<float> probs = {0.9f, 0.1f, 0.8f, 0.2f, 0.6f, 0.4f, 0.7f, 0.3f, 0.45f, 0.55f};
  const Metrics m = compute_metrics(skewed, skewed, probs, labels);
  ASSERT_EQ(m.pr_curves.size(), 2u);
  EXPECT_DOUBLE_EQ(m.pr_curves[1].average_precision, 1.0);
  // 3:2 truth: not skewed, no curves.
  const std::vector<std::int32_t> mild = {0, 0, 0, 1, 1};
  EXPECT_TRUE(compute_metrics(mild, mild, probs, labels).pr_curves.empty());
  // No probabilities, no curves.
  EXPECT_TRUE(compute_metrics(skewed, skewed, {}, labels).pr_curves.empty());
}

}  // namespace
}  // namespace zhsenti::eval
