// strip_html: a scanner, not a parser. Only tags whose name is a known HTML element are
// markup; everything else in angle brackets is text (book titles <沉思录>, "<3", "a<b").

#include <algorithm>
#include <iterator>
#include <string_view>

#include "clean_chars.h"
#include "clean_passes.h"
#include "html_entities.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text::detail {
namespace {

enum class TagKind { kInline, kBlock, kRaw };

struct KnownTag {
  std::string_view name;
  TagKind kind;
};

// Sorted by name. kBlock tags separate words, so they become a space; kRaw tags (script,
// style) take their content with them.
constexpr KnownTag kKnownTags[] = {
    {"a", TagKind::kInline},         {"abbr", TagKind::kInline},   {"address", TagKind::kBlock},
    {"area", TagKind::kInline},      {"article", TagKind::kBlock}, {"aside", TagKind::kBlock},
    {"audio", TagKind::kInline},     {"b", TagKind::kInline},      {"big", TagKind::kInline},
    {"blockquote", TagKind::kBlock}, {"body", TagKind::kBlock},    {"br", TagKind::kBlock},
    {"button", TagKind::kInline},    {"caption", TagKind::kBlock}, {"center", TagKind::kBlock},
    {"cite", TagKind::kInline},      {"code", TagKind::kInline},   {"col", TagKind::kInline},
    {"colgroup", TagKind::kInline},  {"dd", TagKind::kBlock},      {"del", TagKind::kInline},
    {"div", TagKind::kBlock},        {"dl", TagKind::kBlock},      {"dt", TagKind::kBlock},
    {"em", TagKind::kInline},        {"embed", TagKind::kInline},  {"figcaption", TagKind::kBlock},
    {"figure", TagKind::kBlock},     {"font", TagKind::kInline},   {"footer", TagKind::kBlock},
    {"form", TagKind::kBlock},       {"h1", TagKind::kBlock},      {"h2", TagKind::kBlock},
    {"h3", TagKind::kBlock},         {"h4", TagKind::kBlock},      {"h5", TagKind::kBlock},
    {"h6", TagKind::kBlock},         {"head", TagKind::kBlock},    {"header", TagKind::kBlock},
    {"hr", TagKind::kBlock},         {"html", TagKind::kBlock},    {"i", TagKind::kInline},
    {"iframe", TagKind::kBlock},     {"img", TagKind::kInline},    {"input", TagKind::kInline},
    {"ins", TagKind::kInline},       {"kbd", TagKind::kInline},    {"label", TagKind::kInline},
    {"li", TagKind::kBlock},         {"link", TagKind::kInline},   {"main", TagKind::kBlock},
    {"mark", TagKind::kInline},      {"meta", TagKind::kInline},   {"nav", TagKind::kBlock},
    {"noscript", TagKind::kBlock},   {"object", TagKind::kInline}, {"ol", TagKind::kBlock},
    {"option", TagKind::kBlock},     {"p", TagKind::kBlock},       {"param", TagKind::kInline},
    {"pre", TagKind::kBlock},        {"q", TagKind::kInline},      {"s", TagKind::kInline},
    {"samp", TagKind::kInline},      {"script", TagKind::kRaw},    {"section", TagKind::kBlock},
    {"select", TagKind::kBlock},     {"small", TagKind::kInline},  {"source", TagKind::kInline},
    {"span", TagKind::kInline},      {"strike", TagKind::kInline}, {"strong", TagKind::kInline},
    {"style", TagKind::kRaw},        {"sub", TagKind::kInline},    {"sup", TagKind::kInline},
    {"table", TagKind::kBlock},      {"tbody", TagKind::kBlock},   {"td", TagKind::kBlock},
    {"textarea", TagKind::kBlock},   {"tfoot", TagKind::kBlock},   {"th", TagKind::kBlock},
    {"thead", TagKind::kBlock},      {"time", TagKind::kInline},   {"title", TagKind::kBlock},
    {"tr", TagKind::kBlock},         {"tt", TagKind::kInline},     {"u", TagKind::kInline},
    {"ul", TagKind::kBlock},         {"var", TagKind::kInline},    {"video", TagKind::kInline},
    {"wbr", TagKind::kInline},
};
constexpr std::size_t kMaxTagName = 10;  // "blockquote", "figcaption"

const KnownTag* find_tag(std::string_view name) {
  char lower[kMaxTagName];
  if (name.size() > kMaxTagName) return nullptr;
  for (std::size_t i = 0; i < name.size(); ++i) lower[i] = static_cast<char>(name[i] | 0x20);
  const std::string_view key(lower, name.size());
  const auto it =
      std::lower_bound(std::begin(kKnownTags), std::end(kKnownTags), key,
                       [](const KnownTag& t, std::string_view k) { return t.name < k; });
  return it != std::end(kKnownTags) && it->name == key ? &*it : nullptr;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool iequals_prefix(std::string_view s, std::size_t pos, std::string_view lower_prefix) {
  if (s.size() - pos < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if ((s[pos + i] | 0x20) != lower_prefix[i]) return false;
  }
  return true;
}

// Searches that failed once fail for the rest of the text; remembering that keeps the scan
// linear on inputs like "<b <b <b ..." with no '>'.
class Markup {
 public:
  explicit Markup(std::string_view s) : s_(s) {}

  // Length of the comment, doctype, processing instruction or known tag at s[pos] == '<'
  // (0 if none); block is set when it should leave a space.
  std::size_t match(std::size_t pos, bool& block) {
    block = false;
    if (s_.substr(pos, 4) == "<!--") return comment(pos);
    std::size_t i = pos + 1;
    if (i < s_.size() && (s_[i] == '!' || s_[i] == '?')) {
      return i + 1 < s_.size() && is_alpha(s_[i + 1]) ? to_gt(pos, i + 1) : 0;
    }
    const bool closing = i < s_.size() && s_[i] == '/';
    if (closing) ++i;
    const std::size_t name_begin = i;
    if (i >= s_.size() || !is_alpha(s_[i])) return 0;
    while (i < s_.size() && is_ascii_alnum(static_cast<unsigned char>(s_[i]))) ++i;
    if (i >= s_.size()) return 0;
    const char after = s_[i];
    if (after != '>' && after != '/' && after != ' ' && (after < '\t' || after > '\r')) return 0;
    const KnownTag* tag = find_tag(s_.substr(name_begin, i - name_begin));
    if (tag == nullptr) return 0;
    const std::size_t len = to_gt(pos, i);
    if (len == 0) return 0;
    block = tag->kind == TagKind::kBlock;
    if (tag->kind == TagKind::kRaw && !closing && s_[pos + len - 2] != '/') {
      return raw_content(pos, len, tag->name);
    }
    return len;
  }

 private:
  std::size_t to_gt(std::size_t pos, std::size_t from) {
    if (no_gt_) return 0;
    if (gt_ == std::string_view::npos || gt_ < from) {
      gt_ = s_.find('>', from);
      if (gt_ == std::string_view::npos) {
        no_gt_ = true;
        return 0;
      }
    }
    return gt_ + 1 - pos;
  }

  std::size_t comment(std::size_t pos) {
    if (no_comment_end_) return 0;
    const std::size_t end = s_.find("-->", pos + 4);
    if (end == std::string_view::npos) {
      no_comment_end_ = true;
      return 0;
    }
    return end + 3 - pos;
  }

  // <script>…</script>: the content goes with the tags. Unterminated: only the open tag goes.
  std::size_t raw_content(std::size_t pos, std::size_t open_len, std::string_view name) {
    bool& no_end = name == "script" ? no_script_end_ : no_style_end_;
    if (no_end) return open_len;
    std::size_t i = pos + open_len;
    while ((i = s_.find("</", i)) != std::string_view::npos) {
      if (iequals_prefix(s_, i + 2, name)) {
        const std::size_t gt = s_.find('>', i + 2 + name.size());
        if (gt == std::string_view::npos) break;
        return gt + 1 - pos;
      }
      i += 2;
    }
    no_end = true;
    return open_len;
  }

  std::string_view s_;
  std::size_t gt_ = std::string_view::npos;
  bool no_gt_ = false;
  bool no_comment_end_ = false;
  bool no_script_end_ = false;
  bool no_style_end_ = false;
};

}  // namespace

bool strip_html(std::string_view in, std::string& out) {
  // Two memchr scans reject the common text without markup faster than one byte loop.
  const std::size_t lt = in.find('<');
  const std::size_t amp = in.find('&');
  if (lt == std::string_view::npos && amp == std::string_view::npos) return false;
  std::size_t i = std::min(lt, amp);
  out.reserve(in.size());
  Markup markup(in);
  std::size_t copied = 0;  // in[copied, i) is still to be copied verbatim
  bool changed = false;
  for (; i != std::string_view::npos; i = find_any(in, i, "<&")) {
    std::size_t len;
    char32_t decoded = kNoChar;
    bool block = false;
    if (in[i] == '&') {
      len = decode_entity(in, i, decoded);
    } else {
      len = markup.match(i, block);
    }
    if (len == 0) {
      ++i;
      continue;
    }
    out.append(in, copied, i - copied);
    if (decoded != kNoChar) utf8::append(out, decoded);
    if (block) out.push_back(' ');
    i += len;
    copied = i;
    changed = true;
  }
  out.append(in, copied);
  return changed;
}

}  // namespace zhsenti::text::detail
