#include "zhsenti/vocab/batcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "zhsenti/core/error.h"

namespace zhsenti::vocab {
namespace {

// Example i has length 1 + (i * 7) % 13 and ids {i, i, ...} so a batch can be checked
// against the corpus.
EncodedCorpus make_corpus(std::size_t n) {
  EncodedCorpus c;
  for (std::size_t i = 0; i < n; ++i) {
    c.push_back(std::vector<std::int32_t>(1 + (i * 7) % 13, static_cast<std::int32_t>(i)));
  }
  return c;
}

std::vector<std::int32_t> make_labels(std::size_t n) {
  std::vector<std::int32_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<std::int32_t>(i % 3);
  return labels;
}

void check_batch(const Batch& b, const EncodedCorpus& c, std::span<const std::int32_t> labels) {
  ASSERT_EQ(b.indices.size(), b.size());
  ASSERT_EQ(b.labels.size(), labels.empty() ? 0 : b.size());
  std::size_t pos = 0;
  for (std::size_t k = 0; k < b.size(); ++k) {
    const std::size_t i = b.indices[k];
    ASSERT_EQ(b.lengths[k], c.length(i));
    if (k > 0) {
      EXPECT_GE(b.lengths[k - 1], b.lengths[k]) << "lengths must be non-increasing";
    }
    for (std::int32_t t = 0; t < b.lengths[k]; ++t) ASSERT_EQ(b.ids[pos++], static_cast<std::int32_t>(i));
    if (!labels.empty()) {
      EXPECT_EQ(b.labels[k], labels[i]);
    }
  }
  EXPECT_EQ(pos, b.num_tokens());
  EXPECT_EQ(b.max_length(), b.lengths.front());
}

std::vector<std::vector<std::size_t>> epoch(ShuffledBatcher& batcher, Rng& rng, const EncodedCorpus& c,
                                            std::span<const std::int32_t> labels) {
  std::vector<std::vector<std::size_t>> out;
  const std::size_t planned = batcher.num_batches();  // known before the epoch is planned
  batcher.start_epoch(rng);
  Batch b;
  while (batcher.next(b)) {
    check_batch(b, c, labels);
    out.emplace_back(b.indices.begin(), b.indices.end());
  }
  EXPECT_EQ(out.size(), planned);
  EXPECT_EQ(out.size(), batcher.num_batches());
  return out;
}

TEST(ShuffledBatcher, EveryExampleOncePerEpochInSimilarLengthBatches) {
  const auto c = make_corpus(1000);
  const auto labels = make_labels(1000);
  ShuffledBatcher batcher(c, labels, {.batch_size = 16, .chunk_batches = 10});
  Rng rng(42);
  const auto batches = epoch(batcher, rng, c, labels);
  EXPECT_EQ(batches.size(), 63u);  // ceil(1000 / 16)
  std::vector<std::size_t> seen;
  std::size_t short_batches = 0;
  for (const auto& b : batches) {
    seen.insert(seen.end(), b.begin(), b.end());
    short_batches += b.size() < 16;
  }
  EXPECT_EQ(short_batches, 1u);
  std::sort(seen.begin(), seen.end());
  for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i);
  ASSERT_EQ(seen.size(), 1000u);

