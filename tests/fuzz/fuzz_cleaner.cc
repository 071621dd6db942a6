// Arbitrary bytes through the cleaner with options chosen by the first two bytes (invalid
// UTF-8 always replaced). Checked on every input:
// - no crash, no sanitizer report, output valid UTF-8 and at most 3 bytes per input byte
//   (U+FFFD for a bad byte is the largest growth; t2s may add a few bytes on top);
// - with every step off, the output is the input with bad bytes replaced;
// - idempotence, where cleaner.h guarantees it: t2s off (OpenCC itself is not idempotent),
//   and HTML off or no '<' and '&' left (entities are decoded exactly once).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "zhsenti/text/cleaner.h"
#include "zhsenti/text/utf8.h"

namespace {

zhsenti::text::CleanOptions options_from(std::uint16_t bits) {
  zhsenti::text::CleanOptions o;
  o.html = bits & 1;
  o.urls = bits & 2;
  o.emails = bits & 4;
  o.mentions = bits & 8;
  o.repost_chains = bits & 16;
  o.emoji = bits & 32 ? zhsenti::text::EmojiMode::kDrop : zhsenti::text::EmojiMode::kKeep;
  o.fullwidth = bits & 64;
  o.squash_punct = bits & 128;
  o.whitespace = bits & 256;
  o.t2s = bits & 512;
  o.lowercase = bits & 1024;
  o.invalid_utf8 = zhsenti::text::InvalidUtf8::kReplace;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto bits = static_cast<std::uint16_t>(data[0] | (data[1] << 8));
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const zhsenti::text::CleanOptions options = options_from(bits);
  const zhsenti::text::Cleaner cleaner(options);

  const std::string once = cleaner.clean(text);
  if (zhsenti::utf8::find_invalid(once)) std::abort();
  if (once.size() > 3 * text.size() + (options.t2s ? text.size() : 0)) std::abort();

  if ((bits & 2047) == 0 && once != zhsenti::utf8::replace_invalid(text)) std::abort();

  const bool html_settled = !options.html || once.find_first_of("<&") == std::string::npos;
  if (!options.t2s && html_settled && cleaner.clean(once) != once) std::abort();
  return 0;
}
