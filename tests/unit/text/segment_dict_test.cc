// jieba's dictionary semantics: user-dictionary lines (re_userdict), gen_pfdict's prefixes
// with frequency 0, add_word, suggest_freq and the no-HMM cut it relies on. Expected values
// were checked against jieba 0.42 (python3-jieba) on the same dictionaries.

#include <gtest/gtest.h>

#include "segment_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/dict.h"

namespace zhsenti::text {
namespace {

using testing::ScratchDir;
using testing::test_data;

struct LineCase {
  std::string line;
  std::string word;
  std::optional<std::int64_t> freq;
  std::string tag;
};

TEST(UserDictLine, SplitsLikeJiebasRegex) {
  // re.compile('^(.+?)( [0-9]+)?( [a-z]+)?$').match(line).groups() in Python.
  const std::vector<LineCase> cases = {
      {"云计算 5 n", "云计算", 5, "n"},
      {"凱特琳 nz", "凱特琳", std::nullopt, "nz"},
      {"台中", "台中", std::nullopt, ""},
      {"New York 10", "New York", 10, ""},
      {"foo bar", "foo", std::nullopt, "bar"},
      {"word 10 20", "word 10", 20, ""},
      {"a 1 b c", "a 1 b", std::nullopt, "c"},
      {"x 12ab", "x 12ab", std::nullopt, ""},
      {"词 007", "词", 7, ""},
      {"A B", "A B", std::nullopt, ""},
      {"ab 5 N", "ab 5 N", std::nullopt, ""},
      {"  石墨烯 3 n \r", "石墨烯", 3, "n"},
      {"\xEF\xBB\xBF云计算 5", "云计算", 5, ""},
      {"\xE3\x80\x80词", "\xE3\x80\x80词", std::nullopt, ""},  // U+3000 is not ASCII space
  };
  for (const auto& c : cases) {
    const auto parsed = parse_user_dict_line(c.line, "u.txt", 1);
    ASSERT_TRUE(parsed.has_value()) << c.line;
    EXPECT_EQ(parsed->word, c.word) << c.line;
    EXPECT_EQ(parsed->freq, c.freq) << c.line;
    EXPECT_EQ(parsed->tag, c.tag) << c.line;
  }
}

TEST(UserDictLine, BlankAndBomOnlyLinesAreSkipped) {
  EXPECT_FALSE(parse_user_dict_line("", "u.txt", 1));
  EXPECT_FALSE(parse_user_dict_line(" \t\r", "u.txt", 1));
  EXPECT_FALSE(parse_user_dict_line("\xEF\xBB\xBF ", "u.txt", 1));
}

TEST(UserDictLine, MalformedLinesNameFileAndLine) {
  auto message = [](std::string_view line) {
    try {
      parse_user_dict_line(line, "my/user.txt", 7);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kParse);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("词\t5").find("my/user.txt:7:"), std::string::npos);
  EXPECT_NE(message("词\t5").find("tab"), std::string::npos);
  EXPECT_NE(message("词 \xFF").find("my/user.txt:7: invalid UTF-8"), std::string::npos);
  EXPECT_NE(message("词 99999999999999999999").find("above the limit"), std::string::npos);
}

TEST(FreqTable, MainDictionaryHasWordsAndZeroPrefixes) {
  FreqTable t;
  t.load_main_dict(test_data("tiny_dict.txt"));
  // jieba.Tokenizer('tiny_dict.txt'): total 8, FREQ has every prefix.
  EXPECT_EQ(t.total(), 8);
  EXPECT_EQ(t.entries().size(), 8u);
  EXPECT_EQ(t.freq("甲乙"), 1);
  EXPECT_EQ(t.freq("丁戊"), 0);
  EXPECT_EQ(t.freq("丁"), 0);
  EXPECT_EQ(t.freq("戊"), std::nullopt);
  EXPECT_EQ(t.tags().at("乙丙"), "nz");
  EXPECT_EQ(t.tags().at("丁"), "m");
}

TEST(FreqTable, DuplicateWordsKeepTheLastFrequencyButCountBoth) {
  ScratchDir dir;
  FreqTable t;
  t.load_main_dict(dir.write("d.txt", "甲 1 n\n甲 2 v\n"));
  EXPECT_EQ(t.freq("甲"), 2);
  EXPECT_EQ(t.total(), 3);
  EXPECT_EQ(t.tags().at("甲"), "v");
}

TEST(FreqTable, MalformedMainDictionaryLinesNameTheLine) {
  ScratchDir dir;
  for (const std::string bad :
       {"甲 1 n\n乙\n", "甲 1 n\n乙 x n\n", "甲 1 n\n\n", "甲 1 n\n乙 -3 n\n"}) {
    FreqTable t;
    try {
      t.load_main_dict(dir.write("d.txt", bad));
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("d.txt:2:"), std::string::npos) << e.what();
    }
  }
}

TEST(FreqTable, CutNoHmmBreaksTiesTowardsTheLongerWord) {
  FreqTable t;
  t.load_main_dict(test_data("tiny_dict.txt"));
  // 甲|乙丙 and 甲乙|丙 score exactly the same; jieba's max() over (prob, x) takes the larger x.
  EXPECT_EQ(t.cut_no_hmm("甲乙丙"), (std::vector<std::string>{"甲乙", "丙"}));
  EXPECT_EQ(t.cut_no_hmm("甲乙丙甲乙"), (std::vector<std::string>{"甲乙", "丙", "甲乙"}));
  // 丁 and 丁戊 are prefixes with frequency 0: not words, but the walk goes through them.
  EXPECT_EQ(t.cut_no_hmm("丁戊己丁戊"), (std::vector<std::string>{"丁戊己", "丁", "戊"}));
  // Without the HMM, runs of single ASCII letters and digits are glued.
  EXPECT_EQ(t.cut_no_hmm("ab丁c1"), (std::vector<std::string>{"ab", "丁", "c1"}));
  // Whitespace tokens stay (suggest_freq multiplies over them too).
  EXPECT_EQ(t.cut_no_hmm("a b\r\nc"), (std::vector<std::string>{"a", " ", "b", "\r\n", "c"}));
}

TEST(FreqTable, SuggestFreqMatchesJieba) {
  FreqTable t;
  t.load_main_dict(test_data("tiny_dict.txt"));
  EXPECT_EQ(t.suggest_freq("甲乙丙"), 1);
  EXPECT_EQ(t.suggest_freq("丙甲"), 1);
  EXPECT_EQ(t.suggest_freq("庚"), 2);
  EXPECT_EQ(t.suggest_freq("丁戊"), 1);  // FREQ['丁'] == 0 makes the product 0
  EXPECT_EQ(t.suggest_freq("a b"), 1);
}

TEST(FreqTable, AddWordAddsPrefixesTotalAndForceSplit) {
  FreqTable t;
  t.load_main_dict(test_data("tiny_dict.txt"));
  t.add_word("庚辛壬", 4, "nr");
  EXPECT_EQ(t.total(), 12);
  EXPECT_EQ(t.freq("庚辛"), 0);
  EXPECT_EQ(t.freq("庚辛壬"), 4);
  EXPECT_EQ(t.tags().at("庚辛壬"), "nr");
  t.add_word("甲乙", 0, "");
  EXPECT_EQ(t.freq("甲乙"), 0);
  EXPECT_TRUE(t.force_split().contains("甲乙"));
  EXPECT_EQ(t.tags().at("甲乙"), "n");  // no tag given: the dictionary's stays
  t.add_word("癸", std::nullopt, "");
  EXPECT_EQ(t.freq("癸"), 2);  // suggest_freq: int(1/12 * 12) + 1
}

TEST(FreqTable, RealDictionaryMatchesJiebaTotals) {
  FreqTable t;
  t.load_main_dict(testing::jieba_dir() / "dict.txt");
  // jieba.dt.total after initialize(); dict.txt lists one word twice, both count.
  EXPECT_EQ(t.total(), 60101967);
  t.load_user_dict(test_data("user_dict.txt"));
  // jieba.load_userdict(user_dict.txt), then jieba.dt.total / FREQ / suggest_freq.
  EXPECT_EQ(t.total(), 60122060);
  EXPECT_EQ(t.freq("凱特琳"), 1);
  EXPECT_EQ(t.freq("台中"), 69);
  EXPECT_EQ(t.freq("石墨烯"), 1);
  EXPECT_EQ(t.freq("自定义词"), 4);
  EXPECT_EQ(t.freq("New York"), 10);
  EXPECT_EQ(t.freq("好评如潮"), 0);
  EXPECT_TRUE(t.force_split().contains("好评如潮"));
  EXPECT_EQ(t.tags().at("石墨烯"), "tech");
}

}  // namespace
}  // namespace zhsenti::text
