#include "zhsenti/eval/training_log.h"

#include <gtest/gtest.h>

#include <cmath>

#include "zhsenti/core/error.h"

namespace zhsenti::eval {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_training_log(text, "m/metrics.jsonl");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    return e.what();
  }
  return "<no error>";
}

TEST(TrainingLog, RoundTripsAndKeepsExtraKeys) {
  std::vector<EpochRecord> records(2);
  records[0].epoch = 1;
  records[0].train_loss = 0.5;
  records[0].dev_accuracy = 0.8;
  records[0].lr = 1e-3;
  records[0].extra = {{"grad_norm", 2.5}};
  records[1].epoch = 2;
  records[1].train_loss = NAN;  // diverged: written as null
  const std::string text = format_training_log(records);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            R"({"dev_accuracy":0.8,"dev_loss":null,"dev_macro_f1":null,"epoch":1,"grad_norm":2.5,"lr":0.001,)"
            R"("seconds":null,"tokens_per_s":null,"train_loss":0.5})");
  const auto back = parse_training_log(text);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].epoch, 1);
  EXPECT_EQ(back[0].train_loss, 0.5);
  EXPECT_EQ(back[0].dev_accuracy, 0.8);
  EXPECT_FALSE(back[0].dev_loss);
  EXPECT_EQ(back[0].extra["grad_norm"], 2.5);
  EXPECT_FALSE(back[1].train_loss);
}

TEST(TrainingLog, ToleratesBlankLinesAndMissingKeys) {
  const auto r = parse_training_log("\n{\"epoch\": 3}\r\n  \n{\"epoch\": 4, \"dev_loss\": 1}");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].epoch, 3);
  EXPECT_FALSE(r[0].train_loss);
  EXPECT_EQ(r[1].dev_loss, 1.0);
}

TEST(TrainingLog, ErrorsNameLineAndValue) {
  EXPECT_EQ(error_of("{\"epoch\": 1}\n{\"train_loss\": 1}\n"), "m/metrics.jsonl:2: missing \"epoch\"");
  EXPECT_EQ(error_of("{\"epoch\": 0}"), "m/metrics.jsonl:1: \"epoch\" must be a positive integer, got 0");
  EXPECT_EQ(error_of("{\"epoch\": 1, \"lr\": \"fast\"}"),
            "m/metrics.jsonl:1: \"lr\" must be a number or null, got \"fast\"");
  EXPECT_EQ(error_of("[1]"), "m/metrics.jsonl:1: expected a JSON object, got array");
  EXPECT_NE(error_of("{\"epoch\": 1}\n{oops").find("m/metrics.jsonl:2: not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace zhsenti::eval
