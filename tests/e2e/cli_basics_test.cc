#include <gtest/gtest.h>

#include "cli_runner.h"

namespace zhsenti::testing {

TEST(CliBasics, VersionPrintsAndExitsZero) {
  const auto r = run_zhsenti({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find('.'), std::string::npos) << r.out;
}

TEST(CliBasics, UnknownSubcommandIsAUsageError) {
  const auto r = run_zhsenti({"frobnicate"});
  // Usage errors exit with CLI11's codes (>= 100), distinct from input errors (1).
  EXPECT_GE(r.exit_code, 100) << r.err;
  EXPECT_FALSE(r.err.empty());
}

}  // namespace zhsenti::testing
