// zhsenti prune end to end on the tiny model: the pruned model reports the sparsity asked
// for, is stored sparse, and predict, eval and export read it; bad sparsities and --out
// values are refused with nothing written.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "tiny_model_fixture.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/modelfile/sparse_weights.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class PruneE2E : public TinyModelE2E {
 protected:
  RunResult prune(const std::string& out, const std::string& sparsity,
                  std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"prune",   "--model", dir_->file("model"), "--sparsity",
                                  sparsity,  "--train", train_,              "--dev",
                                  dev_,      "--out",   out,                 "--steps",
                                  "2",       "--epochs", "1",                "--threads",
                                  "1",       "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_zhsenti(args);
  }

  // Names beside `out` of staging directories a run left behind.
  static std::vector<std::string> leftovers(const std::string& out) {
    std::vector<std::string> found;
    std::string prefix(".");
    prefix += fs::path(out).filename().string();
    prefix += ".tmp.";
    for (const auto& e : fs::directory_iterator(fs::path(out).parent_path())) {
      if (e.path().filename().string().starts_with(prefix)) found.push_back(e.path().string());
    }
    return found;
  }
};

TEST_F(PruneE2E, ThePrunedModelHasTheAskedSparsityAndPredictsEvaluatesAndExports) {
  const std::string out = dir_->file("pruned70");
  const auto r = prune(out, "0.7", {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json summary = json::parse(r.out);
  const double prunable = summary.at("prunable_weights").get<double>();
  // Each of the six matrices rounds its own count (per-matrix, the default).
  constexpr double kRounding = 6 * 0.5;
  ASSERT_GT(prunable, 100);
  EXPECT_NEAR(summary.at("sparsity").get<double>(), 0.7, kRounding / prunable) << r.out;
  ASSERT_EQ(summary.at("steps").size(), 2u);
  EXPECT_LT(summary["steps"][0].at("sparsity").get<double>(), 0.7);
  EXPECT_NEAR(summary["steps"][1].at("sparsity").get<double>(), 0.7, kRounding / prunable);
  EXPECT_LT(summary.at("weights_bytes").get<double>(),
            0.6 * summary.at("base_weights_bytes").get<double>());
  EXPECT_TRUE(leftovers(out).empty());

  const modelfile::ModelDir files = modelfile::read_model_dir(out);
  EXPECT_TRUE(modelfile::stores_sparse(files.weights, "embedding.weight"));
  EXPECT_EQ(files.config.extra.at("pruning").at("scope"), "per-matrix");
  // The zeros as the file holds them: every matrix decoded by its dense shape.
  std::size_t zeros = 0, total = 0;
  const json arch = files.config.architecture;
  const auto count = [&](const std::string& name, std::size_t n) {
    std::vector<float> v(n);
    modelfile::copy_weight(files.weights, name, v);
    for (const float x : v) zeros += x == 0.0f;
    total += n;
  };
  const std::size_t e = arch["embed_dim"], h = arch["hidden"], gates = 3 * h;
  count("embedding.weight", static_cast<std::size_t>(arch["vocab_size"]) * e);
  for (const char* d : {"forward", "backward"}) {
    count(std::string("encoder.gru.0.") + d + ".w_ih", gates * e);
    count(std::string("encoder.gru.0.") + d + ".w_hh", gates * h);
  }
  count("head.weight", 2 * 2 * h);
  EXPECT_EQ(static_cast<double>(total), prunable);
  EXPECT_NEAR(static_cast<double>(zeros) / static_cast<double>(total), 0.7, kRounding / prunable);

  const auto predict = run_zhsenti({"predict", "--model", out, "--text", "很好", "--text", "太差"});
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  EXPECT_EQ(std::count(predict.out.begin(), predict.out.end(), '\n'), 2);
  const auto eval = run_zhsenti({"eval", "--model", out, "--data", dev_, "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GT(json::parse(eval.out).at("accuracy").get<double>(), 0.0);
  const auto onnx = run_zhsenti({"export", "onnx", "--model", out, "--out", dir_->file("p.onnx")});
  EXPECT_EQ(onnx.exit_code, 0) << onnx.err;
}

TEST_F(PruneE2E, SparsityOutsideZeroToOneIsRefusedNamingTheFlag) {
  for (const std::string bad : {"1", "1.5", "-0.1"}) {
    const std::string out = dir_->file("bad_sparsity");
    const auto r = prune(out, bad);
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("--sparsity"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("must be in [0, 1)"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << bad;
  }
}

TEST_F(PruneE2E, OutFollowsTheModelDirectoryRulesAndAFailedRunLeavesItIntact) {
  // A directory that is not a model is never replaced.
  const std::string notes = dir_->file("notes");
  fs::create_directories(notes);
  dir_->write("notes/todo.txt", "keep me");
  const auto refused = prune(notes, "0.5");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("exists and is not a model directory"), std::string::npos)
      << refused.err;
  EXPECT_EQ(read_file(notes + "/todo.txt"), "keep me");

  // An existing model survives a run that fails (here: unreadable training data), and no
  // intermediate model is left behind.
  const std::string out = dir_->file("existing");
  fs::copy(dir_->file("model"), out);
  const std::string before = read_file(out + "/model.safetensors");
  std::vector<std::string> args{"prune", "--model", dir_->file("model"), "--sparsity", "0.5",
                                "--train", dir_->file("missing.tsv"),    "--dev",      dev_,
                                "--out",   out,       "--threads",       "1",          "-q"};
  const auto failed = run_zhsenti(args);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(read_file(out + "/model.safetensors"), before);
  EXPECT_TRUE(leftovers(out).empty());
}

}  // namespace
}  // namespace zhsenti::testing
