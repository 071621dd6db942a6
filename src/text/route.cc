#include "route.h"

#include "zhsenti/text/utf8.h"

namespace zhsenti::text::detail {

void decode_offsets(std::string_view text, std::vector<char32_t>& cps,
                    std::vector<std::uint32_t>& offs) {
  cps.resize(text.size());
  offs.resize(text.size() + 1);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t pos = 0;
  std::size_t n = 0;
  while (pos < size) {
    offs[n] = static_cast<std::uint32_t>(pos);
    const unsigned char b0 = s[pos];
    if (b0 < 0x80) {
      cps[n++] = b0;
      ++pos;
      continue;
    }
    // Chinese text is mostly 3-byte sequences: decode them inline, the rest via utf8.
    if ((b0 & 0xF0) == 0xE0 && pos + 2 < size && (s[pos + 1] & 0xC0) == 0x80 &&
        (s[pos + 2] & 0xC0) == 0x80) {
      const char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) |
                          (static_cast<char32_t>(s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        cps[n++] = cp;
        pos += 3;
        continue;
      }
    }
    const auto cp = utf8::decode_one(text, pos);
    cps[n++] = cp ? *cp : utf8::kReplacement;
  }
  offs[n] = static_cast<std::uint32_t>(pos);
  cps.resize(n);
  offs.resize(n + 1);
}

}  // namespace zhsenti::text::detail
