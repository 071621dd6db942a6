// zhsenti tune end to end on a tiny generated data set: a search cut short by its budget, the
// same command continuing it, a rerun with nothing left to do, and the best config retraining
// the best trial's very model (the cosine schedule does not change between rungs).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trial_dir(const std::string& out, int id) {
  std::string n = std::to_string(id);
  return out + "/trials/" + std::string(3 - std::min<std::size_t>(3, n.size()), '0') + n;
}

class TuneE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = dir_.write("train.tsv", synthetic_reviews_tsv(120, 1));
    dev_ = dir_.write("dev.tsv", synthetic_reviews_tsv(40, 2));
    // Tiny and single-threaded (bit-identical reruns); no bigram table to write per epoch.
    base_ = dir_.write("base.json", R"({"embed_dim": 8, "hidden": 8, "ngram_buckets": 0,
        "batch_size": 16, "threads": 1, "early_stopping": 0})");
    space_ = dir_.write("space.json", R"({"lr": {"min": 0.002, "max": 0.05, "log": true},
        "cell": ["gru", "lstm"]})");
  }
  std::vector<std::string> tune(const std::string& out) const {
    return {"tune",    "--train",  train_,  "--dev",  dev_,       "--config", base_,
            "--space", space_,     "--out", out,      "--trials", "4",        "--eta",
            "2",       "--epochs", "2",     "--seed", "5",        "-q"};
  }
  TempDir dir_;
  std::string train_, dev_, base_, space_;
};

TEST_F(TuneE2E, SearchContinuesAfterItsBudgetAndTheBestConfigRetrainsTheBestModel) {
  const std::string out = dir_.file("search");
  // A budget spent at once: at most one trial rung runs, results are written all the same.
  auto budgeted = tune(out);
  budgeted.insert(budgeted.end(), {"--budget-minutes", "0.00001"});
  auto r = run_zhsenti(budgeted);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("budget"), std::string::npos) << r.err;
  const json partial = json::parse(read_all(out + "/results.json"));
  EXPECT_FALSE(partial["complete"].get<bool>());

  // The same command continues; trials run before keep their results (not retrained).
  r = run_zhsenti(tune(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rank"), std::string::npos) << r.out;
  const json results = json::parse(read_all(out + "/results.json"));
  EXPECT_TRUE(results["complete"].get<bool>());
  EXPECT_EQ(results["rungs"], json::parse("[1, 2]"));
  ASSERT_EQ(results["trials"].size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    if (!partial["trials"][i]["rungs"].empty()) {
      EXPECT_EQ(results["trials"][i]["rungs"][0], partial["trials"][i]["rungs"][0]);
    }
  }
  int finished = 0, stopped = 0;
  for (const auto& t : results["trials"]) {
    const std::string dir = trial_dir(out, t["id"].get<int>());
    EXPECT_FALSE(fs::exists(dir + ".ckpt")) << "no checkpoint left once the search is complete";
    if (t["status"] == "finished") {
      ++finished;
      EXPECT_EQ(t["rungs"].size(), 2u);
      EXPECT_TRUE(fs::exists(dir + "/model.safetensors"));
    } else {
      ++stopped;
      EXPECT_EQ(t["status"], "stopped");
      EXPECT_EQ(t["rungs"].size(), 1u);
      EXPECT_FALSE(fs::exists(dir)) << "a stopped trial's files are removed";
    }
  }
  EXPECT_EQ(finished, 2);
  EXPECT_EQ(stopped, 2);
  const std::string csv = read_all(out + "/results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;
  EXPECT_NE(csv.find(",cell,lr,score@1,score@2,"), std::string::npos) << csv;

  // Nothing left to do: no training, same results.
  r = run_zhsenti(tune(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("tune ["), std::string::npos) << r.err;
  EXPECT_EQ(json::parse(read_all(out + "/results.json")), results);

  // Other settings in the same directory are refused, naming the difference.
  auto other = tune(out);
  *(std::find(other.begin(), other.end(), "--trials") + 1) = "5";
  r = run_zhsenti(other);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("other settings (trials was 4, now 5)"), std::string::npos) << r.err;

  // best_config.json trains the best trial's model again, bit for bit: the trial's schedule
  // spanned its full epochs from the first rung on.
  const std::string again = dir_.file("again");
  r = run_zhsenti({"train", "--config", out + "/best_config.json", "--out", again, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string weights = read_all(out + "/best/model.safetensors");
  EXPECT_FALSE(weights.empty());
  EXPECT_EQ(read_all(again + "/model.safetensors"), weights);
  const json best_config = json::parse(read_all(out + "/best_config.json"));
  EXPECT_EQ(best_config["epochs"], 2);
  EXPECT_EQ(best_config["hidden"], 8) << "settings outside the space come from --config";
  EXPECT_EQ(best_config["embed_dropout"], 0.2) << "floats written as their shortest decimal";
}

TEST_F(TuneE2E, BadInputsGiveClearErrors) {
  auto with = [&](const std::string& flag, const std::string& value) {
    auto args = tune(dir_.file("bad"));
    const auto it = std::find(args.begin(), args.end(), flag);
    if (it == args.end()) {
      args.insert(args.end(), {flag, value});
    } else {
      *(it + 1) = value;
    }
    return run_zhsenti(args);
  };
  const std::string typo = dir_.write("typo.json", R"({"hiden": [8, 16]})");
  auto r = with("--space", typo);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("typo.json: unknown setting 'hiden' (did you mean 'hidden'?)"),
            std::string::npos)
      << r.err;

  const std::string epochs = dir_.write("epochs.json", R"({"epochs": [1, 2]})");
  r = with("--space", epochs);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'epochs' cannot be searched"), std::string::npos) << r.err;

  const std::string drop = dir_.write("drop.json", R"({"dropout": {"min": 0.5, "max": 1.0}})");
  r = with("--space", drop);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'dropout' value 1.0: --dropout must be in [0, 1)"), std::string::npos)
      << r.err;

  r = with("--space", dir_.write("broken.json", "{\"lr\": "));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;

  r = with("--dev", "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("tune needs --dev"), std::string::npos) << r.err;

  r = with("--train", dir_.file("missing.tsv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.tsv"), std::string::npos) << r.err;

  r = with("--eta", "1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--eta must be >= 2"), std::string::npos) << r.err;

  r = with("--set", "hidden");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--set hidden: expected KEY=VALUE"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.file("bad") + "/tune_state.json"));
}

}  // namespace
}  // namespace zhsenti::testing
