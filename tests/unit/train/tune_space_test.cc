#include "zhsenti/train/tune_space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "zhsenti/core/error.h"

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

// The message of the Error that parsing `text` as a space throws ("" if none).
std::string parse_error(const std::string& text) {
  try {
    SearchSpace::from_json(json::parse(text), "space.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

TEST(TuneSpace, BadSpacesNameTheFileAndTheKey) {
  struct Case {
    const char* space;
    const char* expected;  // a substring of the message
  };
  const Case cases[] = {
      {R"({"hiden": [64]})", "space.json: unknown setting 'hiden' (did you mean 'hidden'?)"},
      {R"({"colour": [1]})", "space.json: unknown setting 'colour'"},
      {R"({"epochs": [1, 2]})", "space.json: 'epochs' cannot be searched"},
      {R"({"seed": [1, 2]})", "'seed' cannot be searched: each trial's seed is drawn from --seed"},
      {R"({"dev": ["a.tsv"]})", "'dev' cannot be searched"},
      {R"({"hidden": 64})", "'hidden' must be a list of choices or a range"},
      {R"({"hidden": []})", "'hidden': the list of choices is empty"},
      {R"({"hidden": [64, "big"]})", "'hidden': choice \"big\" is not an integer"},
      {R"({"hidden": [64.5]})", "'hidden': choice 64.5 is not an integer"},
      {R"({"hidden": [64, 64]})", "'hidden': choice 64 is listed twice"},
      {R"({"cell": ["gru", 1]})", "'cell': choice 1 is not a string"},
      {R"({"cell": {"min": 1, "max": 2}})", "'cell' is not a numeric setting"},
      {R"({"lr": {"min": 0.1}})", "'lr': a range needs \"max\""},
      {R"({"lr": {"min": 0.1, "max": 0.01}})", "'lr': min 0.1 is above max 0.01"},
      {R"({"lr": {"min": 0, "max": 0.1, "log": true}})", "'lr': a log range needs min > 0"},
      {R"({"lr": {"min": 0.1, "max": 1, "scale": "log"}})", "'lr': unknown range field 'scale'"},
      {R"({"lr": {"min": 0.1, "max": 1, "log": "yes"}})", "'lr': \"log\" must be true or false"},
      {R"({"hidden": {"min": 8.5, "max": 64}})", "'hidden': \"min\" must be an integer, got 8.5"},
      {R"({"user_dicts": ["a.txt"]})", "'user_dicts': choice \"a.txt\" is not a list of strings"},
      {R"({})", "space.json: the search space has no settings"},
      {R"([1, 2])", "space.json: a search space must be a JSON object"},
  };
  for (const auto& c : cases) {
    const std::string message = parse_error(c.space);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << c.space << "\n  got: " << message << "\n  expected: " << c.expected;
  }
}

TEST(TuneSpace, ValuesTheTrainerRefusesFailBeforeAnyTraining) {
  const auto space =
      SearchSpace::from_json(json::parse(R"({"dropout": {"min": 0.1, "max": 1.5}})"), "s.json");
  TrainConfig base;
  base.train_path = "train.tsv";
  try {
    space.check_against(base);
    FAIL() << "dropout 1.5 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: 'dropout' value 1.5: --dropout must be in"),
              std::string::npos)
        << e.what();
  }
  const auto cells =
      SearchSpace::from_json(json::parse(R"({"cell": ["gru", "transformer"]})"), "s");
  EXPECT_THROW(cells.check_against(base), Error);
  const auto ok = SearchSpace::from_json(
      json::parse(R"({"cell": ["gru", "lstm"], "dropout": {"min": 0, "max": 0.9}})"), "s");
  EXPECT_NO_THROW(ok.check_against(base));
}

TEST(TuneSpace, SamplesStayInTheirRangesAndFollowTheSeed) {
  const auto space = SearchSpace::from_json(json::parse(R"({
    "lr": {"min": 1e-4, "max": 1e-2, "log": true},
    "dropout": {"min": 0.1, "max": 0.6},
    "hidden": {"min": 16, "max": 256, "log": true},
    "layers": {"min": 1, "max": 3},
    "cell": ["gru", "lstm", "rnn"],
    "bidirectional": [true, false]})"),
                                            "s");
  EXPECT_EQ(space.size(), 0u) << "float ranges are unbounded";
  Rng a(7), b(7);
  std::set<std::string> cells;
  std::set<long> layers;
  int low_lr = 0, small_hidden = 0;
  constexpr int kDraws = 600;
  for (int i = 0; i < kDraws; ++i) {
    const json p = space.sample(a);
    ASSERT_EQ(p, space.sample(b)) << "same seed, same points";
    ASSERT_EQ(p.size(), 6u);
    const double lr = p["lr"].get<double>();
    ASSERT_GE(lr, 1e-4);
    ASSERT_LE(lr, 1e-2);
    // 3 significant digits: lr * 10^k is an integer below 1000 for the right k.
    const double scaled = lr * std::pow(10.0, 3 - std::ceil(std::log10(lr)));
    ASSERT_NEAR(scaled, std::round(scaled), 1e-6) << lr;
    low_lr += lr < 1e-3;
    const double dropout = p["dropout"].get<double>();
    ASSERT_GE(dropout, 0.1);
    ASSERT_LE(dropout, 0.6);
    ASSERT_TRUE(p["hidden"].is_number_integer());
    const auto hidden = p["hidden"].get<long>();
    ASSERT_GE(hidden, 16);
    ASSERT_LE(hidden, 256);
    small_hidden += hidden < 64;
    layers.insert(p["layers"].get<long>());
    cells.insert(p["cell"].get<std::string>());
    ASSERT_TRUE(p["bidirectional"].is_boolean());
    // Every point is a valid config.
    TrainConfig base;
    base.train_path = "t.tsv";
    ASSERT_NO_THROW(SearchSpace::apply(base, p).validate());
  }
  EXPECT_EQ(cells.size(), 3u);
  EXPECT_EQ(layers, (std::set<long>{1, 2, 3}));
  // Log-uniform: half of the draws below the geometric middle (1e-3; 64 for 16..256).
  EXPECT_NEAR(low_lr, kDraws / 2, kDraws / 10);
  EXPECT_NEAR(small_hidden, kDraws / 2, kDraws / 10);
  Rng c(8);
  EXPECT_NE(space.sample(c), space.sample(a)) << "another seed, other points";
}

