// The loss settings taken from the training labels (train/label_priors.h): the logit
// adjustment's offsets are tau log(class share), and inverse-frequency weights are 1 on a
// balanced set.

#include "label_priors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace zhsenti::train {
namespace {

// 6 rows of class 0, 3 of class 1, 1 of class 2; class 3 has none.
const std::vector<std::int32_t> kLabels = {0, 1, 0, 0, 2, 1, 0, 0, 1, 0};

TEST(LabelPriors, LogitOffsetsAreTauLogShare) {
  const std::vector<float> o = prior_logit_offsets(kLabels, 4, 1.0f);
  ASSERT_EQ(o.size(), 4u);
  EXPECT_FLOAT_EQ(o[0], std::log(0.6f));
  EXPECT_FLOAT_EQ(o[1], std::log(0.3f));
  EXPECT_FLOAT_EQ(o[2], std::log(0.1f));
  EXPECT_FLOAT_EQ(o[3], std::log(0.1f)) << "a class without rows counts as one";
  const std::vector<float> half = prior_logit_offsets(kLabels, 4, 0.5f);
  for (std::size_t c = 0; c < 4; ++c) EXPECT_FLOAT_EQ(half[c], 0.5f * o[c]);
}

TEST(LabelPriors, AutoWeightsAreInverseFrequency) {
  const std::vector<float> w = auto_class_weights(kLabels, 4);
  EXPECT_FLOAT_EQ(w[0], 10.0f / (4 * 6));
  EXPECT_FLOAT_EQ(w[2], 10.0f / (4 * 1));
  EXPECT_EQ(w[3], 0.0f);
  const std::vector<float> balanced = auto_class_weights(std::vector<std::int32_t>{0, 1, 1, 0}, 2);
  EXPECT_EQ(balanced, (std::vector<float>{1.0f, 1.0f}));
}

}  // namespace
}  // namespace zhsenti::train
