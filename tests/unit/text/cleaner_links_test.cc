// URLs, e-mail addresses, @mentions and Weibo repost chains, on real review and post text
// (ChnSentiCorp and SMP2020-EWECT usual_train).

#include <gtest/gtest.h>

#include "clean_test_util.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::text {
namespace {

using testing::with;

TEST(CleanerLinksTest, UrlsGoTrailingSentencePunctuationStays) {
  const Cleaner cleaner;
  EXPECT_EQ(
      cleaner.clean("然后大家可以参考http://wuyilala.com/index.php/2009/06/09/14/08/03/，注意"),
      "然后大家可以参考,注意");
  EXPECT_EQ(
      cleaner.clean("天涯的这篇了吧http://cache.tianya.cn/publicforum/content/develop/1/140524."),
      "天涯的这篇了吧.");
  EXPECT_EQ(cleaner.clean("交流切磋。www.smallstonesoft.com"), "交流切磋。");
  EXPECT_EQ(cleaner.clean("装xp系统参考http://nbbbs.zol.com.cn/36/32108_358696.html 4芯电池"),
            "装xp系统参考 4芯电池");
  EXPECT_EQ(cleaner.clean("HTTPS://Example.COM/x?a=1&b=2 好"), "好");
  EXPECT_EQ(cleaner.clean("(详见http://x.com/a)"), "(详见)");
  EXPECT_EQ(cleaner.clean("http://en.wikipedia.org/wiki/Foo_(bar) 好"), "好");
  EXPECT_EQ(cleaner.clean("ftp://ftp.x.org/pub 好"), "好");
}

TEST(CleanerLinksTest, WeiboShortLinks) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("但更可怕的是无知引起的恐慌//t.cn/RceoAGq"),
            "但更可怕的是无知引起的恐慌");
  EXPECT_EQ(cleaner.clean("转发 t.cn/RceoAGq 哈"), "转发 哈");
  EXPECT_EQ(cleaner.clean("太恐怖了http://t.cn/zOkd2Xk[泪]"), "太恐怖了[泪]");
  EXPECT_EQ(cleaner.clean("at.cn/x 和 awww.x.com"), "at.cn/x 和 awww.x.com");  // glued to a word
}

TEST(CleanerLinksTest, TextThatIsNoUrlStays) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("http:另类恐怖主义"), "http:另类恐怖主义");
  EXPECT_EQ(cleaner.clean("www. 和 http:// 后面没有地址"), "www. 和 http:// 后面没有地址");
}

TEST(CleanerLinksTest, UrlsOff) {
  const Cleaner cleaner(with(&CleanOptions::urls, false));
  EXPECT_EQ(cleaner.clean("参考http://x.com/a//b 好"), "参考http://x.com/a//b 好");
  EXPECT_EQ(cleaner.clean("恐慌//t.cn/RceoAGq"), "恐慌//t.cn/RceoAGq");
}

TEST(CleanerLinksTest, EmailAddresses) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("联系我abc.def@qq.com或者123456@163.com谢谢"), "联系我或者谢谢");
  EXPECT_EQ(cleaner.clean("x@y.c0m 和 a@b"), "x@y.c0m 和 a@b");
  // With addresses kept, an address is not mistaken for a mention either.
  EXPECT_EQ(Cleaner(with(&CleanOptions::emails, false)).clean("联系我abc.def@qq.com谢谢"),
            "联系我abc.def@qq.com谢谢");
}

TEST(CleanerLinksTest, MentionsFollowWeiboNicknameRules) {
  const Cleaner cleaner;
  EXPECT_EQ(cleaner.clean("@邓超@邓超听说@你会点赞?是真的吗?评论"), "?是真的吗?评论");
  EXPECT_EQ(cleaner.clean("回复@张三：谢谢"), "回复谢谢");
  EXPECT_EQ(cleaner.clean("@Roxanne李yanjin 好看"), "好看");
  EXPECT_EQ(cleaner.clean("＠山东卫视 加油"), "加油");
  // A nickname is at most 30 units, a CJK character counting two: 15 characters go.
  EXPECT_EQ(cleaner.clean("@一二三四五六七八九十一二三四五六七八九十"), "六七八九十");
  EXPECT_EQ(cleaner.clean("@ 你好"), "@ 你好");
}

TEST(CleanerLinksTest, MentionsOff) {
  CleanOptions o = with(&CleanOptions::mentions, false);
  EXPECT_EQ(Cleaner(o).clean("@张三 你好"), "@张三 你好");
  o.fullwidth = false;
  EXPECT_EQ(Cleaner(o).clean("＠张三 你好"), "＠张三 你好");
  EXPECT_EQ(Cleaner(with(&CleanOptions::fullwidth, false)).clean("＠张三：你好"), "你好");
}

TEST(CleanerLinksTest, RepostChainsKeepThePostersOwnText) {
  const Cleaner cleaner(with(&CleanOptions::repost_chains, true));
  EXPECT_EQ(cleaner.clean(
                "教育已经出了问题拉，现在要赶快扭转[给力]//@李百瑶:同意//@郝聚民:在中国林林总总的"
                "问题中,我最担心的是教育."),
            "教育已经出了问题拉,现在要赶快扭转[给力]");
  EXPECT_EQ(
      cleaner.clean(
          "回复@寂落乌托邦:交友也是校园文化之一，但谈恋爱影响学业的话就值得担心了。//@寂落乌托邦:"
          "这个真可以。"),
      "回复交友也是校园文化之一,但谈恋爱影响学业的话就值得担心了。");
  EXPECT_EQ(cleaner.clean("收走？狗狗的后果不堪设想[抓狂]//@西安"),
            "收走?狗狗的后果不堪设想[抓狂]");
}

TEST(CleanerLinksTest, RepostWithoutOwnTextKeepsTheFirstComment) {
  const Cleaner cleaner(with(&CleanOptions::repost_chains, true));
  EXPECT_EQ(cleaner.clean("//@邓飞：男同学们，设想一下//@某人:转发"), "男同学们,设想一下");
  EXPECT_EQ(cleaner.clean("  //@A:  //@B:原文"), "原文");
  EXPECT_EQ(cleaner.clean("@张三 //@李四:原文"), "原文");  // own text was only a mention
}

TEST(CleanerLinksTest, RepostChainsOffByDefault) {
  // Mentions still on: the "//@user:" markers go, every comment stays.
  EXPECT_EQ(Cleaner().clean("好//@A:真的//@B：原文"), "好真的原文");
  CleanOptions both_off = with(&CleanOptions::repost_chains, false);
  both_off.mentions = false;
  EXPECT_EQ(Cleaner(both_off).clean("好//@A:真的"), "好//@A:真的");
  // Chains on, mentions off: the chain still goes.
  EXPECT_EQ(Cleaner(with(&CleanOptions::mentions, false, with(&CleanOptions::repost_chains, true)))
                .clean("好//@A:真的"),
            "好");
}

TEST(CleanerLinksTest, RemovalsThatJoinTextAreRepeated) {
  const Cleaner drop(with(&CleanOptions::emoji, EmojiMode::kDrop));
  EXPECT_EQ(drop.clean("www.[哈哈]baidu.com 好"), "好");
  EXPECT_EQ(drop.clean("@[哈哈]张三 你好"), "你好");
  EXPECT_EQ(Cleaner().clean("http:@张三//x.com 好"), "好");
  EXPECT_EQ(Cleaner().clean("www\u200B.example.com 好"), "好");  // invisible characters go first
}

}  // namespace
}  // namespace zhsenti::text
