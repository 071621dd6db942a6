#pragma once
// Text cleaning for reviews and Weibo posts: hand-written scanners over code points (no
// regular expressions), a few linear passes per text over reused per-thread buffers.
//
// Steps, in this fixed order (each can be turned off in CleanOptions):
//   1. UTF-8 check                         invalid_utf8: throw, or U+FFFD per bad byte
//   2. HTML                                html: known tags/comments removed, entities decoded
//   3. character normalisation             fullwidth: U+FF01–FF5E → ASCII, U+3000 → ' '
//                                          whitespace: invisible characters deleted
//   4. removals, repeated until stable     urls, emails, mentions, repost_chains,
//                                          emoji (kDrop), squash_punct
//   5. traditional → simplified            t2s (OpenCC t2s.json)
//   6. whitespace collapse, trim; case     whitespace, lowercase
//
// Why this order:
// - HTML first, so "&#65281;" and "&nbsp;" become characters that steps 3 and 6 normalise.
//   Entities are decoded once: "&amp;lt;" gives "&lt;", and text whose entities decode into
//   '<' or '&' is the one case where cleaning twice differs from cleaning once.
// - Full-width forms before links, so "＠用户" and "ｈｔｔｐ：／／…" are found like their ASCII
//   forms; invisible characters go before links so "www\u200B.x.com" cannot hide a link.
// - Removing a link, an emoji code or repeated punctuation can join what it separated
//   ("www.[哈哈]x.com", "!@user!"); step 4 reruns until nothing changes (each round only
//   shortens the text), so its result is a fixed point.
// - t2s after the removals, so OpenCC sees the text it will keep.
// - Whitespace last: every removal may leave adjacent spaces behind.
// With t2s off and no '<' or '&' in the result, clean(clean(x)) == clean(x). OpenCC t2s
// itself is not idempotent (薴→苧→苎, 袖裏乾坤→袖里乾坤→袖里干坤).

#include <memory>
#include <string>
#include <string_view>

#include "zhsenti/text/clean_options.h"

namespace zhsenti::text {

class T2sConverter;

class Cleaner {  // immutable, thread-safe
 public:
  // Loads OpenCC when options.t2s (throws Error(kNotFound) if its data is missing).
  explicit Cleaner(CleanOptions options = {});

  // Throws Error(kParse) "invalid UTF-8 at byte N (0xXX)" with InvalidUtf8::kError.
  std::string clean(std::string_view text) const;
  // Appends the cleaned text to out (no allocation when out has room); text must not view out.
  void clean_append(std::string_view text, std::string& out) const;

  const CleanOptions& options() const { return options_; }

 private:
  CleanOptions options_;
  std::shared_ptr<const T2sConverter> t2s_;
};

}  // namespace zhsenti::text
