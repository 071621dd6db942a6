#pragma once
// Which cleaning steps run. Stored in model configs (to_json/from_json) so that prediction
// cleans text exactly as training did. Every step can be turned off; their order is fixed
// (see cleaner.h).

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "zhsenti/core/enum_names.h"

namespace zhsenti::text {

// Weibo emoji codes such as [哈哈] or [doge]: keep them intact (they carry strong sentiment)
// or drop them.
enum class EmojiMode { kKeep, kDrop };

// Invalid UTF-8 input: throw Error(kParse) naming the byte, or replace each bad byte by U+FFFD.
enum class InvalidUtf8 { kError, kReplace };

struct CleanOptions {
  bool html = true;      // strip known HTML tags and comments, decode entities
  bool urls = true;      // http(s)://…, ftp://…, www.…, t.cn/… links
  bool emails = true;    // name@domain.tld
  bool mentions = true;  // @user (Weibo nickname rules), with its ':' when it addresses
  // "//@user:" repost chains: true keeps only the poster's own text before them; false keeps
  // every comment and drops the markers. Off by default: Weibo sets label the whole post, and
  // dropping the chains lost macro-F1 on the SMP2020 dev sets (docs/BENCHMARKS.md).
  bool repost_chains = false;
  EmojiMode emoji = EmojiMode::kKeep;
  bool fullwidth = true;     // U+FF01–FF5E → ASCII, U+3000 → space
  bool squash_punct = true;  // "！！！" → "！", "~~~" → "~"; runs of '…' → "……"
  bool whitespace = true;    // delete invisible characters, collapse whitespace runs, trim
  bool t2s = true;           // traditional → simplified Chinese (OpenCC t2s.json)
  bool lowercase = false;    // ASCII A–Z → a–z
  InvalidUtf8 invalid_utf8 = InvalidUtf8::kError;

  // Every key is written, enums as strings ("keep"/"drop", "error"/"replace").
  nlohmann::json to_json() const;
  // Missing keys keep their defaults; an unknown key, a non-object or a value of the wrong
  // type throws Error(kParse) naming the key.
  static CleanOptions from_json(const nlohmann::json& json);

  friend bool operator==(const CleanOptions&, const CleanOptions&) = default;
};

}  // namespace zhsenti::text

namespace zhsenti {

template <>
struct EnumNames<text::EmojiMode> {
  static constexpr std::array<std::pair<text::EmojiMode, std::string_view>, 2> kTable = {
      {{text::EmojiMode::kKeep, "keep"}, {text::EmojiMode::kDrop, "drop"}}};
};

template <>
struct EnumNames<text::InvalidUtf8> {
  static constexpr std::array<std::pair<text::InvalidUtf8, std::string_view>, 2> kTable = {
      {{text::InvalidUtf8::kError, "error"}, {text::InvalidUtf8::kReplace, "replace"}}};
};

}  // namespace zhsenti
