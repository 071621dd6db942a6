#include "zhsenti/vocab/vocab.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "zhsenti/core/error.h"

namespace zhsenti::vocab {
namespace {

namespace fs = std::filesystem;

TokenCounter counter(const std::vector<std::pair<std::string, int>>& items) {
  TokenCounter c;
  for (const auto& [t, n] : items) c.add(t, n);
  return c;
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(Vocab, DefaultHasOnlySpecials) {
  Vocab v;
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.token(kPadId), "<pad>");
  EXPECT_EQ(v.token(kUnkId), "<unk>");
  EXPECT_EQ(v.id("好"), kUnkId);
}

TEST(Vocab, BuildOrdersByCountThenBytes) {
  // Inserted in an order unrelated to the expected one.
  const auto c = counter({{"b", 2}, {"好", 5}, {"a", 2}, {"c", 7}, {"不", 2}});
  const Vocab v = Vocab::build(c);
  ASSERT_EQ(v.size(), 7u);
  const std::vector<std::string> expected = {"<pad>", "<unk>", "c", "好", "a", "b", "不"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(v.token(static_cast<std::int32_t>(i)), expected[i]) << i;
    EXPECT_EQ(v.id(expected[i]), static_cast<std::int32_t>(i));
  }
  EXPECT_EQ(v.count(2), 7);
  EXPECT_EQ(v.count(kUnkId), 0);
}

TEST(Vocab, BuildIsIndependentOfInsertionOrder) {
  TokenCounter a, b;
  const std::vector<std::string> tokens = {"x", "y", "z", "x", "很", "好", "y", "x", "w"};
  for (const auto& t : tokens) a.add(t);
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) b.add(*it);
  EXPECT_EQ(Vocab::build(a), Vocab::build(b));
}

TEST(Vocab, MinCountAndMaxSizeCutAndCountIntoUnk) {
  const auto c = counter({{"a", 10}, {"b", 5}, {"c", 3}, {"d", 1}, {"e", 1}});
  const Vocab v = Vocab::build(c, {.min_count = 2, .max_size = 4});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v.token(2), "a");
  EXPECT_EQ(v.token(3), "b");
  EXPECT_FALSE(v.contains("c"));
  EXPECT_EQ(v.count(kUnkId), 3 + 1 + 1) << "cut occurrences are the OOV mass";
  EXPECT_THROW(Vocab::build(c, {.min_count = 0}), Error);
  EXPECT_THROW(Vocab::build(c, {.max_size = 1}), Error);
}

TEST(Vocab, LiteralSpecialTokensMapToSpecialIds) {
  const Vocab v = Vocab::build(counter({{"<unk>", 4}, {"<pad>", 3}, {"a", 1}}));
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.id("<unk>"), kUnkId);
  EXPECT_EQ(v.id("<pad>"), kPadId);
}

TEST(Vocab, RejectsUnstorableTokens) {
  EXPECT_NE(error_of([] { Vocab::build(counter({{"a\tb", 1}})); }).find("\"a\\tb\""), std::string::npos);
  EXPECT_THROW(Vocab::build(counter({{"a\nb", 1}})), Error);
  EXPECT_THROW(Vocab::build(counter({{"a\r", 1}})), Error);
  EXPECT_THROW(Vocab::build(counter({{"", 1}})), Error);
}

TEST(Vocab, LookupHandlesManyTokensAndGrowth) {
  TokenCounter c;
  for (int i = 0; i < 5000; ++i) c.add("tok" + std::to_string(i), 1 + i % 7);
  const Vocab v = Vocab::build(c);
  ASSERT_EQ(v.size(), 5002u);
  for (int i = 0; i < 5000; ++i) {
    const std::string t = "tok" + std::to_string(i);
    const auto id = v.find(t);
    ASSERT_TRUE(id.has_value()) << t;
    EXPECT_EQ(v.token(*id), t);
    EXPECT_EQ(v.count(*id), 1 + i % 7);
  }
  EXPECT_FALSE(v.find("tok5000").has_value());
  EXPECT_FALSE(v.find("").has_value());
  EXPECT_THROW(v.token(5002), Error);
  EXPECT_THROW(v.token(-1), Error);
}

