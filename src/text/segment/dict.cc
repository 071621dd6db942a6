#include "zhsenti/text/dict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "route.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

// bytes.strip() with no argument: ASCII whitespace only.
bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view strip_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// Iterates the lines of a file as Python's binary file iteration does (split after b'\n').
template <class Fn>
void for_each_line(std::string_view data, Fn fn) {
  std::size_t start = 0;
  std::size_t line = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    fn(data.substr(start, end - start), ++line);
    start = end + 1;
  }
}

// Python int() over an ASCII decimal string with an optional sign.
std::optional<std::int64_t> parse_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (kMaxFreq - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

// Does s match `( [0-9]+)?( [a-z]+)?$` exactly? Fills freq/tag when it does.
bool match_user_suffix(std::string_view s, std::string_view& freq, std::string_view& tag) {
  freq = {};
  tag = {};
  auto run = [&](std::size_t from, bool digits) {
    std::size_t i = from;
    while (i < s.size() && (digits ? (s[i] >= '0' && s[i] <= '9') : (s[i] >= 'a' && s[i] <= 'z')))
      ++i;
    return i;
  };
  std::size_t pos = 0;
  if (pos < s.size() && s[pos] == ' ') {
    const std::size_t end = run(pos + 1, true);
    if (end > pos + 1) {
      freq = s.substr(pos + 1, end - pos - 1);
      pos = end;
    }
  }
  if (pos < s.size() && s[pos] == ' ') {
    const std::size_t end = run(pos + 1, false);
    if (end > pos + 1) {
      tag = s.substr(pos + 1, end - pos - 1);
      pos = end;
    }
  }
  return pos == s.size();
}

// The FREQ-backed lexicon suggest_freq cuts with (slow and simple; load time only).
class MapLexicon {
 public:
  using Sym = char32_t;
  using Node = std::string;

  MapLexicon(const StringMap<std::int64_t>& freq, std::int64_t total)
      : freq_(freq), log_total_(std::log(static_cast<double>(total))) {}

  bool root(Sym c, Node& node) const {
    node.clear();
    utf8::append(node, c);
    return freq_.find(node) != freq_.end();
  }
  bool has_children(const Node&) const { return true; }
  void prefetch(Sym, Sym) const {}
  bool child(Node& node, Sym c) const {
    utf8::append(node, c);
    return freq_.find(node) != freq_.end();
  }
  double weight(const Node& node) const {
    const std::int64_t f = freq_.find(node)->second;
    return f == 0 ? detail::kNotAWord : std::log(static_cast<double>(f)) - log_total_;
  }
  double fallback_weight() const { return 0.0 - log_total_; }
  std::uint32_t id(const Node&) const { return 0; }

 private:
  const StringMap<std::int64_t>& freq_;
  double log_total_;
};

}  // namespace

