// TrainConfig holds the architecture (nn::ClassifierConfig): one set of defaults, one check
// per value (named as each reader knows it), and a flat JSON form that reads back.

#include "zhsenti/train/train_config.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "zhsenti/core/error.h"

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

std::string error_of(const TrainConfig& c) {
  try {
    c.validate();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

std::string error_of(const nn::ClassifierConfig& c) {
  try {
    c.validate();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

TrainConfig runnable() {
  TrainConfig c;
  c.train_path = "t.tsv";
  return c;
}

TEST(TrainConfig, TheArchitectureDefaultsAreTheClassifiersOwn) {
  const TrainConfig c;
  const nn::ClassifierConfig engine;
  EXPECT_EQ(c.model.to_json(), engine.to_json());
  const json j = c.to_json();
  EXPECT_EQ(j["cell"], "gru");
  EXPECT_EQ(j["pool"], "max");
  EXPECT_EQ(j["norm"], "none");
  EXPECT_EQ(j["ngram_buckets"], 100000);
  EXPECT_EQ(j["hidden"], 128);
  EXPECT_FLOAT_EQ(j["embed_dropout"].get<float>(), 0.2f);
  EXPECT_EQ(error_of(runnable()), "");
}

TEST(TrainConfig, EachArchitectureValueIsCheckedOnceNamedAsItsReaderKnowsIt) {
  TrainConfig c = runnable();
  c.model.layers = nn::kMaxLayers;
  EXPECT_EQ(error_of(c), "");
  c.model.layers = nn::kMaxLayers + 1;
  EXPECT_EQ(error_of(c), "--layers must be in [1, 16], got 17");
  c = runnable();
  c.model.hidden = 0;
  EXPECT_EQ(error_of(c), "--hidden must be >= 1, got 0");
  c = runnable();
  c.model.embed_dropout = 1.0f;
  EXPECT_EQ(error_of(c), "--embed-dropout must be in [0, 1), got 1");

  // The same checks read a config.json architecture, by its keys.
  nn::ClassifierConfig arch;
  arch.vocab_size = 10;
  arch.layers = 17;
  EXPECT_EQ(error_of(arch), "layers 17 must be in [1, 16]");
  arch.layers = 1;
  arch.num_classes = 1;
  EXPECT_EQ(error_of(arch), "num_classes 1 must be >= 2");
}

std::string parse_error(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

// cell, pool, norm, init and tokens are enums: each has one table of words, which the flags,
// config files and messages share.
TEST(TrainConfig, ClosedSetsAreParsedByOneTableAndRefusedWithTheAllowedWords) {
  EXPECT_EQ(
      parse_error([] { parse_setting<nn::CellType>("transformer", SettingNames::kFlags, "cell"); }),
      "--cell must be one of rnn, lstm, gru, got 'transformer'");
  EXPECT_EQ(parse_error([] {
              nn::ClassifierConfig::from_json(json{{"vocab_size", 10}, {"pool", "sum"}});
            }),
            "pool 'sum' must be one of last, mean, max, attention");
  EXPECT_EQ(parse_error([] {
              TrainConfig::from_json(json{{"tokens", "bpe"}});
            }),
            "tokens 'bpe' must be one of word, char");
  EXPECT_EQ(parse_error([] {
              TrainConfig::from_json(json{{"norm", "group"}});
            }),
            "norm 'group' must be one of none, layer, batch");
  EXPECT_EQ(parse_error([] {
              nn::ClassifierConfig::from_json(json{{"vocab_size", 10}, {"init", "he"}});
            }),
            "init 'he' must be one of pytorch, xavier, orthogonal");
  EXPECT_THROW(TrainConfig::from_json(json{{"cell", 1}}), Error) << "a word, not a number";

  // Every word reads back to the value that writes it, so config.json keeps its strings.
  for (const auto& [cell, word] : EnumNames<nn::CellType>::kTable) {
    TrainConfig c;
    c.model.cell = cell;
    EXPECT_EQ(c.to_json()["cell"], word);
    EXPECT_EQ(TrainConfig::from_json(c.to_json()).model.cell, cell);
  }
  for (const auto& [pool, word] : EnumNames<nn::PoolType>::kTable) {
    EXPECT_EQ(find_named<nn::PoolType>(word), pool);
    EXPECT_EQ(name_of(pool), word);
  }
  const json defaults = TrainConfig{}.to_json();
  EXPECT_EQ(defaults["tokens"], "char");
  EXPECT_EQ(TrainConfig{}.tokenizer.to_json(), text::TokenizerConfig{}.to_json())
      << "the tokenizer's defaults are the training ones";
}

// A pipeline written by hand or by another tool without "mode" reads as before the training
// default (char) became the tokenizer's own.
TEST(TrainConfig, ATokenizerSectionWithoutModeReadsAsWord) {
  EXPECT_EQ(text::TokenizerConfig::from_json(json::object()).mode, text::TokenMode::kWord);
  EXPECT_EQ(text::TokenizerConfig::from_json(json{{"mode", "char"}}).mode, text::TokenMode::kChar);
  EXPECT_EQ(text::TokenizerConfig{}.to_json()["mode"], "char");
}

TEST(TrainConfig, FlatJsonRoundTrip) {
  TrainConfig c = runnable();
  c.model.cell = nn::CellType::kLstm;
  c.model.pool = nn::PoolType::kAttention;
  c.model.norm = nn::NormType::kLayer;
  c.model.hidden = 64;
  c.model.layers = 2;
  c.model.bidirectional = false;
  c.model.ngram_order = 3;
  c.model.dropout = 0.25f;
  c.tokenizer.mode = text::TokenMode::kWord;
  c.lr = 1e-3f;
  const json j = c.to_json();
  EXPECT_EQ(j["hidden"], 64) << "the architecture's keys are flat, as in older --config files";
  EXPECT_FALSE(j.contains("model"));
  const TrainConfig back = TrainConfig::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_EQ(back.model.pool, nn::PoolType::kAttention);
  EXPECT_FALSE(back.model.bidirectional);
  EXPECT_THROW(TrainConfig::from_json(json{{"hiden", 3}}), Error);
}

TEST(TrainConfig, RunSettingsLeaveOutWhatTheModelDirectoryHoldsElsewhere) {
  const json j = runnable().run_settings_json();
  for (const char* held : {"cell", "hidden", "layers", "pool", "norm", "embed_dim", "dropout",
                           "embed_dropout", "ngram_buckets", "ngram_order", "bidirectional",
                           "tokens", "max_len", "hmm", "user_dicts", "stopwords", "clean"}) {
    EXPECT_FALSE(j.contains(held)) << held;
  }
  EXPECT_EQ(j["train"], "t.tsv");
  EXPECT_TRUE(j.contains("lr"));
  EXPECT_TRUE(j.contains("pretrain_epochs"));
  EXPECT_EQ(TrainConfig::from_json(j).to_json(), runnable().to_json());
}

// train --layers and the config.json reader share one limit: whatever train accepts, a
// model file may hold, and the reverse.
TEST(TrainConfig, LayersLimitIsTheModelFormatsLimit) {
  TrainConfig c = runnable();
  nn::ClassifierConfig arch;
  arch.vocab_size = 10;
  for (const int layers : {1, 9, 16, 0, 17}) {
    c.model.layers = layers;
    arch.layers = layers;
    EXPECT_EQ(error_of(c).empty(), error_of(arch).empty()) << layers << " layers";
    EXPECT_EQ(error_of(c).empty(), layers >= 1 && layers <= nn::kMaxLayers) << layers << " layers";
  }
  EXPECT_EQ(nn::kMaxLayers, 16);
}

TEST(TrainConfig, FocalGammaRoundTripsAndIsChecked) {
  TrainConfig c = runnable();
  EXPECT_EQ(c.focal_gamma, 0.0f) << "cross-entropy is the default";
  c.focal_gamma = 2.0f;
  EXPECT_EQ(TrainConfig::from_json(c.to_json()).focal_gamma, 2.0f);
  c.focal_gamma = -0.5f;
  EXPECT_NE(error_of(c).find("--focal-gamma"), std::string::npos) << error_of(c);
}

}  // namespace
}  // namespace zhsenti::train
