#include "zhsenti/core/error.h"

#include <gtest/gtest.h>

#include "zhsenti/core/check.h"

namespace zhsenti {

TEST(ErrorTest, ParseErrorCarriesFileAndLine) {
  try {
    throw_parse_error("data/train.tsv", 42, "no tab separator");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_STREQ(e.what(), "data/train.tsv:42: no tab separator");
  }
}

TEST(ErrorTest, LineZeroMeansWholeFile) {
  EXPECT_EQ(location_message("a.csv", 0, "empty file"), "a.csv: empty file");
}

TEST(ErrorTest, CheckArgFormatsTheBadValue) {
  const int batch = -3;
  try {
    ZHSENTI_CHECK_ARG(batch > 0, "--batch-size must be positive, got {}", batch);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_STREQ(e.what(), "--batch-size must be positive, got -3");
  }
}

}  // namespace zhsenti
