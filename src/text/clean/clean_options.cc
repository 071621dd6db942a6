#include "zhsenti/text/clean_options.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "zhsenti/core/error.h"

namespace zhsenti::text {
namespace {

[[noreturn]] void fail(std::string_view message) {
  throw Error(ErrorCode::kParse, fmt::format("clean options: {}", message));
}

bool read_bool(const nlohmann::json& value, std::string_view key) {
  if (!value.is_boolean())
    fail(fmt::format("'{}' must be true or false, got {}", key, value.dump()));
  return value.get<bool>();
}

std::string read_choice(const nlohmann::json& value, std::string_view key, std::string_view a,
                        std::string_view b) {
  if (!value.is_string() || (value.get<std::string>() != a && value.get<std::string>() != b)) {
    fail(fmt::format("'{}' must be \"{}\" or \"{}\", got {}", key, a, b, value.dump()));
  }
  return value.get<std::string>();
}

}  // namespace

nlohmann::json CleanOptions::to_json() const {
  return nlohmann::json{
      {"html", html},
      {"urls", urls},
      {"emails", emails},
      {"mentions", mentions},
      {"repost_chains", repost_chains},
      {"emoji", emoji == EmojiMode::kKeep ? "keep" : "drop"},
      {"fullwidth", fullwidth},
      {"squash_punct", squash_punct},
      {"whitespace", whitespace},
      {"t2s", t2s},
      {"lowercase", lowercase},
      {"invalid_utf8", invalid_utf8 == InvalidUtf8::kError ? "error" : "replace"},
  };
}

CleanOptions CleanOptions::from_json(const nlohmann::json& json) {
  if (!json.is_object()) fail(fmt::format("expected a JSON object, got {}", json.type_name()));
  CleanOptions o;
  for (const auto& [key, value] : json.items()) {
    if (key == "html") {
      o.html = read_bool(value, key);
    } else if (key == "urls") {
      o.urls = read_bool(value, key);
    } else if (key == "emails") {
      o.emails = read_bool(value, key);
    } else if (key == "mentions") {
      o.mentions = read_bool(value, key);
    } else if (key == "repost_chains") {
      o.repost_chains = read_bool(value, key);
    } else if (key == "emoji") {
      o.emoji =
          read_choice(value, key, "keep", "drop") == "keep" ? EmojiMode::kKeep : EmojiMode::kDrop;
    } else if (key == "fullwidth") {
      o.fullwidth = read_bool(value, key);
    } else if (key == "squash_punct") {
      o.squash_punct = read_bool(value, key);
    } else if (key == "whitespace") {
      o.whitespace = read_bool(value, key);
    } else if (key == "t2s") {
      o.t2s = read_bool(value, key);
    } else if (key == "lowercase") {
      o.lowercase = read_bool(value, key);
    } else if (key == "invalid_utf8") {
      o.invalid_utf8 = read_choice(value, key, "error", "replace") == "error"
                           ? InvalidUtf8::kError
                           : InvalidUtf8::kReplace;
    } else {
      fail(fmt::format("unknown key '{}'", key));
    }
  }
  return o;
}

}  // namespace zhsenti::text
