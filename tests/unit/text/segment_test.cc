// Segmenter behaviour on jieba's real dictionary: known examples from jieba's README, tokens
// as views, whitespace, invalid UTF-8, concurrency and the character mode.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "segment_test_util.h"
#include "zhsenti/text/char_class.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

using testing::cut_joined;
using testing::cut_pos_joined;

TEST(Segmenter, JiebaReadmeExamples) {
  const auto seg = testing::real_segmenter();
  const auto plain = testing::real_segmenter(false);
  // jieba.lcut / jieba.lcut(HMM=False) / jieba.posseg.lcut in python3-jieba 0.42.
  EXPECT_EQ(cut_joined(*seg, "我来到北京清华大学"), "我 来到 北京 清华大学");
  EXPECT_EQ(cut_pos_joined(*seg, "我来到北京清华大学"), "我/r 来到/v 北京/ns 清华大学/nt");
  EXPECT_EQ(cut_joined(*seg, "他来到了网易杭研大厦"), "他 来到 了 网易 杭研 大厦");
  EXPECT_EQ(cut_joined(*plain, "他来到了网易杭研大厦"), "他 来到 了 网易 杭 研 大厦");
  EXPECT_EQ(cut_pos_joined(*seg, "他来到了网易杭研大厦"),
            "他/r 来到/v 了/ul 网易/n 杭/j 研/vn 大厦/n");
  EXPECT_EQ(cut_joined(*seg, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造"),
            "小明 硕士 毕业 于 中国科学院 计算所 ， 后 在 日本京都大学 深造");
  EXPECT_EQ(cut_joined(*plain, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造"),
            "小 明 硕士 毕业 于 中国科学院 计算所 ， 后 在 日本京都大学 深造");
  EXPECT_EQ(cut_pos_joined(*seg, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造"),
            "小明/nr 硕士/n 毕业/n 于/p 中国科学院/nt 计算所/n ，/x 后在/t 日本京都大学/nt 深造/v");
  EXPECT_EQ(seg->info().total, 60101967);
  EXPECT_TRUE(seg->hmm());
  EXPECT_FALSE(plain->hmm());
}

std::string joined_mode(const Segmenter& seg, std::string_view text, CutOptions options) {
  std::vector<std::string_view> tokens;
  seg.cut(text, tokens, options);
  std::string out;
  for (const auto t : tokens) out += fmt::format("[{}]", t);
  return out;
}

TEST(Segmenter, FullAndSearchModesOfJiebasReadme) {
  const auto seg = testing::real_segmenter();
  // jieba.lcut(cut_all=True) / jieba.lcut_for_search in python3-jieba 0.42.
  EXPECT_EQ(joined_mode(*seg, "我来到北京清华大学", {CutMode::kFull, true, false}),
            "[我][来到][北京][清华][清华大学][华大][大学]");
  EXPECT_EQ(joined_mode(*seg, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
                        {CutMode::kSearch, true, false}),
            "[小明][硕士][毕业][于][中国][科学][学院][科学院][中国科学院][计算][计算所][，][后]"
            "[在][日本][京都][大学][日本京都大学][深造]");
  std::vector<TokenSpan> spans;
  seg->tokenize("永和服装饰品有限公司", spans, {CutMode::kSearch, true, false});
  std::string got;
  for (const auto& t : spans) got += fmt::format("({},{},{})", t.word, t.start, t.end);
  EXPECT_EQ(got, "(永和,0,2)(服装,2,4)(饰品,4,6)(有限,6,8)(公司,8,10)(有限公司,6,10)");
}

TEST(Segmenter, KeepSpaceReproducesJiebasRawOutput) {
  const auto seg = testing::real_segmenter();
  const std::string text = "你好 ，。 ！\r\n好的";
  // jieba.lcut(text) and jieba.lcut(text, cut_all=True), empty strings included.
  EXPECT_EQ(joined_mode(*seg, text, {CutMode::kDefault, true, true}),
            "[你好][ ][，][。][ ][！][\r\n][好][的]");
  EXPECT_EQ(joined_mode(*seg, text, {CutMode::kFull, true, true}),
            "[你好][][ ][，。][ ][！][\r\n][][好][的]");
  EXPECT_EQ(joined_mode(*seg, text, {CutMode::kFull, true, false}), "[你好][，。][！][好][的]");
  EXPECT_EQ(joined_mode(*seg, " ", {CutMode::kFull, true, true}), "[][ ][]");
  std::vector<TaggedToken> tagged;
  seg->cut_pos("你好 ，\r\n", tagged, true, true);
  EXPECT_EQ(testing::join(tagged), "你好/l  /x ，/x \r\n/x");
}

TEST(Segmenter, TokensAreViewsAndCoverTheTextButWhitespace) {
  const auto seg = testing::real_segmenter();
  const std::string text =
      "这家酒店\t服务很好，价格 3.5%\r\n便宜！ iPhone6s 😀[哈哈]\u3000\u00a0 ok\xe2\x80\x8b.";
  std::vector<std::string_view> tokens;
  seg->cut(text, tokens);
  std::string joined;
  for (const auto t : tokens) {
    EXPECT_GE(t.data(), text.data());
    EXPECT_LE(t.data() + t.size(), text.data() + text.size());
    EXPECT_FALSE(t.empty());
    joined += t;
  }
  std::string expected;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const auto cp = utf8::decode_one(text, pos);
    if (!cp || !is_py_space(*cp)) expected.append(text, start, pos - start);
  }
  EXPECT_EQ(joined, expected);
}

TEST(Segmenter, EmptyAndWhitespaceOnly) {
  const auto seg = testing::real_segmenter();
  std::vector<std::string_view> tokens{"stale"};
  seg->cut("", tokens);
  EXPECT_TRUE(tokens.empty());
  seg->cut(" \t\r\n\u3000\u2028", tokens);
  EXPECT_TRUE(tokens.empty());
  std::vector<TaggedToken> tagged{{"stale", "x"}};
  seg->cut_pos(" \r\n", tagged);
  EXPECT_TRUE(tagged.empty());
  EXPECT_TRUE(seg->cut("").empty());
}

TEST(Segmenter, InvalidUtf8BytesBecomeTheirOwnTokens) {
  const auto seg = testing::real_segmenter();
  const std::string text = "好\xff\xfe吃\xe4\xb8";  // stray bytes and a truncated sequence
  std::vector<std::string_view> tokens;
  seg->cut(text, tokens);
  std::string joined;
  for (const auto t : tokens) joined += t;
  EXPECT_EQ(joined, text);
  std::vector<TaggedToken> tagged;
  seg->cut_pos(text, tagged);
  joined.clear();
  for (const auto& t : tagged) joined += t.word;
  EXPECT_EQ(joined, text);
}

TEST(Segmenter, LongUnknownRunsAreLinear) {
  const auto seg = testing::real_segmenter();
  std::string text;
  for (int i = 0; i < 20000; ++i)
    utf8::append(text, 0x9F00 + static_cast<char32_t>(i * 7919 % 0xD5));
  std::vector<std::string_view> tokens;
  seg->cut(text, tokens);
  std::size_t bytes = 0;
  for (const auto t : tokens) bytes += t.size();
  EXPECT_EQ(bytes, text.size());
  std::vector<TaggedToken> tagged;
  seg->cut_pos(text.substr(0, 3 * 3000), tagged);
  EXPECT_FALSE(tagged.empty());
}

TEST(Segmenter, ThreadsShareOneSegmenter) {
  const auto seg = testing::real_segmenter();
  const std::vector<std::string> texts = {
      "我来到北京清华大学", "他来到了网易杭研大厦", "房间很大，服务态度也不错，就是早餐一般。",
      "电池不耐用，屏幕还可以", "这本书写得太好了！！！推荐给大家"};
  std::vector<std::string> serial;
  for (const auto& t : texts) serial.push_back(cut_joined(*seg, t) + "|" + cut_pos_joined(*seg, t));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          const std::string got = cut_joined(*seg, texts[i]) + "|" + cut_pos_joined(*seg, texts[i]);
          mismatches[k] += got != serial[i];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(CutChars, OneTokenPerCodePointWithoutWhitespace) {
  std::vector<std::string_view> tokens;
  cut_chars("a b\u3000中😀\r\n文\xff", tokens);
  EXPECT_EQ(testing::join(tokens), "a b 中 😀 文 \xff");
  cut_chars("", tokens);
  EXPECT_TRUE(tokens.empty());
}

}  // namespace
}  // namespace zhsenti::text
