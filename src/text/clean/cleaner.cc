#include "zhsenti/text/cleaner.h"

#include <fmt/format.h>

#include "clean_passes.h"
#include "t2s_converter.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

// Two buffers per thread that the passes write alternately; they keep their capacity between
// calls, so cleaning allocates only when a text is longer than any before it on that thread.
struct Scratch {
  std::string buffers[2];
  int next = 0;
};
thread_local Scratch t_scratch;

void replace_invalid(std::string_view in, std::string& out) {
  out.reserve(in.size() + 16);
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t start = pos;
    if (utf8::decode_one(in, pos)) {
      out.append(in, start, pos - start);
    } else {
      utf8::append(out, utf8::kReplacement);
    }
  }
}

}  // namespace

Cleaner::Cleaner(CleanOptions options) : options_(options) {
  if (options_.t2s) t2s_ = T2sConverter::shared();
}

std::string Cleaner::clean(std::string_view text) const {
  std::string out;
  clean_append(text, out);
  return out;
}

void Cleaner::clean_append(std::string_view text, std::string& out) const {
  Scratch& scratch = t_scratch;
  std::string_view cur = text;
  // Runs one pass into the free buffer; on success the text continues from there.
  const auto run = [&](auto&& pass) {
    std::string& buffer = scratch.buffers[scratch.next];
    buffer.clear();
    if (!pass(cur, buffer)) return false;
    cur = buffer;
    scratch.next ^= 1;
    return true;
  };
  const CleanOptions& o = options_;

  if (const auto bad = utf8::find_invalid(cur)) {
    if (o.invalid_utf8 == InvalidUtf8::kError) {
      throw Error(ErrorCode::kParse, fmt::format("invalid UTF-8 at byte {} (0x{:02X})", *bad,
                                                 static_cast<unsigned char>(cur[*bad])));
    }
    run([](std::string_view in, std::string& buf) {
      replace_invalid(in, buf);
      return true;
    });
  }
  if (o.html) run(detail::strip_html);
  run([&](std::string_view in, std::string& buf) {
    return detail::normalize_chars(in, buf, o.fullwidth, o.whitespace);
  });

  // Step 4 to a fixed point. A pass must rerun only when another pass changed the text after
  // its last run; emoji dropping and squashing reach their own fixed point in one run, link
  // removal may not (a removal can glue the halves of a new link together).
  const detail::LinkOptions links{o.urls, o.emails, o.mentions, o.repost_chains};
  enum Removal { kLinks, kEmoji, kPunct, kRemovals };
  bool dirty[kRemovals] = {links.any(), o.emoji == EmojiMode::kDrop, o.squash_punct};
  const bool active[kRemovals] = {dirty[kLinks], dirty[kEmoji], dirty[kPunct]};
  const auto pass_changed = [&](int pass, bool changed) {
    dirty[pass] = false;
    if (!changed) return;
    for (int other = 0; other < kRemovals; ++other) dirty[other] = active[other] && other != pass;
    dirty[kLinks] = active[kLinks];
  };
  // Each change shortens the text, so this ends.
  while (dirty[kLinks] || dirty[kEmoji] || dirty[kPunct]) {
    if (dirty[kLinks]) {
      pass_changed(kLinks, run([&](std::string_view in, std::string& buf) {
                     return detail::remove_links(in, buf, links);
                   }));
    }
    if (dirty[kEmoji]) pass_changed(kEmoji, run(detail::drop_emoji_codes));
    if (dirty[kPunct]) pass_changed(kPunct, run(detail::squash_punct));
  }

  if (t2s_) {
    run([&](std::string_view in, std::string& buf) { return t2s_->convert(in, buf); });
  }
  detail::finish_spacing(cur, out, o.whitespace, o.lowercase);

  release_if_large(scratch.buffers[0], scratch.buffers[1]);
}

}  // namespace zhsenti::text
