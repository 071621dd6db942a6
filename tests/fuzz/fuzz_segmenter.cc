// The segmenter never crashes and never loses or invents text: for any bytes (made valid by
// utf8::replace_invalid, and also as they are), the tokens of cut, cut_pos and cut_chars
// concatenate back to the input with its whitespace (Python str.isspace) removed.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/text/char_class.h"
#include "zhsenti/text/segmenter.h"
#include "zhsenti/text/utf8.h"

namespace {

using zhsenti::text::Segmenter;

std::shared_ptr<const Segmenter> load(bool hmm) {
  zhsenti::text::SegmenterOptions options;
  options.hmm = hmm;
  options.cache_dir = std::filesystem::temp_directory_path() / "zhsenti-fuzz-seg-cache";
  return Segmenter::load(options);
}

// The bytes of s without its whitespace characters (invalid bytes are kept).
std::string without_space(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const auto cp = zhsenti::utf8::decode_one(s, pos);
    if (!cp || !zhsenti::text::is_py_space(*cp)) out.append(s.substr(start, pos - start));
  }
  return out;
}

void check(const Segmenter& seg, std::string_view text) {
  const std::string expected = without_space(text);
  std::vector<std::string_view> tokens;
  seg.cut(text, tokens);
  std::string joined;
  for (const auto t : tokens) {
    if (t.empty() || t.data() < text.data() || t.data() + t.size() > text.data() + text.size()) {
      std::abort();
    }
    joined += t;
  }
  if (joined != expected) std::abort();
  std::vector<zhsenti::text::TaggedToken> tagged;
  seg.cut_pos(text, tagged);
  joined.clear();
  for (const auto& t : tagged) {
    if (t.word.empty() || t.tag.empty()) std::abort();
    joined += t.word;
  }
  if (joined != expected) std::abort();
  zhsenti::text::cut_chars(text, tokens);
  joined.clear();
  for (const auto t : tokens) joined += t;
  if (joined != expected) std::abort();
}

std::shared_ptr<const Segmenter> g_hmm;
std::shared_ptr<const Segmenter> g_plain;

}  // namespace

// Loading (a cache build on the first run) happens here, outside the per-input timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_hmm = load(true);
  g_plain = load(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Segmenter& hmm = *g_hmm;
  const Segmenter& plain = *g_plain;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const std::string valid = zhsenti::utf8::replace_invalid(raw);
  check(hmm, valid);
  check(plain, valid);
  check(hmm, raw);
  return 0;
}
