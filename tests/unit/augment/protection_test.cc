// Which tokens augmentation may touch (protection.h).

#include "zhsenti/augment/protection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "augment_test_util.h"
#include "zhsenti/core/error.h"

namespace zhsenti::augment {
namespace {

using testing::toks;
using R = TokenRole;

TEST(ProtectionTest, RolesFixNegatorsDegreeWordsAndTheWordsTheyGovern) {
  const ProtectionPolicy policy;
  const auto t = toks("房间 很 干净 ， 但是 不 便宜 。 不好 100 Not cheap wifi");
  const std::vector<R> expected = {R::kFree,  R::kFixed, R::kFixed, R::kPunct, R::kFixed,
                                   R::kFixed, R::kFixed, R::kPunct, R::kKeep,  R::kKeep,
                                   R::kFixed, R::kFixed, R::kFree};
  EXPECT_EQ(policy.roles(t), expected);
}

TEST(ProtectionTest, GovernedPunctuationStaysInPlaceAndGovernsNothing) {
  const ProtectionPolicy policy;
  EXPECT_EQ(policy.roles(toks("太 ！ 房间")), (std::vector<R>{R::kFixed, R::kPunct, R::kFree}));
  EXPECT_EQ(policy.roles(toks("不 太 贵")), (std::vector<R>{R::kFixed, R::kFixed, R::kFixed}));
  EXPECT_TRUE(policy.roles({}).empty());
}

TEST(ProtectionTest, OnlyFreeWordsMaySubstitute) {
  const ProtectionPolicy policy;
  for (const std::string w : {"宾馆", "wifi", "房间2"}) EXPECT_TRUE(policy.may_substitute(w)) << w;
  for (const std::string w : {"很", "不", "没有", "但是", "不好", "没用", "很好", "太贵",
                              "非常满意", "没什么用", "，", "100", "!!", "😀", "VERY", "Never"}) {
    EXPECT_FALSE(policy.may_substitute(w)) << w;
  }
  EXPECT_EQ(policy.role_alone("很好"), R::kKeep);  // fused: may move or go, never replaced
  EXPECT_EQ(policy.role_alone("非常"), R::kFixed);
  EXPECT_TRUE(policy.governs_next("不"));
  EXPECT_TRUE(policy.governs_next("非常"));
  EXPECT_TRUE(policy.governs_next("Very"));
  EXPECT_FALSE(policy.governs_next("但是"));  // protected, but governs a clause, not a word
  EXPECT_FALSE(policy.governs_next("房间"));
}

TEST(ProtectionTest, ExtraWordsAreFixed) {
  const ProtectionPolicy policy({"房间", "", "Wifi"});
  EXPECT_EQ(policy.extra_size(), 2u);
  EXPECT_EQ(policy.roles(toks("房间 宾馆 wifi WIFI")),
            (std::vector<R>{R::kFixed, R::kFree, R::kFixed, R::kFixed}));
  EXPECT_EQ(policy.role_alone("Wifi"), R::kFixed);
}

class WordListTest : public ::testing::Test {
 protected:
  std::string write(const std::string& content) {
    path_ = (std::filesystem::temp_directory_path() /
             ("zhsenti_protect_" + std::to_string(::getpid()) + ".txt"))
                .string();
    std::ofstream(path_, std::ios::binary) << content;
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(WordListTest, ReadsWordsSkippingCommentsAndBlanks) {
  const auto words = read_word_list(write("\xEF\xBB\xBF房间\r\n# note\n\n  性价比 \n"));
  EXPECT_EQ(words, (std::vector<std::string>{"房间", "性价比"}));
}

TEST_F(WordListTest, InvalidUtf8NamesFileAndLine) {
  const std::string path = write("房间\n\xFF\xFE\n");
  try {
    read_word_list(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_word_list(path + ".missing"), Error);
}

}  // namespace
}  // namespace zhsenti::augment
