// HTML step: known tags and comments removed, entities decoded once. Expected code points of
// entities are those of Python's html.unescape (checked by hand), which follows HTML5.

#include <gtest/gtest.h>

#include "clean_test_util.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::text {
namespace {

using testing::no_steps;
using testing::with;

std::string html_only(std::string_view s) {
  return Cleaner(with(&CleanOptions::html, true, no_steps())).clean(s);
}

TEST(CleanerHtmlTest, KnownTagsGoBlockTagsLeaveASpace) {
  EXPECT_EQ(html_only("<p>很好</p><br/>推荐<b>大家</b>买"), " 很好  推荐大家买");
  EXPECT_EQ(Cleaner().clean("<p>很好</p><br/>推荐<b>大家</b>买"), "很好 推荐大家买");
  EXPECT_EQ(html_only("<a href=\"http://x.com\" target=_blank>链接</a>文字"), "链接文字");
  EXPECT_EQ(html_only("<DIV CLASS='x'>大写</Div>"), " 大写 ");
  EXPECT_EQ(html_only("<!DOCTYPE html><?xml version=\"1.0\"?>正文"), "正文");
}

TEST(CleanerHtmlTest, AngleBracketsThatAreNotTagsStay) {
  // Book titles as ChnSentiCorp reviews write them, and comparisons.
  for (const std::string_view s :
       {"<沉思录>很好看", "<<色戒>也不错", "<TheCuriousCaseofBenjaminButton>",
        "<Web2.0与民智的整合>", "<dC;SP4rI(8I>", "1<2 且 3>2", "<3", "<b 没有闭合",
        "<adata-url=\"\"http:另类"}) {
    EXPECT_EQ(html_only(s), s);
  }
}

TEST(CleanerHtmlTest, CommentsAndScriptsGoWithTheirContent) {
  EXPECT_EQ(html_only("好<!-- 广告 <b>x</b> -->评"), "好评");
  EXPECT_EQ(html_only("好<!-- 没有结束"), "好<!-- 没有结束");
  EXPECT_EQ(html_only("前<script type=\"text/javascript\">var a = 1 < 2;</script>后"), "前后");
  EXPECT_EQ(html_only("前<STYLE>p { color: red }</STYLE>后"), "前后");
  EXPECT_EQ(html_only("前<script>没有结束"), "前没有结束");
}

TEST(CleanerHtmlTest, EntitiesDecode) {
  EXPECT_EQ(html_only("威廉&#183;欧奈尔"), "威廉\u00B7欧奈尔");
  EXPECT_EQ(
      html_only("&#32431;&#20013;&#26041;&#31649;&#29702;&#65292;&#38750;&#24120;&#26834;&#65281;"),
      "纯中方管理，非常棒！");
  EXPECT_EQ(html_only("a&amp;b &lt;&gt; &quot;&apos; &hellip;&mdash;&ldquo;&rdquo;"),
            "a&b <> \"' \u2026\u2014\u201C\u201D");
  EXPECT_EQ(html_only("&#x4e2d;&#X4E2D;&#20013 &copy;&yen;&middot;&eacute;&thetasym;"),
            "中中中 \u00A9\u00A5\u00B7\u00E9\u03D1");
  EXPECT_EQ(html_only("&nbsp;x"), "\u00A0x");
}

TEST(CleanerHtmlTest, NumericEdgeCasesFollowHtml5) {
  EXPECT_EQ(html_only("&#150;"), "\u2013");  // cp1252 en dash
  EXPECT_EQ(html_only("&#0;|&#xD800;|&#1114112;|&#99999999999;"), "\uFFFD|\uFFFD|\uFFFD|\uFFFD");
  EXPECT_EQ(html_only("a&#10;b&#9;c&#13;d"), "a b c d");  // a decoded entity never splits a line
  EXPECT_EQ(html_only("a&#1;b&#129;c"), "abc");
}

TEST(CleanerHtmlTest, TextThatOnlyLooksLikeAnEntityStays) {
  for (const std::string_view s :
       {"&ID &me AT&T &copy2 &#; &#x; &", "&Day14", "&GoodNigh", "A&ampB", "&thetasymx;"}) {
    EXPECT_EQ(html_only(s), s);
  }
  // The five names pages leave unterminated decode when a non-name character follows.
  EXPECT_EQ(html_only("A &amp B &lt C &nbsp好"), "A & B < C \u00A0好");
}

TEST(CleanerHtmlTest, EntitiesDecodeOnceIntoText) {
  EXPECT_EQ(html_only("&lt;b&gt;粗&lt;/b&gt;"), "<b>粗</b>");
  EXPECT_EQ(html_only("&amp;lt;"), "&lt;");
}

TEST(CleanerHtmlTest, DecodedCharactersGoThroughTheLaterSteps) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean(
                "&#32431;&#20013;&#26041;&#31649;&#29702;&#65292;&#38750;&#24120;&#26834;&#65281;"),
            "纯中方管理,非常棒!");
  EXPECT_EQ(cleaner.clean("&nbsp;&nbsp;无需隐晦，体会着&#160;&#160;压抑"), "无需隐晦,体会着 压抑");
  EXPECT_EQ(cleaner.clean("&#65312;张三 你好"), "你好");  // ＠ → @ → a mention
}

TEST(CleanerHtmlTest, OffLeavesMarkupAndEntities) {
  const Cleaner cleaner(with(&CleanOptions::html, false));
  EXPECT_EQ(cleaner.clean("<p>好</p>威廉&#183;欧奈尔"), "<p>好</p>威廉&#183;欧奈尔");
}

}  // namespace
}  // namespace zhsenti::text
