// Inputs the CLI refuses with exit code 1 and a message that names the problem: a directory
// given as a file of texts, a model with non-finite weights, and a bad data row (with the flag
// that skips it, as the command spells it).

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "tiny_model_fixture.h"
#include "bad_model.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;

class InputRefusalE2E : public TinyModelE2E {};

TEST_F(InputRefusalE2E, PredictOnADirectoryFailsLikeSegment) {
  const std::string texts = dir_->file("texts");
  fs::create_directories(texts);
  const auto segment = run_zhsenti({"segment", "--mode", "char", texts + "/"});
  ASSERT_EQ(segment.exit_code, 1);
  ASSERT_NE(segment.err.find("Is a directory"), std::string::npos) << segment.err;
  const auto r = run_zhsenti({"predict", "--model", dir_->file("model"), texts + "/"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("zhsenti: error: " + texts + "/: cannot read: Is a directory"),
            std::string::npos)
      << r.err;
}

TEST_F(InputRefusalE2E, PredictRefusesAModelWithANaNWeightNamingTheTensor) {
  const std::string model = dir_->file("nan_model");
  fs::copy(dir_->file("model"), model);
  poison_tensor(model, "head.bias", std::nanf(""));
  const auto r = run_zhsenti({"predict", "--model", model, "--text", "好"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("tensor \"head.bias\" holds a non-finite value (nan) at element 0"),
            std::string::npos)
      << r.err;
}

TEST_F(InputRefusalE2E, ABadRowNamesTheFlagThatSkipsIt) {
  const std::string bad =
      dir_->write("bad.tsv", synthetic_reviews_tsv(20, 3) + "1\ttoo\tmany\tcolumns\n");
  auto train = tiny_train_args(bad, dev_, dir_->file("bad_model"));
  const std::vector<std::vector<std::string>> commands = {
      train,
      {"eval", "--model", dir_->file("model"), "--data", bad},
      {"calibrate", "--model", dir_->file("model"), "--dev", bad, "--dry-run"},
  };
  for (const auto& args : commands) {
    const auto r = run_zhsenti(args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_NE(r.err.find("(use --skip-bad-rows to skip bad rows)"), std::string::npos)
        << args[0] << r.err;
    EXPECT_EQ(r.err.find("--on-bad-row"), std::string::npos) << args[0] << r.err;
  }
  const auto stats = run_zhsenti({"data", "stats", bad});
  EXPECT_EQ(stats.exit_code, 1);
  EXPECT_NE(stats.err.find("(use --on-bad-row skip to skip bad rows)"), std::string::npos)
      << stats.err;
}

}  // namespace
}  // namespace zhsenti::testing
