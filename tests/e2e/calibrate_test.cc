// zhsenti calibrate end to end: a small model, a decision rule chosen on dev data, and
// eval/predict with and without it.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

TEST(CalibrateE2E, RuleChosenOnDevIsAppliedByEvalUnlessTurnedOff) {
  TempDir dir;
  const std::string model = dir.file("model");
  const std::string dev = dir.write("dev.tsv", synthetic_reviews_tsv(60, 2));
  // Two short epochs: a model that has learnt something but is far from certain.
  auto r = run_zhsenti({"train",
                        "--train",
                        dir.write("train.tsv", synthetic_reviews_tsv(120, 1)),
                        "--dev",
                        dev,
                        "--out",
                        model,
                        "--embed-dim",
                        "8",
                        "--hidden",
                        "8",
                        "--ngram-buckets",
                        "0",
                        "--epochs",
                        "2",
                        "--batch-size",
                        "16",
                        "--lr",
                        "0.01",
                        "--threads",
                        "1",
                        "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = run_zhsenti({"calibrate", "--model", model, "--dev", dev, "--dry-run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["written"].get<bool>());
  EXPECT_FALSE(std::filesystem::exists(model + "/decision.json"));
  ASSERT_EQ(j["log_offsets"].size(), 2u);
  EXPECT_GE(j["after"]["macro_f1"].get<double>(), j["before"]["macro_f1"].get<double>());

  r = run_zhsenti({"calibrate", "--model", model, "--dev", dev, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  const bool written = j["written"].get<bool>();
  EXPECT_EQ(written, j["after"]["macro_f1"].get<double>() > j["before"]["macro_f1"].get<double>());
  EXPECT_EQ(written, std::filesystem::exists(model + "/decision.json"));

  // A rule that overrides the model: +8 on the second label's log-odds makes it win every
  // row (a two-epoch model is nowhere near that sure of the first label).
  const auto labels = j["labels"];
  dir.write(
      "model/decision.json",
      nlohmann::json{{"format_version", 1}, {"labels", labels}, {"log_offsets", {0, 8}}}.dump());
  r = run_zhsenti({"eval", "--model", model, "--data", dev, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto with = nlohmann::json::parse(r.out);
  ASSERT_TRUE(with["decision_rule"].is_array());
  EXPECT_EQ(with["per_class"][1]["predicted"].get<int>(), 60);
  r = run_zhsenti({"eval", "--model", model, "--data", dev, "--json", "--no-decision-rule"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto without = nlohmann::json::parse(r.out);
  EXPECT_TRUE(without["decision_rule"].is_null());
  EXPECT_LT(without["per_class"][1]["predicted"].get<int>(), 60);
}

TEST(CalibrateE2E, ARuleOfAnotherModelIsAClearError) {
  TempDir dir;
  const std::string model = dir.file("model");
  auto r =
      run_zhsenti({"train", "--train", dir.write("train.tsv", synthetic_reviews_tsv(40, 1)),
                   "--validation-split", "0.25", "--out", model, "--embed-dim", "8", "--hidden",
                   "8", "--ngram-buckets", "0", "--epochs", "1", "--threads", "1", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  dir.write("model/decision.json",
            R"({"format_version": 1, "labels": ["a", "b"], "log_offsets": [0, 1]})");
  r = run_zhsenti({"predict", "--model", model, "--text", "很好"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("decision.json"), std::string::npos) << r.err;
  r = run_zhsenti({"predict", "--model", model, "--text", "很好", "--no-decision-rule"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
