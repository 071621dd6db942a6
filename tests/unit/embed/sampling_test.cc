#include "zhsenti/embed/sampling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/core/rng.h"

namespace zhsenti::embed {
namespace {

std::vector<double> unigram_power(const std::vector<std::int64_t>& counts, double power) {
  std::vector<double> p;
  double z = 0;
  for (auto c : counts) z += std::pow(static_cast<double>(c), power);
  for (auto c : counts) p.push_back(std::pow(static_cast<double>(c), power) / z);
  return p;
}

TEST(UnigramTable, TableProbabilitiesAreCountToThePower075) {
  const std::vector<std::int64_t> counts = {1000, 500, 120, 60, 7, 3, 1, 1, 2, 40000};
  const UnigramTable table(counts);
  const auto want = unigram_power(counts, 0.75);
  double total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    EXPECT_NEAR(table.probability(i), want[i], 1e-8) << "word " << i;
    total += table.probability(i);
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST(UnigramTable, SamplesFollowTheDistribution) {
  const std::vector<std::int64_t> counts = {5000, 800, 300, 50, 10, 1};
  const UnigramTable table(counts);
  const auto want = unigram_power(counts, 0.75);
  Rng rng(3);
  constexpr int kDraws = 400'000;
  std::vector<int> seen(counts.size(), 0);
  for (int i = 0; i < kDraws; ++i) {
    const auto w = table.sample(rng.next_u64());
    ASSERT_GE(w, 0);
    ASSERT_LT(w, static_cast<std::int32_t>(counts.size()));
    ++seen[static_cast<std::size_t>(w)];
  }
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double expected = want[i] * kDraws;
    // 5 standard deviations of a binomial count.
    EXPECT_NEAR(seen[i], expected, 5 * std::sqrt(expected * (1 - want[i])) + 1) << "word " << i;
  }
}

TEST(UnigramTable, PowerOneIsTheUnigramAndOneWordAlwaysWins) {
  const std::vector<std::int64_t> counts = {3, 1};
  const UnigramTable table(counts, 1.0);
  EXPECT_NEAR(table.probability(0), 0.75, 1e-9);
  const std::vector<std::int64_t> one = {42};
  const UnigramTable single(one);
  Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(single.sample(rng.next_u64()), 0);
}

TEST(UnigramTable, RejectsEmptyAndZeroCounts) {
  EXPECT_THROW(UnigramTable(std::vector<std::int64_t>{}), Error);
  EXPECT_THROW(UnigramTable(std::vector<std::int64_t>{3, 0}), Error);
}

TEST(Subsampling, KeepProbabilityIsWord2VecsFormula) {
  // f = 0.01, sample = 1e-3: (sqrt(10) + 1) * 0.1
  EXPECT_NEAR(subsample_keep_probability(100, 10'000, 1e-3), (std::sqrt(10.0) + 1) * 0.1, 1e-12);
  // Rare words are always kept, and sample 0 keeps everything.
  EXPECT_EQ(subsample_keep_probability(1, 10'000, 1e-3), 1.0);
  EXPECT_EQ(subsample_keep_probability(9'000, 10'000, 0), 1.0);
  // The more frequent, the fewer kept.
  EXPECT_LT(subsample_keep_probability(5'000, 10'000, 1e-3),
            subsample_keep_probability(500, 10'000, 1e-3));
}

TEST(Subsampling, ThresholdsKeepTheRightFraction) {
  const std::vector<std::int64_t> counts = {60'000, 30'000, 9'800, 200};
  const auto thresholds = subsample_thresholds(counts, 1e-3);
  ASSERT_EQ(thresholds.size(), counts.size());
  EXPECT_EQ(thresholds[3], std::uint64_t{1} << 32) << "f = 0.002 at sample 1e-3 keeps all";
  Rng rng(9);
  for (std::size_t w = 0; w < 3; ++w) {
    const double p = subsample_keep_probability(counts[w], 100'000, 1e-3);
    int kept = 0;
    constexpr int kTrials = 200'000;
    for (int i = 0; i < kTrials; ++i) kept += (rng.next_u64() >> 32) < thresholds[w];
    EXPECT_NEAR(static_cast<double>(kept) / kTrials, p, 5 * std::sqrt(p * (1 - p) / kTrials))
        << "word " << w;
  }
}

}  // namespace
}  // namespace zhsenti::embed
