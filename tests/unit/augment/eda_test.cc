// The four EDA operations: protected words survive random trials, edit counts follow the
// rates, and the edge cases (empty, one word) are left alone.

#include "zhsenti/augment/eda.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <utility>

#include "augment_test_util.h"
#include "zhsenti/core/error.h"

namespace zhsenti::augment {
namespace {

using testing::toks;

class EdaTest : public ::testing::Test {
 protected:
  EdaTest()
      : synonyms_(SynonymTable::build(testing::sample_vectors(), vocabulary(), policy_,
                                      SynonymOptions{3, 0.5f, 0})) {}

  static std::vector<std::string> vocabulary() {
    return toks("酒店 宾馆 旅馆 干净 整洁 卫生 房间 屋子 客房 服务");
  }

  // A random text over free words (with and without synonyms), negators, degree words,
  // adversatives, negated words, numbers and punctuation; 0 to 24 tokens.
  std::vector<std::string> random_text(Rng& rng) const {
    static const auto pool = toks(
        "酒店 宾馆 干净 房间 服务 位置 早餐 不 没有 很 非常 太 最 但是 不好 没用 100 ， 。 ！");
    std::vector<std::string> t(rng.uniform_int(25));
    for (auto& w : t) w = pool[rng.uniform_int(pool.size())];
    return t;
  }

  // (governor, the token after it) pairs in order, and the protected and punctuation tokens
  // in order: no operation may change either.
  std::pair<std::vector<std::pair<std::string, std::string>>, std::vector<std::string>> anchors(
      const std::vector<std::string>& t) const {
    std::vector<std::pair<std::string, std::string>> governed;
    std::vector<std::string> fixed;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (policy_.governs_next(t[i])) governed.emplace_back(t[i], i + 1 < t.size() ? t[i + 1] : "");
      const TokenRole r = policy_.role_alone(t[i]);
      if (r == TokenRole::kFixed || r == TokenRole::kPunct) fixed.push_back(t[i]);
    }
    return {governed, fixed};
  }

  ProtectionPolicy policy_;
  SynonymTable synonyms_;
};

// `small` is `big` with some tokens removed, each removed one allowed by `removable`.
template <typename F>
bool is_subsequence(const std::vector<std::string>& small, const std::vector<std::string>& big,
                    F removable) {
  // dp[j]: big[0, i) can become small[0, j). The trials' texts stay under 30 tokens.
  std::array<bool, 64> dp{};
  if (small.size() >= dp.size()) return false;
  dp[0] = true;
  for (std::size_t i = 0; i < big.size(); ++i) {
    for (std::size_t j = small.size(); j-- > 0;) {
      dp[j + 1] = (dp[j + 1] && removable(i)) || (dp[j] && big[i] == small[j]);
    }
    dp[0] = dp[0] && removable(i);
  }
  return dp[small.size()];
}

TEST_F(EdaTest, ProtectedWordsSurviveAThousandRandomTrialsOfEveryOperation) {
  Rng rng(2026);
  int edited = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const auto t = random_text(rng);
    const auto roles = policy_.roles(t);
    const auto before = anchors(t);
    const int n = 1 + static_cast<int>(rng.uniform_int(4));
    const EdaResult results[] = {synonym_replace(t, roles, synonyms_, n, rng),
                                 random_insert(t, roles, policy_, synonyms_, n, rng),
                                 random_swap(t, roles, n, rng), random_delete(t, roles, 0.3, rng)};
    for (int op = 0; op < kEdaOps; ++op) {
      const auto& r = results[op];
      edited += r.edits > 0;
      ASSERT_EQ(anchors(r.tokens), before) << "op " << op << " trial " << trial;
    }
    // Replacement: same length, only free words change, each into one of its synonyms.
    ASSERT_EQ(results[0].tokens.size(), t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (results[0].tokens[i] == t[i]) continue;
      ASSERT_EQ(roles[i], TokenRole::kFree);
      const auto syn = synonyms_.find(t[i]);
      ASSERT_TRUE(std::any_of(syn.begin(), syn.end(),
                              [&](const Synonym& s) { return s.word == results[0].tokens[i]; }));
    }
    // Insertion: the text plus `edits` substitutable words.
    ASSERT_EQ(results[1].tokens.size(), t.size() + static_cast<std::size_t>(results[1].edits));
    ASSERT_TRUE(is_subsequence(t, results[1].tokens, [&](std::size_t i) {
      return policy_.may_substitute(results[1].tokens[i]);
    }));
    // Swap: fixed and punctuation tokens keep their index.
    ASSERT_EQ(results[2].tokens.size(), t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!is_movable(roles[i])) {
        ASSERT_EQ(results[2].tokens[i], t[i]);
      }
    }
    // Deletion: only movable tokens go.
    ASSERT_TRUE(
        is_subsequence(results[3].tokens, t, [&](std::size_t i) { return is_movable(roles[i]); }));
    ASSERT_EQ(results[3].tokens.size() + static_cast<std::size_t>(results[3].edits), t.size());
  }
  EXPECT_GT(edited, 1500);  // the trials did edit
}

