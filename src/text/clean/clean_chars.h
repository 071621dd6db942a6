#pragma once
// Character classes and an unchecked UTF-8 decoder shared by the cleaning passes. Every pass
// after the UTF-8 check works on valid UTF-8, so decoding needs no error handling here.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace zhsenti::text::detail {

// Decodes the code point at s[pos] (s valid UTF-8, pos < s.size()); returns its byte length.
inline std::size_t decode_valid(std::string_view s, std::size_t pos, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  const auto b = [&](std::size_t i) { return static_cast<char32_t>(s[pos + i]) & 0x3F; };
  if (b0 < 0xE0) {
    cp = ((b0 & 0x1Fu) << 6) | b(1);
    return 2;
  }
  if (b0 < 0xF0) {
    cp = ((b0 & 0x0Fu) << 12) | (b(1) << 6) | b(2);
    return 3;
  }
  cp = ((b0 & 0x07u) << 18) | (b(1) << 12) | (b(2) << 6) | b(3);
  return 4;
}

// Byte values a pass stops at when it walks UTF-8 a byte at a time: ASCII bytes and the lead
// bytes of the code points it cares about. Continuation bytes (0x80–0xBF) are never leads, so
// a byte in the set always starts a code point.
class ByteSet {
 public:
  // Inclusive ranges of byte values.
  constexpr ByteSet(std::initializer_list<std::array<unsigned char, 2>> ranges) {
    for (const auto& r : ranges) {
      for (int b = r[0]; b <= r[1]; ++b) bits_[static_cast<std::size_t>(b)] = true;
    }
  }
  constexpr bool contains(char c) const { return bits_[static_cast<unsigned char>(c)]; }

 private:
  std::array<bool, 256> bits_{};
};

// Position of the first byte of s at or after pos that is in `set` (a few ASCII bytes), or npos.
// std::string_view::find_first_of calls memchr on the set once per byte of s.
inline std::size_t find_any(std::string_view s, std::size_t pos, std::string_view set) {
  for (; pos < s.size(); ++pos) {
    for (const char c : set) {
      if (s[pos] == c) return pos;
    }
  }
  return std::string_view::npos;
}

inline bool is_ascii_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// CJK unified ideographs (basic, extension A, compatibility, extensions B–F).
inline bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

// Unicode White_Space.
inline bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Characters that render as nothing: C0/C1 controls that are not whitespace, soft hyphen,
// zero-width space/joiners, direction marks and embeddings, word joiner, BOM.
inline bool is_invisible(char32_t c) {
  if (c < 0x20) return !(c >= 0x09 && c <= 0x0D);
  if (c < 0x7F) return false;
  if (c <= 0x9F) return c != 0x85;
  return c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// Punctuation whose repetition only adds emphasis. '/', '#' and '@' are left alone: they
// build URLs ("http://"), topic pairs ("#a##b#") and mentions.
inline bool is_squashable_punct(char32_t c) {
  if (c < 0x80) {
    switch (c) {
      case '!':
      case '"':
      case '$':
      case '%':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case '-':
      case '.':
      case ':':
      case ';':
      case '<':
      case '=':
      case '>':
      case '?':
      case '[':
      case '\\':
      case ']':
      case '^':
      case '_':
      case '`':
      case '{':
      case '|':
      case '}':
      case '~':
        return true;
      default:
        return false;
    }
  }
  if (c < 0x2000) {
    return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB || c == 0xBF;
  }
  return (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
         (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
         (c >= 0x3014 && c <= 0x301F) || (c >= 0xFE10 && c <= 0xFE19) ||
         (c >= 0xFE30 && c <= 0xFE6B) ||
         (c >= 0xFF01 && c <= 0xFF0F && c != 0xFF03 && c != 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20 && c != 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

}  // namespace zhsenti::text::detail
