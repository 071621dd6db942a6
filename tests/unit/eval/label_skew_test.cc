// The skew rule (eval/label_skew.h): largest class >= 3x the smallest.

#include "zhsenti/eval/label_skew.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "zhsenti/core/error.h"

namespace zhsenti::eval {
namespace {

TEST(LabelSkew, FiresAtThreeToOneAndNotBelow) {
  EXPECT_FALSE(label_skew(std::vector<std::int64_t>{299, 100}).skewed);
  EXPECT_TRUE(label_skew(std::vector<std::int64_t>{300, 100}).skewed);
  // The benchmark sets: waimai_10k 2:1 and ChnSentiCorp stay plain, SMP2020 is skewed.
  EXPECT_FALSE(label_skew(std::vector<std::int64_t>{6390, 3200}).skewed);
  EXPECT_FALSE(label_skew(std::vector<std::int64_t>{4800, 4800}).skewed);
  const LabelSkew virus3 = label_skew(std::vector<std::int64_t>{2526, 1460, 4423});
  EXPECT_TRUE(virus3.skewed);
  EXPECT_EQ(virus3.largest, 2u);
  EXPECT_EQ(virus3.smallest, 1u);
  EXPECT_NEAR(virus3.ratio(), 4423.0 / 1460.0, 1e-12);
}

TEST(LabelSkew, CountsLabelIdsAndTreatsAnEmptyClassAsSkewed) {
  const std::vector<std::int32_t> labels = {0, 0, 0, 1, 2, 2, 2, 2, 2, 2};
  const LabelSkew s = label_skew(labels, 3);
  EXPECT_EQ(s.largest, 2u);
  EXPECT_EQ(s.largest_count, 6);
  EXPECT_EQ(s.smallest, 1u);
  EXPECT_EQ(s.smallest_count, 1);
  EXPECT_TRUE(s.skewed);
  const LabelSkew empty_class = label_skew(std::vector<std::int32_t>{0, 0, 1}, 3);
  EXPECT_TRUE(empty_class.skewed);
  EXPECT_TRUE(std::isinf(empty_class.ratio()));
  EXPECT_FALSE(label_skew(std::vector<std::int64_t>{0, 0}).skewed);
}

TEST(LabelSkew, RefusesBadInput) {
  EXPECT_THROW(label_skew(std::vector<std::int64_t>{5}), Error);
  EXPECT_THROW(label_skew(std::vector<std::int64_t>{5, -1}), Error);
  EXPECT_THROW(label_skew(std::vector<std::int32_t>{0, 3}, 3), Error);
}

}  // namespace
}  // namespace zhsenti::eval
