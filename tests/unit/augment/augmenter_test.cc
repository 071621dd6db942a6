// EDA per text (augmenter.h) and rejoining tokens into text (rejoin.h).

#include "zhsenti/augment/augmenter.h"

#include <gtest/gtest.h>

#include <set>

#include "augment_test_util.h"
#include "zhsenti/augment/rejoin.h"
#include "zhsenti/core/error.h"

namespace zhsenti::augment {
namespace {

using testing::toks;

class AugmenterTest : public ::testing::Test {
 protected:
  AugmenterTest()
      : synonyms_(SynonymTable::build(testing::sample_vectors(), toks("酒店 干净 房间 宾馆"),
                                      policy_, SynonymOptions{3, 0.5f, 0})) {}
  ProtectionPolicy policy_;
  SynonymTable synonyms_;
};

std::string error_of(const AugmentOptions& o) {
  try {
    o.validate();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(AugmenterTest, ValidatesOptions) {
  AugmentOptions o;
  EXPECT_EQ(error_of(o), "");
  o.alpha_sr = 1.5;
  EXPECT_NE(error_of(o).find("--alpha-sr must be in [0, 1], got 1.5"), std::string::npos);
  o = {};
  o.p_rd = -0.1;
  EXPECT_NE(error_of(o).find("--p-rd"), std::string::npos);
  o = {};
  o.n_aug = 0;
  EXPECT_NE(error_of(o).find("--n-aug"), std::string::npos);
  o = {};
  o.alpha_rs = 0;
  o.p_rd = 0;
  EXPECT_THROW(Augmenter(policy_, nullptr, o), Error);  // sr and ri need synonyms
  EXPECT_EQ(Augmenter(policy_, &synonyms_, o).ops().size(), 2u);
}

TEST_F(AugmenterTest, OperationsInUse) {
  EXPECT_EQ(Augmenter(policy_, nullptr, {}).ops(),
            (std::vector<EdaOp>{EdaOp::kRandomSwap, EdaOp::kRandomDelete}));
  EXPECT_EQ(Augmenter(policy_, &synonyms_, {}).ops().size(), 4u);
  const SynonymTable empty;
  EXPECT_EQ(Augmenter(policy_, &empty, {}).ops().size(), 2u);
}

TEST_F(AugmenterTest, DistinctAugmentationsOneOperationEach) {
  AugmentOptions o;
  o.n_aug = 4;
  o.p_rd = 0.5;  // so that deletion (7 movable words) deletes something at its first try
  const Augmenter augmenter(policy_, &synonyms_, o);
  const auto t = toks("酒店 的 房间 很 大 ， 也 干净 ， 位置 方便 ， 早餐 不 好吃");
  const auto out = augmenter.augment(t, 0);
  ASSERT_EQ(out.size(), 4u);
  std::set<std::vector<std::string>> seen;
  std::set<EdaOp> ops;
  for (const auto& a : out) {
    EXPECT_NE(a.tokens, t);
    EXPECT_GT(a.edits, 0);
    seen.insert(a.tokens);
    ops.insert(a.op);
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(ops.size(), 4u);  // each operation once when all four succeed
}

TEST_F(AugmenterTest, SameSeedAndIndexSameOutput) {
  AugmentOptions o;
  o.n_aug = 6;
  o.seed = 5;
  const Augmenter a(policy_, &synonyms_, o), b(policy_, &synonyms_, o);
  o.seed = 6;
  const Augmenter c(policy_, &synonyms_, o);
  const auto t = toks("酒店 房间 干净 ， 位置 很 好 ， 早餐 一般 ， 停车 方便 ， 服务 热情");
  const auto tokens_of = [](const std::vector<Augmentation>& v) {
    std::vector<std::vector<std::string>> out;
    for (const auto& x : v) out.push_back(x.tokens);
    return out;
  };
  EXPECT_EQ(tokens_of(a.augment(t, 3)), tokens_of(b.augment(t, 3)));
  // Order of calls does not matter: each text has its own stream.
  b.augment(t, 4);
  EXPECT_EQ(tokens_of(a.augment(t, 3)), tokens_of(b.augment(t, 3)));
  EXPECT_NE(tokens_of(a.augment(t, 3)), tokens_of(a.augment(t, 4)));
  EXPECT_NE(tokens_of(a.augment(t, 3)), tokens_of(c.augment(t, 3)));
}

TEST_F(AugmenterTest, ShortTexts) {
  const Augmenter with(policy_, &synonyms_, {}), without(policy_, nullptr, {});
  EXPECT_TRUE(with.augment({}, 0).empty());
  EXPECT_TRUE(without.augment(toks("酒店"), 0).empty());  // nothing to swap or delete
  const auto one = with.augment(toks("酒店"), 0);         // only synonyms can change it
  EXPECT_FALSE(one.empty());
  for (const auto& a : one) {
    EXPECT_TRUE(a.op == EdaOp::kSynonymReplace || a.op == EdaOp::kRandomInsert);
  }
  EXPECT_TRUE(without.augment(toks("不 好"), 0).empty());  // everything fixed
  EXPECT_TRUE(without.augment(toks("， 。"), 0).empty());
}

TEST(RejoinTest, ConcatenatesWithSpacesOnlyBetweenAsciiWords) {
  const auto t = toks("very good 酒店 wifi 很 好 3 G");
  EXPECT_EQ(join_tokens(t, JoinMode::kAuto), "very good酒店wifi很好3 G");
  EXPECT_EQ(join_tokens(t, JoinMode::kSpace), "very good 酒店 wifi 很 好 3 G");
  EXPECT_EQ(join_tokens({}, JoinMode::kAuto), "");
  EXPECT_EQ(parse_join_mode("space"), JoinMode::kSpace);
  EXPECT_THROW(parse_join_mode("tab"), Error);
}

}  // namespace
}  // namespace zhsenti::augment