TEST_F(EdaTest, EditCountsFollowTheRates) {
  EXPECT_EQ(edit_count(0, 10), 0);
  EXPECT_EQ(edit_count(0.1, 5), 1);  // at least one edit, as in EDA
  EXPECT_EQ(edit_count(0.1, 25), 2);
  EXPECT_EQ(edit_count(0.3, 20), 6);
  EXPECT_EQ(edit_count(1, 7), 7);

  // Ten free words (nine with synonyms; 服务 has none), two fixed ones.
  const auto t = toks("酒店 干净 房间 宾馆 整洁 屋子 旅馆 卫生 客房 服务 很 好");
  const auto roles = policy_.roles(t);
  ASSERT_EQ(word_count(roles), 12u);
  Rng rng(7);
  const int n = edit_count(0.3, word_count(roles));
  const auto sr = synonym_replace(t, roles, synonyms_, n, rng);
  EXPECT_EQ(sr.edits, 3);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < t.size(); ++i) changed += sr.tokens[i] != t[i];
  EXPECT_EQ(changed, 3u);  // a synonym is never the word itself
  EXPECT_EQ(random_insert(t, roles, policy_, synonyms_, n, rng).tokens.size(), t.size() + 3);
  EXPECT_EQ(random_swap(t, roles, n, rng).edits, 3);
  // More replacements asked than words qualify: every qualifying word, no more.
  EXPECT_EQ(synonym_replace(t, roles, synonyms_, 50, rng).edits, 9);

  // Deletion rate over many trials (only the ten movable words can go).
  std::size_t deleted = 0;
  const int trials = 2000;
  for (int i = 0; i < trials; ++i)
    deleted += static_cast<std::size_t>(random_delete(t, roles, 0.2, rng).edits);
  EXPECT_NEAR(static_cast<double>(deleted) / (trials * 10.0), 0.2, 0.015);
}

TEST_F(EdaTest, SameSeedSameEdits) {
  const auto t = toks("酒店 干净 房间 宾馆 整洁 屋子 位置 早餐 很 好 ， 服务 不 错");
  const auto roles = policy_.roles(t);
  const auto run = [&](std::uint64_t seed) {
    Rng rng(seed);
    std::vector<std::vector<std::string>> out;
    out.push_back(synonym_replace(t, roles, synonyms_, 3, rng).tokens);
    out.push_back(random_insert(t, roles, policy_, synonyms_, 3, rng).tokens);
    out.push_back(random_swap(t, roles, 3, rng).tokens);
    out.push_back(random_delete(t, roles, 0.3, rng).tokens);
    return out;
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

TEST_F(EdaTest, EmptyAndOneWordTexts) {
  Rng rng(1);
  const std::vector<std::string> empty;
  for (const auto& r : {synonym_replace(empty, {}, synonyms_, 3, rng),
                        random_insert(empty, {}, policy_, synonyms_, 3, rng),
                        random_swap(empty, {}, 3, rng), random_delete(empty, {}, 0.9, rng)}) {
    EXPECT_TRUE(r.tokens.empty());
    EXPECT_EQ(r.edits, 0);
  }
  const auto one = toks("酒店");
  const auto roles = policy_.roles(one);
  EXPECT_EQ(random_swap(one, roles, 3, rng).edits, 0);
  EXPECT_EQ(random_delete(one, roles, 1.0, rng).tokens, one);  // never deletes the only word
  EXPECT_EQ(synonym_replace(one, roles, synonyms_, 1, rng).edits, 1);
  EXPECT_EQ(random_insert(one, roles, policy_, synonyms_, 1, rng).tokens.size(), 2u);
  // Deleting with p = 1 keeps one word; punctuation stays.
  const auto two = toks("酒店 ， 房间");
  const auto r = random_delete(two, policy_.roles(two), 1.0, rng);
  EXPECT_EQ(r.edits, 1);
  EXPECT_EQ(r.tokens.size(), 2u);
  EXPECT_THROW(random_swap(two, {}, 1, rng), Error);
}

}  // namespace
}  // namespace zhsenti::augment
