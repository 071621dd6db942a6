#include "zhsenti/nn/optim/weight_average.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "zhsenti/core/error.h"

namespace zhsenti::nn {
namespace {

TEST(WeightAverage, DecayWarmsUpThenStaysAtItsSetting) {
  EXPECT_FLOAT_EQ(average_decay(0.999f, 0), 0.1f);  // (1 + 0) / (10 + 0)
  EXPECT_FLOAT_EQ(average_decay(0.999f, 10), 11.0f / 20.0f);
  EXPECT_FLOAT_EQ(average_decay(0.9f, 1000), 0.9f);
}

TEST(WeightAverage, FollowsTheRecurrenceOverEveryTensorAndAnyThreadSplit) {
  // Two tensors, the second large enough to be split over the pool.
  auto make = [] {
    ParamStore s;
    s.add("a", {3});
    s.add("b", {300, 400});
    return s;
  };
  ParamStore params = make(), one = make(), split = make();
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  for (float& x : one.values()) x = normal(rng);
  split.copy_values_from(one);
  std::vector<double> expected(one.values().begin(), one.values().end());
  ThreadPool pool(3);
  for (std::int64_t n = 0; n < 20; ++n) {
    for (float& x : params.values()) x = normal(rng);
    update_average(one, params, 0.8f, n, nullptr);
    update_average(split, params, 0.8f, n, &pool);
    const double d = average_decay(0.8f, n);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expected[i] = d * expected[i] + (1 - d) * params.values()[i];
    }
  }
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    worst = std::max(worst, std::abs(one.values()[i] - expected[i]));
    ASSERT_EQ(one.values()[i], split.values()[i]) << "element " << i;
  }
  EXPECT_LT(worst, 1e-5);
}

TEST(WeightAverage, ConvergesToConstantWeightsAndRejectsBadSettings) {
  ParamStore params, average;
  params.add("w", {4});
  average.add("w", {4});
  for (float& x : params.values()) x = 2.5f;
  for (std::int64_t n = 0; n < 400; ++n) update_average(average, params, 0.95f, n, nullptr);
  for (const float x : average.values()) EXPECT_NEAR(x, 2.5f, 1e-4);

  EXPECT_THROW(update_average(average, params, 1.0f, 0, nullptr), Error);
  EXPECT_THROW(update_average(average, params, 0.0f, 0, nullptr), Error);
  ParamStore other;
  other.add("w", {40});  // the arena pads tensors, so a small difference may not show
  EXPECT_THROW(update_average(average, other, 0.9f, 0, nullptr), Error);
}

}  // namespace
}  // namespace zhsenti::nn