TEST(Vocab, ExtendKeepsOldIdsAndAppendsNewInBuildOrder) {
  Vocab v = Vocab::build(counter({{"好", 3}, {"差", 2}}));
  const Vocab before = v;
  const std::size_t added = v.extend(counter({{"差", 100}, {"新", 1}, {"词", 4}, {"旧", 1}}));
  EXPECT_EQ(added, 3u);
  for (std::int32_t id = 0; id < static_cast<std::int32_t>(before.size()); ++id) {
    EXPECT_EQ(v.token(id), before.token(id));
    EXPECT_EQ(v.count(id), before.count(id)) << "existing counts are kept";
  }
  EXPECT_EQ(v.token(4), "词");
  // Equal counts: byte order, and "新" (E6 96 B0) sorts before "旧" (E6 97 A7).
  EXPECT_EQ(v.token(5), "新");
  EXPECT_EQ(v.token(6), "旧");
  EXPECT_EQ(v.size(), 7u);
}

TEST(Vocab, ExtendRespectsMaxSize) {
  Vocab v = Vocab::build(counter({{"a", 3}}));
  EXPECT_EQ(v.extend(counter({{"b", 2}, {"c", 1}}), {.max_size = 4}), 1u);
  EXPECT_EQ(v.token(3), "b");
  EXPECT_EQ(v.size(), 4u);
}

class VocabFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zhsenti_vocab_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(VocabFileTest, SaveLoadRoundTrip) {
  const Vocab v = Vocab::build(counter({{"很", 9}, {"好", 9}, {"不", 4}, {" ", 2}, {"a b", 1}}), {.min_count = 1});
  v.save(dir_ / "vocab.txt");
  const Vocab w = Vocab::load(dir_ / "vocab.txt");
  EXPECT_EQ(v, w);
  EXPECT_EQ(w.id("a b"), v.id("a b"));
  std::ifstream in(dir_ / "vocab.txt");
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(first, "<pad>\t0");
  EXPECT_EQ(second, "<unk>\t0");
}

TEST(VocabParse, AcceptsMissingFinalNewlineAndCrlf) {
  const Vocab v = Vocab::parse("<pad>\t0\r\n<unk>\t3\r\n好\t7");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.id("好"), 2);
  EXPECT_EQ(v.count(kUnkId), 3);
}

TEST(VocabParse, ErrorsNameFileLineAndValue) {
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n好\n", "m/vocab.txt"); }),
            "m/vocab.txt:3: expected token<TAB>count, got \"好\"");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n好\t-1\n", "v"); }),
            "v:3: count \"-1\" of token \"好\" is not a non-negative integer");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n好\t1x\n", "v"); }),
            "v:3: count \"1x\" of token \"好\" is not a non-negative integer");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n好\t1\n差\t1\n好\t2\n", "v"); }),
            "v:5: duplicate token \"好\" (first on line 3)");
  EXPECT_EQ(error_of([] { Vocab::parse("<unk>\t0\n<pad>\t0\n", "v"); }),
            "v:1: first entry must be <pad>, got \"<unk>\"");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\nx\t0\n", "v"); }),
            "v:2: second entry must be <unk>, got \"x\"");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n\n", "v"); }),
            "v:3: expected token<TAB>count, got \"\"");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n<unk>\t0\n\t5\n", "v"); }), "v:3: empty token");
  EXPECT_EQ(error_of([] { Vocab::parse("", "v"); }),
            "v: empty vocabulary file (expected <pad> and <unk> lines)");
  EXPECT_EQ(error_of([] { Vocab::parse("<pad>\t0\n", "v"); }),
            "v: only 1 entries; <pad> and <unk> are required");
}

TEST(VocabParse, LoadOfMissingFileIsIoError) {
  try {
    Vocab::load("/nonexistent/zhsenti/vocab.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/zhsenti/vocab.txt"), std::string::npos);
  }
}

TEST(TokenCounter, CountsMergesAndSorts) {
  TokenCounter a, b;
  const std::vector<std::string> t1 = {"好", "好", "差"};
  const std::vector<std::string_view> t2 = {"差", "差", "x"};
  a.add(t1);
  b.add(t2);
  a.merge(b);
  EXPECT_EQ(a.count("好"), 2);
  EXPECT_EQ(a.count("差"), 3);
  EXPECT_EQ(a.count("x"), 1);
  EXPECT_EQ(a.count("y"), 0);
  EXPECT_EQ(a.total(), 6);
  EXPECT_EQ(a.distinct(), 3u);
  const auto s = a.sorted();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].first, "差");
  EXPECT_EQ(s[1].first, "好");
  EXPECT_EQ(s[2].first, "x");
}

}  // namespace
}  // namespace zhsenti::vocab
