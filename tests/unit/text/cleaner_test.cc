// Cleaner steps other than HTML and links (which have their own files), and properties of the
// whole pipeline on the real data sets.

#include "zhsenti/text/cleaner.h"

#include <gtest/gtest.h>

#include "clean_test_data.h"
#include "clean_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/emoji_code.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

using testing::no_steps;
using testing::with;

TEST(CleanerTest, InvalidUtf8IsAnErrorNamingTheByte) {
  const Cleaner cleaner;
  try {
    cleaner.clean("好\xFF坏");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_STREQ(e.what(), "invalid UTF-8 at byte 3 (0xFF)");
  }
  EXPECT_THROW(cleaner.clean("\xED\xA0\x80"), Error);  // a UTF-16 surrogate
  EXPECT_THROW(Cleaner(no_steps()).clean("ok\xC0\xAF"), Error);
}

TEST(CleanerTest, InvalidUtf8CanBeReplaced) {
  const Cleaner cleaner(with(&CleanOptions::invalid_utf8, InvalidUtf8::kReplace));
  EXPECT_EQ(cleaner.clean("好\xFF坏"), "好\uFFFD坏");
  EXPECT_EQ(cleaner.clean("好\xE4\xB8"), "好\uFFFD\uFFFD");  // a truncated sequence, byte by byte
  EXPECT_EQ(cleaner.clean("這\xFF個"), "这\uFFFD个");        // later steps still run
}

TEST(CleanerTest, FullWidthFormsFold) {
  EXPECT_EQ(Cleaner().clean("５星酒店，ＯＫ！　好"), "5星酒店,OK! 好");
  EXPECT_EQ(Cleaner().clean("ｈｔｔｐ：／／ｔ．ｃｎ／ａｂｃ 好"), "好");
  // Off: U+3000 is still whitespace; the forms stay.
  EXPECT_EQ(Cleaner(with(&CleanOptions::fullwidth, false)).clean("５星酒店，ＯＫ！　好"),
            "５星酒店，ＯＫ！ 好");
  // Only U+FF01–FF5E fold: "。", "、" and "《》" are not full-width ASCII.
  EXPECT_EQ(Cleaner().clean("好。坏、《书》"), "好。坏、《书》");
}

TEST(CleanerTest, PunctuationRunsSquash) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("太好了！！！真的~~~~。。。"), "太好了!真的~。");
  EXPECT_EQ(cleaner.clean("运行效果都不错啊。~~~~~~~~~~"), "运行效果都不错啊。~");
  EXPECT_EQ(cleaner.clean("？！？！"), "?!?!");  // alternating marks are no run
  // The Chinese ellipsis and dash are two characters wide.
  EXPECT_EQ(cleaner.clean("等了好久……………唉…——————"), "等了好久……唉…——");
  // '/', '#' and '@' build links, topic pairs and mentions.
  EXPECT_EQ(Cleaner(with(&CleanOptions::urls, false)).clean("见http://x.com/a//b"),
            "见http://x.com/a//b");
  EXPECT_EQ(cleaner.clean("#话题一##话题二#"), "#话题一##话题二#");
  EXPECT_EQ(Cleaner(with(&CleanOptions::squash_punct, false)).clean("好！！！~~"), "好!!!~~");
}

TEST(CleanerTest, SquashingSeesThroughRemovals) {
  const Cleaner drop(with(&CleanOptions::emoji, EmojiMode::kDrop));
  EXPECT_EQ(drop.clean("!![哈哈]!!"), "!");
  EXPECT_EQ(Cleaner().clean("!![哈哈]!!"), "![哈哈]!");
  EXPECT_EQ(Cleaner().clean("好！@张三！"), "好!");
  EXPECT_EQ(drop.clean("好[哈]！[哈]！"), "好!");  // dropping codes makes a run
}

TEST(CleanerTest, WhitespaceCollapsesAndTrims) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("  前台\t\t楼层服务员　都不错\r\n "), "前台 楼层服务员 都不错");
  EXPECT_EQ(cleaner.clean("a\u00A0\u2003\u2028b"), "a b");
  EXPECT_EQ(cleaner.clean("好\u200B看\uFEFF\u200E\x01"), "好看");  // invisible characters go
  EXPECT_EQ(cleaner.clean(" \t\u3000"), "");
  const Cleaner off(with(&CleanOptions::whitespace, false));
  EXPECT_EQ(off.clean("  a  b \u200B"), "  a  b \u200B");
  EXPECT_EQ(off.clean("前　台"), "前 台");  // full-width folding still maps U+3000
}

TEST(CleanerTest, LowercaseIsOptInAndAsciiOnly) {
  EXPECT_EQ(Cleaner().clean("ThinkPad X200 很好"), "ThinkPad X200 很好");
  EXPECT_EQ(Cleaner(with(&CleanOptions::lowercase, true)).clean("ThinkPad X200 很好 Ä"),
            "thinkpad x200 很好 Ä");
  EXPECT_EQ(Cleaner(with(&CleanOptions::lowercase, true, no_steps())).clean("A  B"), "a  b");
}

