// The character-level passes: normalisation, emoji codes, punctuation runs, spacing.

#include "clean_passes.h"

#include "clean_chars.h"
#include "zhsenti/text/emoji_code.h"

namespace zhsenti::text::detail {
namespace {

// How many of the same mark a run keeps: the Chinese ellipsis "……" and dashes "——" and "――"
// are one punctuation mark written with two characters.
int max_run(char32_t cp) { return cp == 0x2026 || cp == 0x2014 || cp == 0x2015 ? 2 : 1; }

// Where the code points each pass looks at can start (see ByteSet).
// Invisible controls, C1 controls and U+00AD (0xC2), U+200B–2069 (0xE2), U+3000 (0xE3),
// full-width forms and U+FEFF (0xEF).
constexpr ByteSet kNormalizeStarts = {{0x00, 0x08}, {0x0E, 0x1F}, {0x7F, 0x7F},
                                      {0xC2, 0xC2}, {0xE2, 0xE3}, {0xEF, 0xEF}};
// ASCII punctuation, Latin-1 punctuation (0xC2), U+2010–205E (0xE2), U+3001–301F (0xE3),
// U+FE10–FF65 (0xEF).
constexpr ByteSet kPunctStarts = {{0x21, 0x2F}, {0x3A, 0x40}, {0x5B, 0x60}, {0x7B, 0x7E},
                                  {0xC2, 0xC2}, {0xE2, 0xE3}, {0xEF, 0xEF}};
// ASCII whitespace, U+0085 and U+00A0 (0xC2), U+1680 (0xE1), U+2000–205F (0xE2), U+3000 (0xE3).
constexpr ByteSet kSpaceStarts = {{0x09, 0x0D}, {0x20, 0x20}, {0xC2, 0xC2}, {0xE1, 0xE3}};

}  // namespace

bool normalize_chars(std::string_view in, std::string& out, bool fullwidth, bool drop_invisible) {
  if (!fullwidth && !drop_invisible) return false;
  std::size_t copied = 0;  // in[copied, i) is still to be copied verbatim
  bool changed = false;
  std::size_t i = 0;
  while (i < in.size()) {
    if (!kNormalizeStarts.contains(in[i])) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_valid(in, i, cp);
    char32_t folded = cp;
    if (fullwidth && cp >= 0xFF01 && cp <= 0xFF5E) {
      folded = cp - 0xFEE0;
    } else if (fullwidth && cp == 0x3000) {
      folded = ' ';
    } else if (!drop_invisible || !is_invisible(cp)) {
      i += len;
      continue;
    }
    if (!changed) out.reserve(in.size());
    out.append(in, copied, i - copied);
    if (folded != cp) out.push_back(static_cast<char>(folded));
    i += len;
    copied = i;
    changed = true;
  }
  if (changed) out.append(in, copied);
  return changed;
}

bool drop_emoji_codes(std::string_view in, std::string& out) {
  if (in.find('[') == std::string_view::npos) return false;
  constexpr std::size_t kMaxCodeBytes = 2 + 4 * kMaxEmojiCodeChars;
  bool changed = false;
  std::size_t copied = 0;
  out.reserve(in.size());
  // Appending up to each ']' and testing the tail of out drops nested codes in one pass:
  // "[[哈]哈]" loses "[哈]", and then the "[哈]" that closes.
  for (std::size_t close = in.find(']'); close != std::string_view::npos;
       close = in.find(']', close + 1)) {
    out.append(in, copied, close + 1 - copied);
    copied = close + 1;
    const std::size_t floor = out.size() > kMaxCodeBytes ? out.size() - kMaxCodeBytes : 0;
    std::size_t open = out.size() - 1;
    while (open > floor && out[open] != '[') --open;
    if (out[open] == '[' && emoji_code_length(out, open) == out.size() - open) {
      out.resize(open);
      changed = true;
    }
  }
  out.append(in, copied);
  return changed;
}

bool squash_punct(std::string_view in, std::string& out) {
  std::size_t copied = 0;
  bool changed = false;
  // The last punctuation mark kept, where it ended in `in`, and how many times in a row it
  // ends the kept text. A mark continues the run only if it starts where the last one ended.
  char32_t last = 0;
  std::size_t last_end = std::string_view::npos;
  int run = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    if (!kPunctStarts.contains(in[i])) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_valid(in, i, cp);
    if (is_squashable_punct(cp)) {
      if (i != last_end || cp != last) {
        last = cp;
        run = 1;
      } else if (run < max_run(cp)) {
        ++run;
      } else {
        if (!changed) out.reserve(in.size());
        out.append(in, copied, i - copied);
        copied = i + len;
        changed = true;
      }
      last_end = i + len;
    }
    i += len;
  }
  if (changed) out.append(in, copied);
  return changed;
}

void finish_spacing(std::string_view in, std::string& out, bool whitespace, bool lowercase) {
  out.reserve(out.size() + in.size());
  const std::size_t start = out.size();
  bool pending_space = false;
  // Appends in[begin, end), after the space that a whitespace run before it left pending.
  const auto emit = [&](std::size_t begin, std::size_t end) {
    if (begin == end) return;
    if (pending_space && out.size() > start) out.push_back(' ');
    pending_space = false;
    const std::size_t from = out.size();
    out.append(in, begin, end - begin);
    if (lowercase) {
      for (std::size_t k = from; k < out.size(); ++k) {
        if (out[k] >= 'A' && out[k] <= 'Z') out[k] = static_cast<char>(out[k] | 0x20);
      }
    }
  };
  if (!whitespace) {
    emit(0, in.size());
    return;
  }
  std::size_t run_begin = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    if (!kSpaceStarts.contains(in[i])) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_valid(in, i, cp);
    if (is_space(cp)) {
      emit(run_begin, i);
      pending_space = true;
      run_begin = i + len;
    }
    i += len;
  }
  emit(run_begin, in.size());
}

}  // namespace zhsenti::text::detail
