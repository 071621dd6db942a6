#include "zhsenti/text/emoji_code.h"

#include "clean_chars.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {

std::size_t emoji_code_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || text[pos] != '[') return 0;
  std::size_t i = pos + 1;
  std::size_t chars = 0;
  bool has_non_digit = false;
  while (i < text.size() && text[i] != ']') {
    if (chars == kMaxEmojiCodeChars) return 0;
    const auto cp = utf8::decode_one(text, i);
    if (!cp) return 0;
    const bool digit = *cp >= '0' && *cp <= '9';
    if (!digit && !detail::is_ascii_alnum(*cp) && !detail::is_cjk_ideograph(*cp)) return 0;
    has_non_digit = has_non_digit || !digit;
    ++chars;
  }
  if (i >= text.size() || chars == 0 || !has_non_digit) return 0;
  return i + 1 - pos;
}

}  // namespace zhsenti::text
