#include "oversample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

namespace zhsenti::train {
namespace {

// Example i of the corpus is the sequence {i + 2, i + 2} (every text distinct).
LabelledCorpus corpus_with_labels(const std::vector<std::int32_t>& labels) {
  LabelledCorpus data;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::int32_t id = static_cast<std::int32_t>(i) + 2;
    const std::vector<std::int32_t> seq{id, id};
    data.corpus.push_back(seq);
    data.labels.push_back(labels[i]);
  }
  return data;
}

std::map<std::int32_t, std::size_t> class_counts(const LabelledCorpus& data) {
  std::map<std::int32_t, std::size_t> counts;
  for (auto l : data.labels) ++counts[l];
  return counts;
}

TEST(Oversample, EveryClassReachesTheLargestWithItsOwnTexts) {
  const std::vector<std::int32_t> labels{0, 0, 0, 0, 0, 0, 1, 1, 2};
  LabelledCorpus data = corpus_with_labels(labels);
  Rng rng(5);
  EXPECT_EQ(oversample(data, 3, rng), 9u);
  const auto counts = class_counts(data);
  EXPECT_EQ(counts.at(0), 6u);
  EXPECT_EQ(counts.at(1), 6u);
  EXPECT_EQ(counts.at(2), 6u);
  for (std::size_t i = 0; i < labels.size(); ++i) {  // the originals are untouched
    EXPECT_EQ(data.labels[i], labels[i]);
    EXPECT_EQ(data.corpus.sequence(i)[0], static_cast<std::int32_t>(i) + 2);
  }
  for (std::size_t i = labels.size(); i < data.size(); ++i) {  // a copy of its own class
    const auto seq = data.corpus.sequence(i);
    ASSERT_EQ(seq.size(), 2u);
    const std::size_t original = static_cast<std::size_t>(seq[0] - 2);
    ASSERT_LT(original, labels.size());
    EXPECT_EQ(labels[original], data.labels[i]);
  }
}

TEST(Oversample, SameSeedSameDraws) {
  const std::vector<std::int32_t> labels{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2};
  LabelledCorpus a = corpus_with_labels(labels), b = corpus_with_labels(labels);
  Rng ra(11), rb(11);
  oversample(a, 3, ra);
  oversample(b, 3, rb);
  EXPECT_EQ(a.corpus.ids, b.corpus.ids);
  EXPECT_EQ(a.labels, b.labels);
}

TEST(Oversample, BalancedOrAbsentClassesAddNothing) {
  LabelledCorpus data = corpus_with_labels({0, 1, 0, 1});
  Rng rng(1);
  EXPECT_EQ(oversample(data, 3, rng), 0u);  // class 2 has no text to draw
  EXPECT_EQ(data.size(), 4u);
}

}  // namespace
}  // namespace zhsenti::train
