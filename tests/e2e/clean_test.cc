// zhsenti clean as a user runs it: pipes and files, flags, errors, threads.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CleanCli, StdinToStdoutOneLinePerLine) {
  const auto r = run_zhsenti({"clean"},
                             "這個酒店很讚！！！\n<p>好</p>\n\n@张三 你好 http://t.cn/abc\n"
                             "教育出了问题//@李百瑶:同意\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "这个酒店很赞!\n好\n\n你好\n教育出了问题同意\n");
}

TEST(CleanCli, FileWithBomCrlfAndNoFinalNewline) {
  const TempDir dir;
  const std::string path = dir.write("in.txt", "\xEF\xBB\xBF第一行，好\r\n\r\n第二行");
  const auto r = run_zhsenti({"clean", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "第一行,好\n\n第二行\n");
}

TEST(CleanCli, FlagsTurnStepsOffAndOn) {
  const std::string in = "這個ＯＫ！！！[哈哈]  <b>Good</b>\n";
  EXPECT_EQ(run_zhsenti({"clean"}, in).out, "这个OK![哈哈] Good\n");
  EXPECT_EQ(run_zhsenti({"clean", "--no-t2s", "--no-fullwidth"}, in).out,
            "這個ＯＫ！[哈哈] Good\n");
  EXPECT_EQ(run_zhsenti({"clean", "--emoji", "drop", "--lowercase"}, in).out, "这个ok! good\n");
  EXPECT_EQ(run_zhsenti({"clean", "--no-html", "--no-squash-punct", "--no-whitespace"}, in).out,
            "这个OK!!![哈哈]  <b>Good</b>\n");
  EXPECT_EQ(run_zhsenti({"clean", "--no-urls", "--no-emails", "--no-mentions"},
                        "@张三 a@b.com http://x.com\n")
                .out,
            "@张三 a@b.com http://x.com\n");
  EXPECT_EQ(run_zhsenti({"clean"}, "好//@A:真的\n").out, "好真的\n");
  EXPECT_EQ(run_zhsenti({"clean", "--repost-chains"}, "好//@A:真的\n").out, "好\n");
}

TEST(CleanCli, InvalidUtf8NamesLineAndByte) {
  const auto r = run_zhsenti({"clean"}, "好\n坏\xFF了\n不会到这里\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("zhsenti: error: <stdin>:2: invalid UTF-8 at byte 3 (0xFF)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "好\n");  // the lines before the bad one

  const TempDir dir;
  const std::string path = dir.write("bad.txt", "一\n二\n三\xC0\xAF\n");
  const auto f = run_zhsenti({"clean", path});
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_NE(f.err.find(path + ":3: invalid UTF-8 at byte 3 (0xC0)"), std::string::npos) << f.err;
}

TEST(CleanCli, InvalidUtf8CanBeReplaced) {
  const auto r = run_zhsenti({"clean", "--invalid-utf8", "replace"}, "好\n坏\xFF了\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "好\n坏\uFFFD了\n");
}

TEST(CleanCli, ThreadsDoNotChangeTheOutput) {
  // Two copies of ChnSentiCorp train (6 MB): more than one batch, many tasks.
  std::ifstream file(shared_data_dir() + "/chnsenticorp/train.tsv", std::ios::binary);
  ASSERT_TRUE(file) << shared_data_dir();
  std::stringstream ss;
  ss << file.rdbuf();
  const std::string input = ss.str() + ss.str();
  const TempDir dir;
  const std::string path = dir.write("train2.tsv", input);
  const auto one = run_zhsenti({"clean", "--threads", "1", path});
  const auto four = run_zhsenti({"clean", "--threads", "4", path});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.err;
  EXPECT_EQ(count_lines(one.out), count_lines(input));
  EXPECT_TRUE(one.out == four.out);
  EXPECT_NE(one.out.find("我喜欢这家酒店"), std::string::npos);  // a traditional review, converted
}

TEST(CleanCli, OutputFileAndErrors) {
  const TempDir dir;
  const std::string out = dir.file("out.txt");
  const auto r = run_zhsenti({"clean", "-o", out}, "好！！\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream written(out);
  std::stringstream ss;
  ss << written.rdbuf();
  EXPECT_EQ(ss.str(), "好!\n");

  const auto missing = run_zhsenti({"clean", dir.file("missing.txt")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("missing.txt"), std::string::npos) << missing.err;
  EXPECT_GE(run_zhsenti({"clean", "--emoji", "hide"}, "x\n").exit_code, 100);
  EXPECT_GE(run_zhsenti({"clean", "--invalid-utf8", "skip"}, "x\n").exit_code, 100);
}

}  // namespace
}  // namespace zhsenti::testing
