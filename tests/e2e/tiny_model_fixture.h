#pragma once
// One tiny model trained once per test suite on synthetic reviews, for e2e tests that need a
// model and its data: train_ and dev_ are the files, dir_->file("model") the model.

#include <gtest/gtest.h>

#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {

class TinyModelE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    train_ = dir_->write("train.tsv", synthetic_reviews_tsv(120, 1));
    dev_ = dir_->write("dev.tsv", synthetic_reviews_tsv(40, 2));
    const auto r = run_zhsenti(tiny_train_args(train_, dev_, dir_->file("model")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static inline TempDir* dir_ = nullptr;
  static inline std::string train_, dev_;
};

}  // namespace zhsenti::testing
