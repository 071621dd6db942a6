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

template <NamedEnum E>
E read_choice(const nlohmann::json& value, std::string_view key) {
  const auto choice = value.is_string() ? find_named<E>(value.get<std::string>()) : std::nullopt;
  if (!choice)
    fail(fmt::format("'{}' must be one of {}, got {}", key, names_list<E>(), value.dump()));
  return *choice;
}

}  // namespace

nlohmann::json CleanOptions::to_json() const {
  return nlohmann::json{
      {"html", html},
      {"urls", urls},
      {"emails", emails},
      {"mentions", mentions},
      {"repost_chains", repost_chains},
      {"emoji", name_of(emoji)},
      {"fullwidth", fullwidth},
      {"squash_punct", squash_punct},
      {"whitespace", whitespace},
      {"t2s", t2s},
      {"lowercase", lowercase},
      {"invalid_utf8", name_of(invalid_utf8)},
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
      o.emoji = read_choice<EmojiMode>(value, key);
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
      o.invalid_utf8 = read_choice<InvalidUtf8>(value, key);
    } else {
      fail(fmt::format("unknown key '{}'", key));
    }
  }
  return o;
}

}  // namespace zhsenti::text