std::optional<UserDictLine> parse_user_dict_line(std::string_view raw, std::string_view path,
                                                 std::size_t line) {
  std::string_view s = strip_ascii(raw);
  if (const auto bad = utf8::find_invalid(s)) {
    throw_parse_error(path, line, fmt::format("invalid UTF-8 at byte {}", *bad));
  }
  while (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  if (s.empty()) return std::nullopt;
  if (s.find('\t') != std::string_view::npos) {
    throw_parse_error(path, line,
                      "a tab in a user dictionary line; expected 'word [freq] [tag]' separated "
                      "by single spaces");
  }
  // (.+?) is lazy: the word is the shortest non-empty prefix whose remainder matches.
  std::size_t pos = 0;
  std::string_view freq;
  std::string_view tag;
  for (;;) {
    pos += utf8::sequence_length(static_cast<unsigned char>(s[pos]));
    if (match_user_suffix(s.substr(pos), freq, tag)) break;
  }
  UserDictLine out;
  out.word = std::string(s.substr(0, pos));
  if (!freq.empty()) {
    out.freq = parse_int(freq);
    if (!out.freq) {
      throw_parse_error(path, line,
                        fmt::format("frequency '{}' is above the limit {}", freq, kMaxFreq));
    }
  }
  out.tag = std::string(tag);
  return out;
}

void FreqTable::add_prefixes(std::string_view word) {
  std::size_t pos = 0;
  while (pos < word.size()) {
    pos += utf8::sequence_length(static_cast<unsigned char>(word[pos]));
    const std::string_view prefix = word.substr(0, std::min(pos, word.size()));
    if (freq_.find(prefix) == freq_.end()) freq_.emplace(prefix, 0);
  }
}

void FreqTable::load_main_dict(const std::filesystem::path& path) {
  const std::string data = read_file(path);
  const std::string name = path.string();
  freq_.reserve(freq_.size() + data.size() / 8);
  for_each_line(data, [&](std::string_view raw, std::size_t line) {
    const std::string_view s = strip_ascii(raw);
    if (const auto bad = utf8::find_invalid(s)) {
      throw_parse_error(name, line, fmt::format("invalid UTF-8 at byte {}", *bad));
    }
    // word, freq = line.split(' ')[:2]; int(freq)
    const std::size_t sp1 = s.find(' ');
    if (sp1 == std::string_view::npos) {
      throw_parse_error(
          name, line, fmt::format("invalid dictionary entry '{}': expected 'word freq [tag]'", s));
    }
    const std::size_t sp2 = s.find(' ', sp1 + 1);
    const std::string_view word = s.substr(0, sp1);
    const std::string_view freq_text =
        s.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1);
    const auto freq = parse_int(freq_text);
    if (!freq || *freq < 0) {
      throw_parse_error(name, line, fmt::format("invalid frequency '{}'", freq_text));
    }
    freq_.insert_or_assign(std::string(word), *freq);
    total_ += *freq;
    add_prefixes(word);
    // load_word_tag: `word, _, tag = line.split(" ")`, exactly three fields.
    if (sp2 != std::string_view::npos && s.find(' ', sp2 + 1) == std::string_view::npos) {
      tags_.insert_or_assign(std::string(word), std::string(s.substr(sp2 + 1)));
    }
  });
}

void FreqTable::load_user_dict(const std::filesystem::path& path) {
  load_user_dict_text(read_file(path), path.string());
}

void FreqTable::load_user_dict_text(std::string_view data, std::string_view name) {
  for_each_line(data, [&](std::string_view raw, std::size_t line) {
    if (auto entry = parse_user_dict_line(raw, name, line)) {
      add_word(entry->word, entry->freq, entry->tag);
    }
  });
}

void FreqTable::add_word(std::string_view word, std::optional<std::int64_t> freq,
                         std::string_view tag) {
  const std::int64_t f = freq ? *freq : suggest_freq(word);
  freq_.insert_or_assign(std::string(word), f);
  total_ += f;
  if (!tag.empty()) tags_.insert_or_assign(std::string(word), std::string(tag));
  add_prefixes(word);
  if (f == 0) force_split_.emplace(word);
}

std::optional<std::int64_t> FreqTable::freq(std::string_view word) const {
  const auto it = freq_.find(word);
  if (it == freq_.end()) return std::nullopt;
  return it->second;
}

std::int64_t FreqTable::suggest_freq(std::string_view word) const {
  const double ftotal = static_cast<double>(total_);
  double p = 1.0;
  for (const std::string& seg : cut_no_hmm(word)) {
    p *= static_cast<double>(freq(seg).value_or(1)) / ftotal;
  }
  const auto suggested = static_cast<std::int64_t>(p * ftotal) + 1;
  return std::max(suggested, freq(word).value_or(1));
}

std::vector<std::string> FreqTable::cut_no_hmm(std::string_view text) const {
  std::vector<char32_t> cps(text.size());
  std::vector<std::uint32_t> offs(text.size() + 1);
  cps.resize(detail::decode_offsets(text, cps.data(), offs.data()));
  const MapLexicon lex(freq_, total_);
  std::vector<detail::RouteStep> route(cps.size() + 1);
  std::vector<std::string> out;
  auto token = [&](std::size_t b, std::size_t e) {
    out.emplace_back(text.substr(offs[b], offs[e] - offs[b]));
  };
  detail::split_blocks(
      cps.data(), cps.size(), is_han_default,
      [&](std::size_t b, std::size_t e) {
        detail::calc_route(lex, cps.data() + b, e - b, route.data());
        detail::emit_route_no_hmm(cps.data() + b, e - b, route.data(),
                                  [&](std::size_t x, std::size_t y, bool) { token(b + x, b + y); });
      },
      [&](std::size_t b, std::size_t e, bool) { token(b, e); });
  return out;
}

}  // namespace zhsenti::text
