#pragma once
// Two small models trained once per test binary through the CLI (a few seconds), on data
// whose labels follow from the words, so predictions are checkable: "1" for praise.

#include <gtest/gtest.h>

#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {

class ServeE2E : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // Model directories (model_b: another seed, so another version) and the admin token file.
  static std::string model_a();
  static std::string model_b();
  static std::string token_file();
  static std::string dir(const std::string& name);

 protected:
  static TempDir* temp_;
};

}  // namespace zhsenti::testing
