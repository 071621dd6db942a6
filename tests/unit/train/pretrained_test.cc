#include "pretrained.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/embed/bigram_entry.h"
#include "zhsenti/nn/layers/ngram_hash.h"

namespace zhsenti::train {
namespace {

namespace fs = std::filesystem;

// Vocabulary: <pad> <unk> 好 吃 不 (ids 2, 3, 4).
vocab::Vocab small_vocab() {
  vocab::TokenCounter counts;
  counts.add("好", 5);
  counts.add("吃", 4);
  counts.add("不", 3);
  return vocab::Vocab::build(counts);
}

std::size_t bucket(std::int32_t a, std::int32_t b, int buckets) {
  const std::array<std::int32_t, 2> ids{a, b};
  const std::array<std::int32_t, 1> length{2};
  std::array<std::int32_t, 2> out{};
  nn::hash_bigrams(ids, length, buckets, out.data());
  return static_cast<std::size_t>(out[1]);
}

class Pretrained : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("zhsenti_pretrained_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt");
  }
  void TearDown() override { fs::remove(path_); }
  void write(const std::string& content) const { std::ofstream(path_) << content; }

  fs::path path_;
  vocab::Vocab vocab_ = small_vocab();
  static constexpr int kDim = 2;
  static constexpr int kBuckets = 1000;
  std::vector<float> embedding_ = std::vector<float>(5 * kDim, 7.0f);
  std::vector<float> bigrams_ = std::vector<float>(kBuckets * kDim, 7.0f);

  PretrainedTargets targets(bool rescale) {
    PretrainedTargets t;
    t.embedding = embedding_;
    t.bigrams = bigrams_;
    t.buckets = kBuckets;
    t.dim = kDim;
    t.rescale = rescale;
    return t;
  }
};

TEST_F(Pretrained, BigramEntriesFillTheBucketTheModelHashesThePairTo) {
  const std::string b1 = embed::bigram_entry("好", "吃"), b2 = embed::bigram_entry("不", "好");
  write("5 2\n好 1 2\n" + b1 + " 3 4\n" + b2 + " 5 6\n" + embed::bigram_entry("好", "未知") +
        " 9 9\n吃 -1 -2\n");
  const auto report = load_pretrained(path_, vocab_, targets(false));
  EXPECT_EQ(report.found, 2u);
  EXPECT_EQ(report.bigram_rows, 2u);
  EXPECT_EQ(report.file_vectors, 5u);
  EXPECT_EQ(embedding_[2 * kDim], 1.0f);
  EXPECT_EQ(embedding_[3 * kDim + 1], -2.0f);
  EXPECT_EQ(embedding_[4 * kDim], 7.0f);  // 不 is not in the file
  const std::size_t good_eat = bucket(2, 3, kBuckets), not_good = bucket(4, 2, kBuckets);
  ASSERT_NE(good_eat, not_good);
  EXPECT_EQ(bigrams_[good_eat * kDim], 3.0f);
  EXPECT_EQ(bigrams_[good_eat * kDim + 1], 4.0f);
  EXPECT_EQ(bigrams_[not_good * kDim + 1], 6.0f);
  std::size_t untouched = 0;
  for (const float v : bigrams_) untouched += v == 7.0f;
  EXPECT_EQ(untouched, (kBuckets - 2) * kDim);  // the unknown token's bigram set nothing
}

TEST_F(Pretrained, RescaleGivesTheFileVectorsUnitRmsAndLeavesRandomRowsAlone) {
  write("3 2\n好 0.1 -0.1\n吃 0.2 0.2\n" + embed::bigram_entry("好", "吃") + " 3 4\n");
  const auto report = load_pretrained(path_, vocab_, targets(true));
  // Token rows: RMS of {0.1, 0.1, 0.2, 0.2} is sqrt(0.025).
  EXPECT_NEAR(report.token_scale, 1 / std::sqrt(0.025), 1e-4);
  EXPECT_NEAR(embedding_[3 * kDim], 0.2 / std::sqrt(0.025), 1e-5);
  EXPECT_EQ(embedding_[4 * kDim], 7.0f);
  const std::size_t b = bucket(2, 3, kBuckets);
  EXPECT_NEAR(report.bigram_scale, 1 / std::sqrt(12.5), 1e-5);
  EXPECT_NEAR(bigrams_[b * kDim + 1], 4 / std::sqrt(12.5), 1e-5);
}

TEST_F(Pretrained, WithoutBucketsBigramEntriesAreSkipped) {
  write("2 2\n" + embed::bigram_entry("好", "吃") + " 3 4\n好 1 1\n");
  PretrainedTargets t = targets(false);
  t.bigrams = {};
  t.buckets = 0;
  const auto report = load_pretrained(path_, vocab_, t);
  EXPECT_EQ(report.found, 1u);
  EXPECT_EQ(report.bigram_rows, 0u);
}

TEST_F(Pretrained, VectorsInMemoryFillTheTablesAsTheirFileDoes) {
  const std::string text = "4 2\n好 1 2\n" + embed::bigram_entry("好", "吃") + " 3 4\n吃 -1 -2\n" +
                           embed::bigram_entry("好", "吃") + " 8 8\n";
  write(text);
  const auto from_file = load_pretrained(path_, vocab_, targets(false));
  const std::vector<float> file_embedding = embedding_, file_bigrams = bigrams_;
  std::fill(embedding_.begin(), embedding_.end(), 7.0f);
  std::fill(bigrams_.begin(), bigrams_.end(), 7.0f);
  const embed::WordVectors vectors{
      kDim,
      {"好", embed::bigram_entry("好", "吃"), "吃", embed::bigram_entry("好", "吃")},
      {1, 2, 3, 4, -1, -2, 8, 8}};
  const auto from_memory = load_pretrained(vectors, vocab_, targets(false));
  EXPECT_EQ(embedding_, file_embedding);
  EXPECT_EQ(bigrams_, file_bigrams);  // the first entry of a bucket wins in both
  EXPECT_EQ(from_memory.to_json(), from_file.to_json());
  EXPECT_EQ(from_memory.found, 2u);
  const embed::WordVectors wrong_dim{3, {"好"}, {1, 2, 3}};
  EXPECT_THROW(load_pretrained(wrong_dim, vocab_, targets(false)), Error);
}

TEST(BigramEntry, SplitsAtTheFirstJoinerWhoseHalvesAreAccepted) {
  const std::string_view joined = "a▁▁b";  // the first token may be "a" or "a▁"
  const auto any = embed::split_bigram(joined, [](auto, auto) { return true; });
  ASSERT_TRUE(any);
  EXPECT_EQ(any->first, "a");
  const auto second =
      embed::split_bigram(joined, [](std::string_view a, auto) { return a.size() > 1; });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->second, "b");
  EXPECT_FALSE(embed::split_bigram("▁b", [](auto, auto) { return true; }));
}

}  // namespace
}  // namespace zhsenti::train
