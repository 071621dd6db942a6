// A model directory keeps working across the change to config.json holding each value once.
// The fixture was written by `zhsenti train` before that change: its "training.config"
// repeats the architecture and the tokenizer settings that have their own sections.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base_model.h"
#include "zhsenti/core/file.h"

namespace zhsenti::train {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kOldModel = fs::path(ZHSENTI_TEST_DATA_DIR) / "model" / "repeated_architecture";

// The settings the fixture was trained with (see tests/data/model/README.md).
void expect_fixture_settings(const TrainConfig& c) {
  EXPECT_EQ(c.model.cell, nn::CellType::kLstm);
  EXPECT_EQ(c.model.pool, nn::PoolType::kAttention);
  EXPECT_EQ(c.model.norm, nn::NormType::kLayer);
  EXPECT_EQ(c.model.layers, 2);
  EXPECT_FALSE(c.model.bidirectional);
  EXPECT_EQ(c.model.hidden, 4);
  EXPECT_EQ(c.model.embed_dim, 4);
  EXPECT_EQ(c.model.ngram_buckets, 16);
  EXPECT_FLOAT_EQ(c.model.dropout, 0.3f);
  EXPECT_FLOAT_EQ(c.model.embed_dropout, 0.1f);
  EXPECT_EQ(c.tokenizer.mode, text::TokenMode::kChar);
  EXPECT_EQ(c.max_len, 64);
  EXPECT_FLOAT_EQ(c.lr, 0.004f);
  EXPECT_EQ(c.seed, 5u);
}

TEST(OldModelDir, TrainingConfigRepeatingTheArchitectureStillReads) {
  const json old = json::parse(read_file(kOldModel / "config.json"));
  ASSERT_TRUE(old["training"]["config"].contains("hidden")) << "the fixture is the old layout";
  const BaseModel base = load_base_model(kOldModel);
  expect_fixture_settings(base.training);
  EXPECT_EQ(base.training.model.to_json(), base.model.config().to_json());
}

TEST(OldModelDir, RewrittenWithEachValueOnceReadsTheSame) {
  const fs::path dir = fs::temp_directory_path() /
                       ("zhsenti_old_model_dir_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(kOldModel, dir);
  const BaseModel before = load_base_model(kOldModel);
  json config = json::parse(read_file(dir / "config.json"));
  config["training"]["config"] = before.training.run_settings_json();
  std::ofstream(dir / "config.json") << config.dump(2);

  const BaseModel after = load_base_model(dir);
  expect_fixture_settings(after.training);
  EXPECT_EQ(after.training.to_json(), before.training.to_json());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zhsenti::train
