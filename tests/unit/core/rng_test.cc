#include "zhsenti/core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace zhsenti {

TEST(RngTest, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs |= x != c.next_u64();
  }
  EXPECT_TRUE(differs);
}

TEST(RngTest, UniformIntIsInRangeAndCoversIt) {
  Rng r(1);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const auto v = r.uniform_int(7);
    ASSERT_LT(v, 7u);
    ++hits[v];
  }
  for (int h : hits) EXPECT_NEAR(h, 1000, 150);
}

TEST(RngTest, UniformFloatMomentsAndNormalMoments) {
  Rng r(3);
  double sum = 0, sum_n = 0, sum_n2 = 0;
  const int n = 50000;
  for (int i = 0; i < n; ++i) {
    const float u = r.uniform_float();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    sum += u;
    const double z = r.normal();
    sum_n += z;
    sum_n2 += z * z;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  EXPECT_NEAR(sum_n / n, 0.0, 0.02);
  EXPECT_NEAR(sum_n2 / n, 1.0, 0.03);
}

TEST(RngTest, ShuffleIsAReproduciblePermutation) {
  std::vector<int> a(100), b(100);
  std::iota(a.begin(), a.end(), 0);
  b = a;
  Rng r1(5), r2(5);
  r1.shuffle(std::span<int>(a));
  r2.shuffle(std::span<int>(b));
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> expect(100);
  std::iota(expect.begin(), expect.end(), 0);
  EXPECT_EQ(sorted, expect);
  EXPECT_NE(a, expect);
}

TEST(RngTest, ForkedStreamsDiffer) {
  Rng base(9);
  Rng f0 = base.fork(0), f1 = base.fork(1), f0b = base.fork(0);
  EXPECT_EQ(f0.next_u64(), f0b.next_u64());
  EXPECT_NE(f0.next_u64(), f1.next_u64());
}

}  // namespace zhsenti
