#include "zhsenti/text/clean_options.h"

#include <gtest/gtest.h>

#include "zhsenti/core/error.h"

namespace zhsenti::text {
namespace {

TEST(CleanOptionsTest, DefaultsAreTheDocumentedOnes) {
  const CleanOptions o;
  EXPECT_TRUE(o.html && o.urls && o.emails && o.mentions && o.fullwidth && o.squash_punct &&
              o.whitespace && o.t2s);
  EXPECT_FALSE(o.lowercase || o.repost_chains);
  EXPECT_EQ(o.emoji, EmojiMode::kKeep);
  EXPECT_EQ(o.invalid_utf8, InvalidUtf8::kError);
}

TEST(CleanOptionsTest, JsonWritesEveryKeyWithReadableEnums) {
  const nlohmann::json j = CleanOptions{}.to_json();
  EXPECT_EQ(j.size(), 12u);
  EXPECT_EQ(j.at("emoji"), "keep");
  EXPECT_EQ(j.at("invalid_utf8"), "error");
  EXPECT_EQ(j.at("t2s"), true);
  EXPECT_EQ(j.at("lowercase"), false);
}

TEST(CleanOptionsTest, JsonRoundTripsEveryNonDefaultValue) {
  CleanOptions o;
  o.html = false;
  o.urls = false;
  o.emails = false;
  o.mentions = false;
  o.repost_chains = true;
  o.emoji = EmojiMode::kDrop;
  o.fullwidth = false;
  o.squash_punct = false;
  o.whitespace = false;
  o.t2s = false;
  o.lowercase = true;
  o.invalid_utf8 = InvalidUtf8::kReplace;
  const CleanOptions back = CleanOptions::from_json(nlohmann::json::parse(o.to_json().dump()));
  EXPECT_EQ(back, o);
  EXPECT_NE(back, CleanOptions{});
  EXPECT_EQ(CleanOptions::from_json(CleanOptions{}.to_json()), CleanOptions{});
}

TEST(CleanOptionsTest, MissingKeysKeepDefaults) {
  const CleanOptions o = CleanOptions::from_json(nlohmann::json{{"lowercase", true}});
  CleanOptions expected;
  expected.lowercase = true;
  EXPECT_EQ(o, expected);
  EXPECT_EQ(CleanOptions::from_json(nlohmann::json::object()), CleanOptions{});
}

void expect_parse_error(const nlohmann::json& j, const std::string& fragment) {
  try {
    CleanOptions::from_json(j);
    FAIL() << "accepted " << j.dump();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(CleanOptionsTest, UnknownKeyIsAnErrorNamingTheKey) {
  expect_parse_error(nlohmann::json{{"html", true}, {"strip_emoji", true}},
                     "unknown key 'strip_emoji'");
}

TEST(CleanOptionsTest, WrongTypesAndValuesNameTheKey) {
  expect_parse_error(nlohmann::json{{"html", "yes"}}, "'html' must be true or false, got \"yes\"");
  expect_parse_error(nlohmann::json{{"t2s", 1}}, "'t2s'");
  expect_parse_error(nlohmann::json{{"emoji", "hide"}}, "'emoji' must be one of keep, drop, got \"hide\"");
  expect_parse_error(nlohmann::json{{"invalid_utf8", false}}, "'invalid_utf8'");
  expect_parse_error(nlohmann::json::array({1, 2}), "expected a JSON object, got array");
}

}  // namespace
}  // namespace zhsenti::text
