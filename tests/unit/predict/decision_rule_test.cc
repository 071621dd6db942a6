// The prior/threshold correction: applying offsets, choosing them on labelled data, and the
// decision.json file beside a model.
#include "zhsenti/predict/decision_rule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/core/rng.h"

namespace zhsenti::predict {
namespace {

TEST(DecisionRule, ApplyShiftsTheOddsAndKeepsRowsNormalised) {
  DecisionRule rule;
  rule.log_offsets = {0.0f, std::log(3.0f)};
  std::vector<float> p = {0.5f, 0.5f, 0.8f, 0.2f};
  rule.apply(p);
  EXPECT_NEAR(p[0], 0.25f, 1e-6);  // odds 1:1 -> 1:3
  EXPECT_NEAR(p[1], 0.75f, 1e-6);
  EXPECT_NEAR(p[2] / p[3], 0.8f / (0.2f * 3.0f), 1e-5);
  EXPECT_NEAR(p[2] + p[3], 1.0f, 1e-6);
  DecisionRule identity;
  std::vector<float> q = {0.3f, 0.7f};
  identity.apply(q);
  EXPECT_EQ(q, (std::vector<float>{0.3f, 0.7f}));
}

// A 3-class model that under-rates class 2: the true class gets a margin, but class 2's
// probabilities are scaled down by a factor of 8 before renormalising.
struct Skewed {
  std::vector<float> probs;
  std::vector<std::int32_t> labels;
};
Skewed skewed_predictions() {
  Rng rng(3);
  Skewed s;
  for (int i = 0; i < 600; ++i) {
    const int y = i % 10 == 0 ? 2 : i % 2;  // class 2 is 10 %
    float p[3];
    float sum = 0;
    for (int k = 0; k < 3; ++k) {
      p[k] = static_cast<float>(0.2 + rng.uniform_double()) + (k == y ? 0.9f : 0.0f);
      if (k == 2) p[k] /= 8.0f;
      sum += p[k];
    }
    for (const float v : p) s.probs.push_back(v / sum);
    s.labels.push_back(y);
  }
  return s;
}

TEST(DecisionRule, FitRaisesMacroF1OfAnUnderPredictedClass) {
  const Skewed s = skewed_predictions();
  const DecisionFit fit =
      fit_decision_rule(s.probs, s.labels, 3, DecisionMethod::kFit, DecisionMetric::kMacroF1);
  EXPECT_GT(fit.after, fit.before + 0.1);
  ASSERT_EQ(fit.rule.log_offsets.size(), 3u);
  EXPECT_EQ(fit.rule.log_offsets[0], 0.0f);
  EXPECT_GT(fit.rule.log_offsets[2], 1.0f);  // the factor 8 is ~2.1 in log-odds
  std::vector<float> corrected = s.probs;
  fit.rule.apply(corrected);
  EXPECT_NEAR(decision_metric(corrected, s.labels, 3, DecisionMetric::kMacroF1), fit.after, 1e-9);
  EXPECT_EQ(fit.rule.info.at("method"), "fit");
}

TEST(DecisionRule, FitLeavesAModelThatNeedsNoCorrectionAlone) {
  // Every row is right by a wide margin: any offset in the grid keeps the score, and the
  // nearest-zero rule keeps 0.
  std::vector<float> probs;
  std::vector<std::int32_t> labels;
  for (int i = 0; i < 40; ++i) {
    const int y = i % 2;
    probs.push_back(y == 0 ? 0.999f : 0.001f);
    probs.push_back(y == 0 ? 0.001f : 0.999f);
    labels.push_back(y);
  }
  const DecisionFit fit =
      fit_decision_rule(probs, labels, 2, DecisionMethod::kFit, DecisionMetric::kMacroF1);
  EXPECT_EQ(fit.before, 1.0);
  EXPECT_EQ(fit.after, 1.0);
  EXPECT_EQ(fit.rule.log_offsets, (std::vector<float>{0.0f, 0.0f}));
}

TEST(DecisionRule, PriorMethodGivesEveryClassTheSamePrior) {
  const Skewed s = skewed_predictions();  // shares 40 %, 50 %, 10 %
  const DecisionFit fit =
      fit_decision_rule(s.probs, s.labels, 3, DecisionMethod::kPrior, DecisionMetric::kMacroF1);
  // -log share, relative to class 0.
  EXPECT_NEAR(fit.rule.log_offsets[0], 0.0f, 1e-6);
  EXPECT_NEAR(fit.rule.log_offsets[1], std::log(0.40 / 0.50), 1e-5);
  EXPECT_NEAR(fit.rule.log_offsets[2], std::log(0.40 / 0.10), 1e-5);
}

TEST(DecisionRule, BadInputsAreRefused) {
  const std::vector<float> probs = {0.5f, 0.5f};
  const std::vector<std::int32_t> two = {0, 1}, out_of_range = {2};
  EXPECT_THROW(fit_decision_rule(probs, two, 2, DecisionMethod::kFit, DecisionMetric::kAccuracy),
               Error);
  EXPECT_THROW(
      fit_decision_rule(probs, out_of_range, 2, DecisionMethod::kFit, DecisionMetric::kAccuracy),
      Error);
  EXPECT_THROW(fit_decision_rule({}, {}, 2, DecisionMethod::kFit, DecisionMetric::kAccuracy),
               Error);
}

class DecisionRuleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("zhsenti_decision_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& text) { std::ofstream(dir_ / kDecisionRuleFile) << text; }
  std::string error_of(const std::vector<std::string>& labels) {
    try {
      read_decision_rule(dir_, labels);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
  const std::vector<std::string> labels_ = {"neg", "pos"};
};

TEST_F(DecisionRuleFile, RoundTripsAndIsOptional) {
  EXPECT_FALSE(read_decision_rule(dir_, labels_).has_value());
  DecisionRule rule;
  rule.log_offsets = {0.0f, 0.75f};
  rule.info = {{"method", "fit"}};
  write_decision_rule(dir_, rule, labels_);
  const auto back = read_decision_rule(dir_, labels_);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->log_offsets, rule.log_offsets);
  EXPECT_EQ(back->info.at("method"), "fit");
}

TEST_F(DecisionRuleFile, ErrorsNameTheFileAndTheProblem) {
  write(R"({"format_version": 1, "labels": ["neg", "pos"], "log_offsets": [0, 1]})");
  const std::string other = error_of({"neg", "neutral"});
  EXPECT_NE(other.find("decision.json"), std::string::npos) << other;
  EXPECT_NE(other.find("neutral"), std::string::npos) << other;
  write(R"({"format_version": 1, "labels": ["neg", "pos"], "log_offsets": [0, "x"]})");
  EXPECT_NE(error_of(labels_).find("log_offsets[1]"), std::string::npos);
  write(R"({"format_version": 1, "labels": ["neg"], "log_offsets": [0]})");
  EXPECT_NE(error_of(labels_).find("1 labels and 1 offsets"), std::string::npos);
  write("{not json");
  EXPECT_NE(error_of(labels_).find("not valid JSON"), std::string::npos);
  write(R"({"format_version": 7, "labels": ["neg", "pos"], "log_offsets": [0, 1]})");
  EXPECT_NE(error_of(labels_).find("format_version"), std::string::npos);
}

}  // namespace
}  // namespace zhsenti::predict
