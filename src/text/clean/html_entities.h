#pragma once
// HTML character references: &name; (HTML 4 names), &#123; and &#x1F600; (';' optional for
// numbers, as browsers accept).

#include <cstddef>
#include <string_view>

namespace zhsenti::text::detail {

// Decodes to nothing (controls, undefined cp1252 slots).
inline constexpr char32_t kNoChar = 0xFFFFFFFF;

// s[pos] == '&'. Returns the bytes the reference spans (0 if s[pos] starts none) and sets cp
// to the decoded code point or kNoChar.
std::size_t decode_entity(std::string_view s, std::size_t pos, char32_t& cp);

}  // namespace zhsenti::text::detail
