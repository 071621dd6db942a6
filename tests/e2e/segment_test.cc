// zhsenti segment as a user runs it: modes, POS, HMM switch, user dictionaries, stop words,
// line order under threads, and the errors a user can cause (bad UTF-8, missing files).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

// The dictionary image cache the segmenter tests share (built once, not once per test).
std::string cache_dir() {
  return (std::filesystem::temp_directory_path() /
          ("zhsenti-seg-test-cache-" + std::to_string(::getuid())))
      .string();
}

RunResult segment(std::vector<std::string> args, const std::string& input = "",
                  const std::string& cache = cache_dir()) {
  args.insert(args.begin(), {"--quiet", "segment", "--cache-dir", cache});
  return run_zhsenti(args, input);
}

// Expected lines are jieba 0.42's output (tools/jieba_oracle.py with the same flags).
TEST(Segment, WordsByDefault) {
  const auto r = segment({}, "我来到北京清华大学\n他来到了网易杭研大厦\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "我 来到 北京 清华大学\n他 来到 了 网易 杭研 大厦\n");
}

TEST(Segment, PosAndNoHmm) {
  auto r = segment({"--pos"}, "他来到了网易杭研大厦\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "他/r 来到/v 了/ul 网易/n 杭/j 研/vn 大厦/n\n");
  r = segment({"--no-hmm"}, "他来到了网易杭研大厦\n");
  EXPECT_EQ(r.out, "他 来到 了 网易 杭 研 大厦\n");
  r = segment({"--pos", "--no-hmm"}, "iPhone6s很好用\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "iPhone6s/eng 很/zg 好/a 用/p\n");
}

TEST(Segment, CharacterMode) {
  const auto r = segment({"--mode", "char"}, "好 吃😀\r\nab\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "好 吃 😀\na b\n");
  const auto bad = segment({"--mode", "char", "--pos"}, "好\n");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--pos"), std::string::npos) << bad.err;
}

TEST(Segment, LinesKeepTheirPlaceEmptyOnesIncluded) {
  const auto r = segment({}, "\n好\r\n\n  \n最后没有换行");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\n好\n\n\n最后 没有 换行\n");
}

TEST(Segment, UserDictionaries) {
  TempDir dir;  // also the cache folder: an image per temporary user dictionary stays here
  const std::string user = dir.write("user.txt", "杭研大厦 50 nt\n来到了 0\n");
  auto r = segment({"--user-dict", user, "--pos"}, "他来到了网易杭研大厦\n", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "他/r 来到/v 了/ul 网易/n 杭研大厦/nt\n");
  const std::string bad = dir.write("bad.txt", "好词 3 n\n坏\t词 5\n");
  r = segment({"--user-dict", bad}, "好\n", dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.txt:2:"), std::string::npos) << r.err;
  r = segment({"--user-dict", dir.file("missing.txt")}, "好\n", dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
}

TEST(Segment, StopWordsKeepNegatorsAndDegreeWords) {
  TempDir dir;
  const std::string stop = dir.write("stop.txt", "的\n了\n不\n很\n");
  const auto r = segment({"--stopwords", stop}, "这家的菜不好吃，服务很差了\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "这家 菜 不 好吃 ， 服务 很差\n");
  EXPECT_NE(r.err.find("kept"), std::string::npos) << r.err;
}

TEST(Segment, ThreadsKeepInputOrder) {
  std::string input;
  for (int i = 0; i < 6000; ++i) {
    input +=
        "第" + std::to_string(i) + "行：房间很大，服务态度也不错" + std::string(i % 7, '!') + "\n";
  }
  const auto one = segment({"--threads", "1"}, input);
  const auto four = segment({"--threads", "4"}, input);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.err;
  EXPECT_EQ(one.out, four.out);
  EXPECT_EQ(std::count(four.out.begin(), four.out.end(), '\n'), 6000);
  EXPECT_EQ(four.out.substr(0, four.out.find('\n')), "第 0 行 ： 房间 很大 ， 服务态度 也 不错");
}

TEST(Segment, FilesInAndOut) {
  TempDir dir;
  const std::string in = dir.write("in.txt", "我来到北京清华大学\n");
  const auto r = segment({in, "-o", dir.file("out.txt")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::ifstream f(dir.file("out.txt"));
  std::string line;
  std::getline(f, line);
  EXPECT_EQ(line, "我 来到 北京 清华大学");
}

TEST(Segment, InvalidUtf8NamesTheLine) {
  const auto r = segment({}, "好\n还好\n坏\xff字\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("<stdin>:3: invalid UTF-8 at byte 3"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "好\n还好\n");  // the lines before it were written
  TempDir dir;
  const auto f = segment({dir.write("in.txt", "好\n\xfe\n"), "-o", dir.file("out.txt")});
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_NE(f.err.find("in.txt:2: invalid UTF-8 at byte 0"), std::string::npos) << f.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.txt")));  // no half-written output
}

TEST(Segment, MissingInputsAreErrors) {
  auto r = segment({"/nonexistent/input.txt"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/input.txt"), std::string::npos) << r.err;
  r = segment({"--jieba-dir", "/nonexistent/jieba"}, "好\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/jieba/dict.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("python3-jieba"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
