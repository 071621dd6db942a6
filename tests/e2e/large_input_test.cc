// A 50 MB line (issue 2: "a 50 MB line: clear errors, no crash") through every text command:
// it is processed whole, in bounded time, and a broken byte at its end is still named.
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

std::string fifty_mb_line() {
  // Review-like text with ASCII, full-width forms and punctuation runs, repeated to 50 MB.
  const std::string piece = "这家酒店的服务很好，但是房间不太干净！！！ＡＢＣ price 299元 ";
  std::string line;
  line.reserve(50u << 20);
  while (line.size() + piece.size() <= (50u << 20)) line += piece;
  return line;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(LargeInput, FiftyMegabyteLine) {
  TempDir dir;
  const std::string line = fifty_mb_line();
  const std::string text = dir.write("big.txt", line + "\n短句\n");

  const auto seg = run_zhsenti({"segment", "--threads", "2", text, "-o", dir.file("seg.txt")});
  ASSERT_EQ(seg.exit_code, 0) << seg.err;

  const auto clean = run_zhsenti({"clean", text});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_TRUE(contains(clean.out, "ABC price 299元")) << "full-width forms are folded";
  EXPECT_TRUE(clean.out.ends_with("\n短句\n"));

  const auto stats = run_zhsenti({"data", "stats", "--no-words",
                                  dir.write("big.tsv", "label\ttext\n1\t" + line + "\n0\t差\n")});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_TRUE(contains(stats.out, "rows")) << stats.out;

  const auto bad = run_zhsenti({"segment", dir.write("bad.txt", line + "\xff\n")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "bad.txt:1: invalid UTF-8 at byte " + std::to_string(line.size())))
      << bad.err.substr(0, 300);
}

}  // namespace
}  // namespace zhsenti::testing
