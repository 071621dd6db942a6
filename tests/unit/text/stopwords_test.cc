// Stop words with sentiment protection, on the three real lists (HIT, cn, Baidu).

#include "zhsenti/text/stopwords.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "clean_test_data.h"
#include "zhsenti/core/error.h"

namespace zhsenti::text {
namespace {

std::filesystem::path list(const std::string& name) {
  return testing::shared_data_dir() / "stopwords" / name;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(StopWordsTest, ProtectedWordsIncludeNegatorsDegreeWordsAndAdversatives) {
  const auto& words = sentiment_protected_words();
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  EXPECT_EQ(std::adjacent_find(words.begin(), words.end()), words.end());
  for (const std::string w :
       {"不",   "没",   "没有", "别",   "无",   "非",   "不是", "未",   "莫", "勿",
        "很",   "太",   "非常", "极",   "十分", "特别", "有点", "比较", "更", "最",
        "但是", "可是", "不过", "然而", "却",   "好",   "not",  "very", "but"}) {
    EXPECT_TRUE(is_sentiment_protected(w)) << w;
  }
  for (const std::string w : {"的", "了", "我们", "这个", "the", ""}) {
    EXPECT_FALSE(is_sentiment_protected(w)) << w;
  }
}

TEST(StopWordsTest, NegatorsAndDegreeWordsAreProtectedSubsets) {
  for (const std::string w : {"不", "没", "没有", "不是", "从未", "not", "never", "can't"}) {
    EXPECT_TRUE(is_negator(w)) << w;
    EXPECT_FALSE(is_degree_word(w)) << w;
    EXPECT_TRUE(is_sentiment_protected(w)) << w;
  }
  for (const std::string w : {"很", "太", "非常", "最", "有点", "very", "too", "extremely"}) {
    EXPECT_TRUE(is_degree_word(w)) << w;
    EXPECT_FALSE(is_negator(w)) << w;
    EXPECT_TRUE(is_sentiment_protected(w)) << w;
  }
  for (const std::string w : {"但是", "满意", "but", "good", "的", ""}) {
    EXPECT_FALSE(is_negator(w)) << w;
    EXPECT_FALSE(is_degree_word(w)) << w;
  }
}

TEST(StopWordsTest, CnListKeepsPolarityWords) {
  const StopWords stop = StopWords::load(list("cn_stopwords.txt"));
  for (const std::string w : {"不", "很", "好", "无", "但是", "却", "最"}) {
    EXPECT_FALSE(stop.is_stop(w)) << w;
    EXPECT_TRUE(contains(stop.protected_entries(), w)) << w;
  }
  for (const std::string w : {"的", "了", "我们", "之所以", "啊"})
    EXPECT_TRUE(stop.is_stop(w)) << w;
}

TEST(StopWordsTest, BaiduListKeepsPolarityWords) {
  const StopWords stop = StopWords::load(list("baidu_stopwords.txt"));
  for (const std::string w : {"没有", "不是", "非常", "高兴", "not", "very"}) {
    EXPECT_FALSE(stop.is_stop(w)) << w;
    EXPECT_TRUE(contains(stop.protected_entries(), w)) << w;
  }
  for (const std::string w : {"the", "about", "一些", "什么"}) EXPECT_TRUE(stop.is_stop(w)) << w;
}

TEST(StopWordsTest, HitListKeepsPolarityWordsAndFoldsFullWidthEntries) {
  const StopWords stop = StopWords::load(list("hit_stopwords.txt"));
  for (const std::string w : {"但是", "不过", "不如", "哈哈"}) {
    EXPECT_FALSE(stop.is_stop(w)) << w;
    EXPECT_TRUE(contains(stop.protected_entries(), w)) << w;
  }
  // The list has "，" and "！": the cleaner folds them to ASCII, so both forms stop.
  for (const std::string w : {"，", ",", "！", "!", "～", "~", "的"})
    EXPECT_TRUE(stop.is_stop(w)) << w;
}

TEST(StopWordsTest, EveryEntryIsAppliedOrReportedAsProtected) {
  for (const std::string name : {"hit_stopwords.txt", "cn_stopwords.txt", "baidu_stopwords.txt"}) {
    const StopWords stop = StopWords::load(list(name));
    std::size_t entries = 0;
    for (const std::string& line : testing::data_lines("stopwords/" + name)) {
      std::string w = line;
      while (!w.empty() && (w.back() == ' ' || w.back() == '\t')) w.pop_back();
      while (!w.empty() && (w.front() == ' ' || w.front() == '\t')) w.erase(0, 1);
      if (w.empty() || w.find("\xE3\x80\x80") != std::string::npos) continue;
      ++entries;
      EXPECT_NE(stop.is_stop(w), contains(stop.protected_entries(), w)) << name << ": " << w;
    }
    EXPECT_GT(entries, 700u) << name;
    EXPECT_FALSE(stop.protected_entries().empty()) << name;
  }
}

TEST(StopWordsTest, RemovingProtectedWordsIsExplicit) {
  const StopWords stop = StopWords::load(list("cn_stopwords.txt"), false);
  EXPECT_TRUE(stop.is_stop("不"));
  EXPECT_TRUE(stop.is_stop("很"));
  EXPECT_TRUE(stop.protected_entries().empty());
}

TEST(StopWordsTest, TrimsSkipsEmptyLinesAndAcceptsCrlfAndBom) {
  const StopWords stop = StopWords::from_entries(
      {"\xEF\xBB\xBF的", "  了\r", "", "\t", "\xE3\x80\x80之\xE3\x80\x80", "不"});
  EXPECT_TRUE(stop.is_stop("的"));
  EXPECT_TRUE(stop.is_stop("了"));
  EXPECT_TRUE(stop.is_stop("之"));
  EXPECT_FALSE(stop.is_stop(""));
  EXPECT_FALSE(stop.is_stop("不"));
  EXPECT_EQ(stop.protected_entries(), std::vector<std::string>{"不"});
  EXPECT_EQ(stop.size(), 3u);
}

class StopWordsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        std::filesystem::temp_directory_path() /
        ("zhsenti_stopwords_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& content) { std::ofstream(path_, std::ios::binary) << content; }
  std::filesystem::path path_;
};

TEST_F(StopWordsFileTest, CrlfFileLoads) {
  write("\xEF\xBB\xBF的\r\n了\r\n\r\n很\r\n");
  const StopWords stop = StopWords::load(path_);
  EXPECT_TRUE(stop.is_stop("的"));
  EXPECT_TRUE(stop.is_stop("了"));
  EXPECT_FALSE(stop.is_stop("很"));
  EXPECT_EQ(stop.protected_entries(), std::vector<std::string>{"很"});
}

TEST_F(StopWordsFileTest, InvalidUtf8NamesFileAndLine) {
  write("的\n了\n好\xFF\n");
  try {
    StopWords::load(path_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_EQ(std::string(e.what()), path_.string() + ":3: invalid UTF-8 at byte 3 (0xFF)");
  }
}

TEST_F(StopWordsFileTest, MissingFileIsAnIoError) {
  try {
    StopWords::load(path_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find(path_.string()), std::string::npos);
  }
}

}  // namespace
}  // namespace zhsenti::text
