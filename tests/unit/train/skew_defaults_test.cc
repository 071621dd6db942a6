// The skewed-data defaults (train/skew_defaults.h): opt-in; switched on skewed labels only,
// for the settings still at their plain defaults. Skewed labels are named in the log either
// way, with the flag that switches (or keeps) the defaults.

#include "skew_defaults.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace zhsenti::train {
namespace {

std::vector<std::int32_t> labels_with(int first, int second) {
  std::vector<std::int32_t> labels(static_cast<std::size_t>(first), 0);
  labels.insert(labels.end(), static_cast<std::size_t>(second), 1);
  return labels;
}

const std::vector<std::string> kNames = {"neutral", "angry"};

TrainConfig opted_in() {
  TrainConfig c;
  c.skew_defaults = true;
  return c;
}

TEST(SkewDefaults, BalancedLabelsKeepThePlainDefaults) {
  TrainConfig c = opted_in();
  EXPECT_FALSE(apply_skew_defaults(c, labels_with(20, 10), kNames));
  EXPECT_EQ(c.to_json(), opted_in().to_json());
}

TEST(SkewDefaults, OffByDefaultSkewedLabelsAreNamedAndNothingChanges) {
  TrainConfig c;
  EXPECT_FALSE(c.skew_defaults);
  const auto line = apply_skew_defaults(c, labels_with(30, 10), kNames);
  ASSERT_TRUE(line);
  EXPECT_EQ(c.to_json(), TrainConfig().to_json());
  EXPECT_NE(line->find("neutral has 30"), std::string::npos) << *line;
  EXPECT_NE(line->find("--skew-defaults would set --metric macro_f1, --logit-adjust 1"),
            std::string::npos)
      << *line;
  EXPECT_EQ(line->find('\n'), std::string::npos);
}

TEST(SkewDefaults, OptedInSkewedLabelsSwitchAndSayHowToTurnItOff) {
  TrainConfig c = opted_in();
  const auto line = apply_skew_defaults(c, labels_with(30, 10), kNames);
  ASSERT_TRUE(line);
  EXPECT_EQ(c.metric, "macro_f1");
  EXPECT_GT(c.logit_adjust, 0.0f);
  EXPECT_FALSE(c.calibrate);  // opt-in: its dev gain is in-sample
  EXPECT_NE(line->find("--no-skew-defaults"), std::string::npos) << *line;
  EXPECT_NE(line->find("neutral has 30"), std::string::npos) << *line;
  EXPECT_NE(line->find("--metric macro_f1"), std::string::npos) << *line;
  EXPECT_EQ(line->find('\n'), std::string::npos);
}

TEST(SkewDefaults, SettingsGivenAreKept) {
  TrainConfig given = opted_in();
  given.logit_adjust = 0.5f;
  ASSERT_TRUE(apply_skew_defaults(given, labels_with(30, 10), kNames));
  EXPECT_EQ(given.logit_adjust, 0.5f);
  EXPECT_EQ(given.metric, "macro_f1");
}

}  // namespace
}  // namespace zhsenti::train
