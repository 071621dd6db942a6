#pragma once
// Weibo emoji codes: "[哈哈]", "[泪]", "[doge]", "[笑cry]". The cleaner keeps or drops them as a
// whole; the segmenter and tokenizers can use the same test to keep one as a single token.

#include <cstddef>
#include <string_view>

namespace zhsenti::text {

inline constexpr std::size_t kMaxEmojiCodeChars = 8;

// Byte length of the emoji code that starts at text[pos], or 0 if none starts there. A code is
// '[' + 1..kMaxEmojiCodeChars CJK ideographs or ASCII letters/digits (not all digits, so
// "[1]" citations are not codes) + ']'. text must be valid UTF-8.
std::size_t emoji_code_length(std::string_view text, std::size_t pos);

}  // namespace zhsenti::text