TEST(TuneSpace, ApplyOverridesOnlyTheSampledSettings) {
  TrainConfig base;
  base.train_path = "t.tsv";
  base.model.hidden = 32;
  base.model.cell = nn::CellType::kLstm;
  const TrainConfig c = SearchSpace::apply(base, json{{"hidden", 96}, {"lr", 0.003}});
  EXPECT_EQ(c.model.hidden, 96);
  EXPECT_FLOAT_EQ(c.lr, 0.003f);
  EXPECT_EQ(c.model.cell, nn::CellType::kLstm);
  EXPECT_EQ(c.train_path, "t.tsv");
}

TEST(TuneSpace, SizeCountsDistinctPointsAndCanonicalFormRoundTrips) {
  const auto space = SearchSpace::from_json(
      json::parse(R"({"cell": ["gru", "lstm"], "layers": {"min": 1, "max": 3}})"), "s");
  EXPECT_EQ(space.size(), 6u);
  const json canonical = space.to_json();
  EXPECT_EQ(canonical["layers"], json::parse(R"({"min": 1, "max": 3, "log": false})"));
  EXPECT_EQ(SearchSpace::from_json(canonical, "s").to_json(), canonical);
  ASSERT_EQ(space.dimensions().size(), 2u);
  EXPECT_EQ(space.dimensions()[0].key, "cell") << "dimensions in key order";
}

}  // namespace
}  // namespace zhsenti::train
