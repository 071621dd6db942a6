#include "zhsenti/text/utf8.h"

#include <gtest/gtest.h>

#include "zhsenti/core/error.h"

namespace zhsenti::utf8 {

TEST(Utf8Test, RoundTripsAllSequenceLengths) {
  const std::u32string cps = {U'a', U'é', U'中', U'😀'};
  const std::string s = encode(cps);
  EXPECT_EQ(s, "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
  EXPECT_EQ(decode(s), cps);
  EXPECT_EQ(length(s), 4u);
  EXPECT_FALSE(find_invalid(s));
}

TEST(Utf8Test, RejectsOverlongSurrogateTruncatedAndOutOfRange) {
  EXPECT_EQ(find_invalid("ab\xC0\xAF"), 2u);             // overlong '/'
  EXPECT_EQ(find_invalid("\xED\xA0\x80"), 0u);           // UTF-16 surrogate
  EXPECT_EQ(find_invalid("\xE4\xB8"), 0u);               // truncated
  EXPECT_EQ(find_invalid("x\xF4\x90\x80\x80"), 1u);      // > U+10FFFF
  EXPECT_EQ(find_invalid("\x80"), 0u);                   // lone continuation byte
}

TEST(Utf8Test, ValidateNamesTheByteOffset) {
  try {
    validate("好\xFF", "line 3");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_STREQ(e.what(), "line 3: invalid UTF-8 at byte 3 (0xFF)");
  }
}

TEST(Utf8Test, ReplaceInvalidKeepsValidParts) {
  EXPECT_EQ(replace_invalid("好\xFF好"), "好\xEF\xBF\xBD好");
  EXPECT_EQ(replace_invalid("plain"), "plain");
}

}  // namespace zhsenti::utf8