  // Bucketing: within a batch the length spread is far below the corpus spread (1..13).
  double spread = 0;
  for (const auto& b : batches) {
    int lo = 100, hi = 0;
    for (auto i : b) {
      lo = std::min(lo, c.length(i));
      hi = std::max(hi, c.length(i));
    }
    spread += hi - lo;
  }
  EXPECT_LT(spread / static_cast<double>(batches.size()), 2.0);
}

TEST(ShuffledBatcher, SameSeedSameBatchesDifferentEpochsDiffer) {
  const auto c = make_corpus(300);
  ShuffledBatcher a(c, {}, {.batch_size = 8, .chunk_batches = 4});
  ShuffledBatcher b(c, {}, {.batch_size = 8, .chunk_batches = 4});
  Rng ra(7), rb(7);
  const auto a1 = epoch(a, ra, c, {});
  const auto b1 = epoch(b, rb, c, {});
  EXPECT_EQ(a1, b1);
  const auto a2 = epoch(a, ra, c, {});
  EXPECT_NE(a1, a2);
  Rng rc(8);
  EXPECT_NE(epoch(a, rc, c, {}), a1);
}

TEST(ShuffledBatcher, WholeCorpusChunkIsSortedThenCut) {
  // With one chunk covering the whole corpus, batches are the length-sorted corpus cut in
  // pairs, whatever the shuffle.
  EncodedCorpus c;
  for (int len : {3, 1, 2, 4, 5, 6}) c.push_back(std::vector<std::int32_t>(static_cast<std::size_t>(len), 2));
  ShuffledBatcher batcher(c, {}, {.batch_size = 2, .chunk_batches = 3});
  Rng rng(1);
  batcher.start_epoch(rng);
  std::set<std::vector<std::int32_t>> lengths;
  Batch b;
  while (batcher.next(b)) lengths.insert(std::vector<std::int32_t>(b.lengths.begin(), b.lengths.end()));
  EXPECT_EQ(lengths, (std::set<std::vector<std::int32_t>>{{6, 5}, {4, 3}, {2, 1}}));
}

// Data-parallel ranks plan from lengths alone and must get the batcher's very batches.
TEST(ShuffledPlan, PlansTheBatchersBatchesFromLengthsAlone) {
  const auto c = make_corpus(300);
  std::vector<std::int32_t> lengths;
  for (std::size_t i = 0; i < c.size(); ++i) lengths.push_back(c.length(i));
  const BatcherOptions options{.batch_size = 8, .chunk_batches = 4};
  ShuffledBatcher batcher(c, {}, options);
  ShuffledPlan plan(lengths, options);
  EXPECT_EQ(plan.num_batches(), batcher.num_batches());
  Rng ra(5), rb(5);
  batcher.start_epoch(ra);
  plan.start_epoch(rb);
  Batch b;
  std::span<const std::size_t> indices;
  std::size_t n = 0;
  while (batcher.next(b)) {
    ASSERT_TRUE(plan.next(indices));
    EXPECT_TRUE(std::equal(b.indices.begin(), b.indices.end(), indices.begin(), indices.end()));
    ++n;
  }
  EXPECT_FALSE(plan.next(indices));
  EXPECT_EQ(n, batcher.num_batches());
}

TEST(ShuffledBatcher, DropLastDropsOnlyTheShortBatch) {
  const auto c = make_corpus(37);
  ShuffledBatcher batcher(c, {}, {.batch_size = 8, .chunk_batches = 2, .drop_last = true});
  Rng rng(3);
  const auto batches = epoch(batcher, rng, c, {});
  EXPECT_EQ(batches.size(), 4u);
  for (const auto& b : batches) EXPECT_EQ(b.size(), 8u);
}

TEST(ShuffledBatcher, RejectsBadArguments) {
  const auto c = make_corpus(5);
  const std::vector<std::int32_t> labels(4, 0);
  EXPECT_THROW(ShuffledBatcher(c, labels, {}), Error);
  EXPECT_THROW(ShuffledBatcher(c, {}, {.batch_size = 0}), Error);
  EXPECT_THROW(OrderedBatcher(c, {}, 0), Error);
}

TEST(ShuffledBatcher, EmptyCorpusHasNoBatches) {
  EncodedCorpus c;
  ShuffledBatcher batcher(c, {}, {});
  Rng rng(1);
  batcher.start_epoch(rng);
  Batch b;
  EXPECT_FALSE(batcher.next(b));
}

TEST(OrderedBatcher, CoversInputOnceSortedWithinWindows) {
  const auto c = make_corpus(203);
  const auto labels = make_labels(203);
  OrderedBatcher batcher(c, labels, 10, 50);
  std::vector<int> outputs(203, -1);
  Batch b;
  std::size_t count = 0;
  std::size_t max_index_so_far = 0;
  while (batcher.next(b)) {
    check_batch(b, c, labels);
    for (std::size_t k = 0; k < b.size(); ++k) {
      ASSERT_EQ(outputs[b.indices[k]], -1) << "example twice";
      outputs[b.indices[k]] = b.lengths[k];
      // A batch never mixes windows: all its indices lie in one window of 50.
      EXPECT_EQ(b.indices[k] / 50, b.indices[0] / 50);
      max_index_so_far = std::max(max_index_so_far, b.indices[k]);
    }
    ++count;
  }
  EXPECT_EQ(count, batcher.num_batches());
  EXPECT_EQ(count, 4u * 5u + 1u);  // 4 windows of 50 (5 batches each) + 3 examples
  for (std::size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(outputs[i], c.length(i));
  batcher.reset();
  ASSERT_TRUE(batcher.next(b));
  EXPECT_LT(b.indices[0], 50u);
}

}  // namespace
}  // namespace zhsenti::vocab
