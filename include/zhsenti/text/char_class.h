#pragma once
// The character classes jieba's regular expressions test, as exact code-point predicates.
// jieba runs Python 3 `re` on str patterns: `\s` is Unicode whitespace (str.isspace), while a
// class written as `a-zA-Z0-9` is literal ASCII. Matching these bit for bit is what makes our
// segmentation identical to jieba's.

#include <array>

namespace zhsenti::text {

// The CJK range jieba treats as Chinese (re_han_default, finalseg.re_han).
inline constexpr char32_t kHanFirst = 0x4E00;
inline constexpr char32_t kHanLast = 0x9FD5;
inline constexpr char32_t kHanCount = kHanLast - kHanFirst + 1;

inline constexpr bool is_cjk(char32_t c) { return c >= kHanFirst && c <= kHanLast; }

inline constexpr bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }

inline constexpr bool is_ascii_alnum(char32_t c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Python's str.isspace(), which is also what `\s` matches in a str pattern.
inline constexpr bool is_py_space(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  if (c < 0x1680) return c == 0x85 || c == 0xA0;
  return c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

namespace detail {
// Bit 0: in re_han_default's ASCII part [a-zA-Z0-9+#&._%-]; bit 1: in re_han_internal's.
inline constexpr auto kAsciiHan = [] {
  std::array<unsigned char, 128> t{};
  for (char32_t c = 0; c < 128; ++c) {
    const bool base = is_ascii_alnum(c) || c == '+' || c == '#' || c == '&' || c == '.' || c == '_';
    t[c] = static_cast<unsigned char>((base || c == '%' || c == '-' ? 1 : 0) | (base ? 2 : 0));
  }
  return t;
}();
}  // namespace detail

// jieba.re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
inline constexpr bool is_han_default(char32_t c) {
  return c < 128 ? (detail::kAsciiHan[c] & 1) != 0 : is_cjk(c);
}

// jieba.posseg.re_han_internal: [\u4E00-\u9FD5a-zA-Z0-9+#&\._] (no '%' and '-').
inline constexpr bool is_han_internal(char32_t c) {
  return c < 128 ? (detail::kAsciiHan[c] & 2) != 0 : is_cjk(c);
}

}  // namespace zhsenti::text
