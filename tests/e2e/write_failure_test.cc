// A command whose output cannot be written (stdout on /dev/full: a full disk) fails with exit
// code 1 and says so, whatever the command and however little it prints.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.h"
#include "tiny_model_fixture.h"

namespace zhsenti::testing {
namespace {

class WriteFailureE2E : public TinyModelE2E {};

TEST_F(WriteFailureE2E, EveryCommandWritingStdoutFailsOnAFullDevice) {
  const std::string model = dir_->file("model");
  const std::vector<std::vector<std::string>> commands = {
      {"predict", "--model", model, "--text", "好"},
      {"predict", "--model", model, "--json", dev_},
      {"eval", "--model", model, "--data", dev_},
      {"eval", "--model", model, "--data", dev_, "--json"},
      {"calibrate", "--model", model, "--dev", dev_, "--dry-run"},
      {"data", "stats", dev_},
      {"data", "split", train_, "--out", dir_->file("splits")},
      {"clean", dev_},
      {"segment", "--mode", "char", dev_},
      {"--version"},
      {"predict", "--help"},
  };
  for (const auto& args : commands) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    // Sanity: the command itself works and prints something.
    const auto ok = run_zhsenti(args);
    ASSERT_EQ(ok.exit_code, 0) << cmd << ok.err;
    ASSERT_FALSE(ok.out.empty()) << cmd;

    const auto r = run_zhsenti_stdout_to("/dev/full", args);
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_NE(r.err.find("zhsenti: error: "), std::string::npos) << cmd << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << cmd << r.err;
  }
  // train --json prints its summary at the end of a run.
  auto train = tiny_train_args(train_, dev_, dir_->file("model2"));
  train.push_back("--json");
  const auto r = run_zhsenti_stdout_to("/dev/full", train);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
