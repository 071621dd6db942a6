#pragma once
// UTF-8 decoding and encoding. Every text stage works on code points decoded here, so invalid
// input is found in one place and reported with its byte offset.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at s[pos]; advances pos past it. Returns nullopt for an
// invalid sequence (overlong, surrogate, > U+10FFFF, truncated) and advances pos by one byte.
std::optional<char32_t> decode_one(std::string_view s, std::size_t& pos);

// Byte offset of the first invalid sequence, or nullopt when s is valid UTF-8.
std::optional<std::size_t> find_invalid(std::string_view s);

// Throws Error(kParse) "<what>: invalid UTF-8 at byte N" when s is not valid.
void validate(std::string_view s, std::string_view what);

// Valid input unchanged; each invalid byte becomes U+FFFD.
std::string replace_invalid(std::string_view s);

void append(std::string& out, char32_t cp);
std::string encode(std::u32string_view cps);

// Decodes valid UTF-8 (invalid bytes become U+FFFD).
std::u32string decode(std::string_view s);

// Number of code points (invalid bytes count one each).
std::size_t length(std::string_view s);

// Byte length of the sequence that starts with lead byte b (1 for invalid lead bytes).
inline std::size_t sequence_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b >> 5) == 0x6) return 2;
  if ((b >> 4) == 0xE) return 3;
  if ((b >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace zhsenti::utf8
