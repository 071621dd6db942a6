#pragma once
// The passes Cleaner chains (order and reasons in include/zhsenti/text/cleaner.h). Each reads
// valid UTF-8 `in` and either appends its result to `out` and returns true, or returns false
// when `in` needs no change (out may then hold a partial result the caller discards). A pass
// that returns true has changed the text; the removal passes then have made it shorter.

#include <string>
#include <string_view>

namespace zhsenti::text::detail {

// Known HTML tags and comments removed (block-level tags leave a space), entities decoded.
// Text in angle brackets that is not a known tag stays: reviews quote titles as <沉思录>.
bool strip_html(std::string_view in, std::string& out);

// fullwidth: U+FF01–FF5E → U+0021–007E, U+3000 → ' '. drop_invisible: is_invisible() removed.
bool normalize_chars(std::string_view in, std::string& out, bool fullwidth, bool drop_invisible);

struct LinkOptions {
  bool urls = true;
  bool emails = true;
  bool mentions = true;
  bool repost_chains = true;
  bool any() const { return urls || emails || mentions || repost_chains; }
};
bool remove_links(std::string_view in, std::string& out, const LinkOptions& options);

// Removes emoji codes (emoji_code.h); a code revealed by removing an inner one ("[[哈]哈]")
// goes too, so one call reaches a fixed point.
bool drop_emoji_codes(std::string_view in, std::string& out);

// A run of the same punctuation mark becomes one; the Chinese ellipsis "……" and dash "——"
// are two marks wide and keep two.
bool squash_punct(std::string_view in, std::string& out);

// whitespace: runs of is_space() become one ' ', leading and trailing ones go.
// lowercase: ASCII A–Z → a–z. Appends to out (never returns false).
void finish_spacing(std::string_view in, std::string& out, bool whitespace, bool lowercase);

}  // namespace zhsenti::text::detail