TEST(CleanerTest, EmojiCodeLength) {
  EXPECT_EQ(emoji_code_length("[哈哈]", 0), 8u);
  EXPECT_EQ(emoji_code_length("好[doge]", 3), 6u);
  EXPECT_EQ(emoji_code_length("[笑cry]", 0), 8u);
  EXPECT_EQ(emoji_code_length("[一二三四五六七八]", 0), 26u);
  for (const std::string_view s : {"[一二三四五六七八九]", "[1]", "[2019]", "[哈 哈]", "[]",
                                   "[哈哈", "【哈哈】", "[哈,哈]", "[\xFF]"}) {
    EXPECT_EQ(emoji_code_length(s, 0), 0u) << s;
  }
  EXPECT_EQ(emoji_code_length("[哈哈]", 1), 0u);
  EXPECT_EQ(emoji_code_length("[哈哈]", 99), 0u);
}

TEST(CleanerTest, EmojiCodesAreKeptOrDropped) {
  const std::string post = "感觉楼道里都醒了[泪流满面][泪流满面][泪流满面]晃那几下[doge]";
  EXPECT_EQ(Cleaner().clean(post), post);
  const Cleaner drop(with(&CleanOptions::emoji, EmojiMode::kDrop));
  EXPECT_EQ(drop.clean(post), "感觉楼道里都醒了晃那几下");
  EXPECT_EQ(drop.clean("[[哈]哈]好[1]"), "好[1]");
  EXPECT_EQ(drop.clean("［哈哈］好"), "好");  // full-width brackets fold first
}

TEST(CleanerTest, TopicsStay) {
  EXPECT_EQ(Cleaner().clean("#老范家的日常#妈呀！刚刚台湾地震了，大半夜的吓死了。。。"),
            "#老范家的日常#妈呀!刚刚台湾地震了,大半夜的吓死了。");
}

TEST(CleanerTest, TraditionalToSimplified) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("這個酒店很讚"), "这个酒店很赞");
  EXPECT_EQ(cleaner.clean("我喜歡這家酒店,很多年前住過,後來又住過其他的酒店,感覺還是這家好."),
            "我喜欢这家酒店,很多年前住过,后来又住过其他的酒店,感觉还是这家好.");
  // Phrases whose characters do not change alone.
  EXPECT_EQ(cleaner.clean("他反覆思量，一目瞭然"), "他反复思量,一目了然");
  EXPECT_EQ(Cleaner(with(&CleanOptions::t2s, false)).clean("這個酒店很讚"), "這個酒店很讚");
  // OpenCC stops at NUL; the pieces around one still convert.
  EXPECT_EQ(Cleaner(with(&CleanOptions::whitespace, false)).clean(std::string("這\0個", 7)),
            std::string("这\0个", 7));
  EXPECT_EQ(cleaner.clean(std::string("這\0個", 7)), "这个");
}

TEST(CleanerTest, EverythingOffIsTheIdentityOnValidText) {
  const Cleaner cleaner(no_steps());
  const std::string s = "  <p>這個</p> &amp; http://t.cn/x @张三 [哈哈] ！！ ＡＢ\u200B ";
  EXPECT_EQ(cleaner.clean(s), s);
}

TEST(CleanerTest, AppendKeepsWhatIsThere) {
  std::string out = "前缀|";
  Cleaner().clean_append("  這個！！ ", out);
  EXPECT_EQ(out, "前缀|这个!");
}

TEST(CleanerTest, ResultsAreValidUtf8AndNeverLonger) {
  const Cleaner cleaner;
  for (const auto& split : {"train", "dev", "test"}) {
    for (const std::string& text : testing::chnsenticorp_texts(split)) {
      const std::string out = cleaner.clean(text);
      ASSERT_FALSE(utf8::find_invalid(out)) << text;
      // t2s can lengthen (rarely); every other step only shortens or keeps length.
      EXPECT_LE(out.size(), text.size() + text.size() / 2) << text;
    }
  }
}

// Cleaning twice changes nothing with t2s off when the result holds no '<' or '&' (cleaner.h
// explains both exceptions).
void expect_idempotent(const CleanOptions& options, const std::vector<std::string>& texts) {
  const Cleaner cleaner(options);
  std::size_t checked = 0;
  for (const std::string& text : texts) {
    const std::string once = cleaner.clean(text);
    if (once.find_first_of("<&") != std::string::npos) continue;
    ++checked;
    EXPECT_EQ(cleaner.clean(once), once) << text;
  }
  EXPECT_GT(checked, texts.size() * 9 / 10);
}

TEST(CleanerTest, IdempotentOnRealData) {
  std::vector<std::string> texts = testing::chnsenticorp_texts("train");
  for (const std::string& line : testing::data_lines("smp2020_ewect/usual_train.csv")) {
    texts.push_back(line);
  }
  CleanOptions o = with(&CleanOptions::t2s, false);
  expect_idempotent(o, texts);
  o.emoji = EmojiMode::kDrop;
  o.lowercase = true;
  o.invalid_utf8 = InvalidUtf8::kReplace;
  expect_idempotent(o, texts);
}

}  // namespace
}  // namespace zhsenti::text
