#include "zhsenti/nn/layers/ngram_hash.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace zhsenti::nn {
namespace {

std::vector<int32_t> trigrams(const std::vector<int32_t>& ids, const std::vector<int32_t>& lengths,
                              int buckets) {
  std::vector<int32_t> out(ids.size());
  hash_trigrams(ids, lengths, buckets, out.data());
  return out;
}

TEST(NgramHash, TrigramBucketsDependOnTheTwoPreviousIdsOfTheSameSequence) {
  const int buckets = 1 << 20;  // large enough that distinct keys do not collide here
  // Sequences [5 6 7] and [9 6 7]: positions 1 differ only by their (start, x, 6) context,
  // positions 2 only by id[t-2].
  const auto a = trigrams({5, 6, 7, 9, 6, 7}, {3, 3}, buckets);
  EXPECT_NE(a[1], a[4]);
  EXPECT_NE(a[2], a[5]);
  // The same trigram in another position or batch gets the same bucket.
  const auto b = trigrams({1, 5, 6, 7}, {1, 3}, buckets);
  EXPECT_EQ(b[1], a[0]);
  EXPECT_EQ(b[3], a[2]);
  // A sequence starts afresh: [6 7] after [5] is not the trigram (5, 6, 7).
  const auto c = trigrams({5, 6, 7}, {1, 2}, buckets);
  EXPECT_NE(c[2], a[2]);
  EXPECT_EQ(c[1], trigrams({6}, {1}, buckets)[0]);
}

TEST(NgramHash, TrigramsAndBigramsHashDifferentlyIntoTheSameRange) {
  std::vector<int32_t> ids(500);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int32_t>((i * 37) % 101);
  const std::vector<int32_t> lengths = {200, 300};
  const int buckets = 997;
  std::vector<int32_t> bi(ids.size()), tri(ids.size());
  hash_bigrams(ids, lengths, buckets, bi.data());
  hash_trigrams(ids, lengths, buckets, tri.data());
  int same = 0;
  std::set<int32_t> used;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    ASSERT_GE(tri[r], 0);
    ASSERT_LT(tri[r], buckets);
    same += bi[r] == tri[r];
    used.insert(tri[r]);
  }
  EXPECT_LE(same, 5);  // chance agreement is 500 / 997
  EXPECT_GT(used.size(), 100u);
}

}  // namespace
}  // namespace zhsenti::nn
