#include "zhsenti/augment/protection.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/lines.h"
#include "zhsenti/text/char_class.h"
#include "zhsenti/text/stopwords.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::augment {
namespace {

struct Shape {
  bool has_cjk = false;
  bool has_letter = false;  // ASCII letter
  bool has_digit = false;
  // Byte ends of the first code points (at most 4), for the prefix test.
  std::size_t ends[4] = {};
  std::size_t chars = 0;
};

Shape shape_of(std::string_view word) {
  Shape s;
  std::size_t pos = 0;
  while (pos < word.size()) {
    const auto cp = utf8::decode_one(word, pos);
    if (s.chars < 4) s.ends[s.chars] = pos;
    ++s.chars;
    if (!cp) continue;
    if (text::is_cjk(*cp)) s.has_cjk = true;
    if (text::is_ascii_digit(*cp)) s.has_digit = true;
    if (*cp < 0x80 && text::is_ascii_alnum(*cp) && !text::is_ascii_digit(*cp)) {
      s.has_letter = true;
    }
  }
  return s;
}

// English entries of the lists are lower case; reviews capitalise ("Not bad").
std::string ascii_lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool has_upper_ascii(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

ProtectionPolicy::ProtectionPolicy(std::vector<std::string> extra_words) {
  for (const auto& w : extra_words) {
    if (!w.empty()) extra_.insert(ascii_lower(w));
  }
}

bool ProtectionPolicy::is_protected(std::string_view word) const {
  if (text::is_sentiment_protected(word) || extra_.contains(word)) return true;
  if (!has_upper_ascii(word)) return false;
  const std::string lower = ascii_lower(word);
  return text::is_sentiment_protected(lower) || extra_.contains(lower);
}

bool ProtectionPolicy::governs_next(std::string_view word) const {
  if (text::is_negator(word) || text::is_degree_word(word)) return true;
  if (!has_upper_ascii(word)) return false;
  const std::string lower = ascii_lower(word);
  return text::is_negator(lower) || text::is_degree_word(lower);
}

TokenRole ProtectionPolicy::role_alone(std::string_view word) const {
  const Shape s = shape_of(word);
  if (!s.has_cjk && !s.has_letter && !s.has_digit) return TokenRole::kPunct;
  if (is_protected(word)) return TokenRole::kFixed;
  if (!s.has_cjk && !s.has_letter) return TokenRole::kKeep;
  // 不好, 没用, 很好, 太贵, 非常满意: a negator or degree word fused with what it modifies.
  // Their nearest vectors are often their antonyms (很好 -> 很差), so they are not replaced.
  for (std::size_t c = 0; c + 1 < s.chars && c < 4; ++c) {
    const std::string_view prefix = word.substr(0, s.ends[c]);
    if (text::is_negator(prefix) || text::is_degree_word(prefix)) return TokenRole::kKeep;
  }
  return TokenRole::kFree;
}

std::vector<TokenRole> ProtectionPolicy::roles(std::span<const std::string> tokens) const {
  std::vector<TokenRole> out(tokens.size());
  bool governed = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    out[i] = role_alone(tokens[i]);
    if (governed && out[i] != TokenRole::kPunct) out[i] = TokenRole::kFixed;
    governed = governs_next(tokens[i]);
  }
  return out;
}

std::vector<std::string> read_word_list(const std::string& path) {
  const std::string data = read_file(path);
  std::vector<std::string> words;
  for_each_line(data, [&](std::string_view line, std::size_t line_no) {
    if (const auto bad = utf8::find_invalid(line)) {
      throw_parse_error(path, line_no, fmt::format("invalid UTF-8 at byte {}", *bad));
    }
    line = trim(line);
    if (!line.empty() && !line.starts_with('#')) words.emplace_back(line);
  });
  return words;
}

}  // namespace zhsenti::augment
