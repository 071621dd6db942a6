#include "route.h"

#include "zhsenti/text/utf8.h"

namespace zhsenti::text::detail {

std::size_t decode_offsets(std::string_view text, char32_t* cps, std::uint32_t* offs) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t pos = 0;
  std::size_t n = 0;
  while (pos < size) {
    offs[n] = static_cast<std::uint32_t>(pos);
    const unsigned b0 = s[pos];
    if (b0 < 0x80) {
      cps[n++] = b0;
      ++pos;
      continue;
    }
    // Chinese text is mostly 3-byte sequences: decode them inline, the rest via utf8.
    if ((b0 & 0xF0) == 0xE0 && pos + 2 < size) {
      const unsigned b1 = s[pos + 1];
      const unsigned b2 = s[pos + 2];
      const char32_t cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      if ((((b1 ^ 0x80) | (b2 ^ 0x80)) & 0xC0) == 0 && cp >= 0x800 && cp - 0xD800 >= 0x800) {
        cps[n++] = cp;
        pos += 3;
        continue;
      }
    }
    const auto cp = utf8::decode_one(text, pos);
    cps[n++] = cp ? *cp : utf8::kReplacement;
  }
  offs[n] = static_cast<std::uint32_t>(pos);
  return n;
}

}  // namespace zhsenti::text::detail
