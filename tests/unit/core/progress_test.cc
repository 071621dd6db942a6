#include "zhsenti/core/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace zhsenti {

TEST(ProgressTest, PlainModeWritesAFinalLineWithTotals) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p("segment", 1000, "lines", f);
    for (int i = 0; i < 1000; ++i) p.advance();
    p.set_status("ok");
  }
  std::rewind(f);
  char buf[512] = {};
  const auto n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  const std::string out(buf, n);
  EXPECT_NE(out.find("segment"), std::string::npos) << out;
  EXPECT_NE(out.find("100.0%"), std::string::npos) << out;
  EXPECT_NE(out.find("1000/1000 lines"), std::string::npos) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no carriage returns when not a terminal";
}

}  // namespace zhsenti
