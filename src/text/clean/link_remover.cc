// remove_links: URLs, e-mail addresses, @mentions and Weibo repost chains in one scan.
// Decisions that look backwards (is "www." glued to a word, is '@' part of an address, does
// the poster have own text before "//@") read `out`, the text as it stands after earlier
// removals, so that rerunning the pass on its own output finds what those removals revealed.

#include <algorithm>
#include <cstring>
#include <string_view>

#include "clean_chars.h"
#include "clean_passes.h"

namespace zhsenti::text::detail {
namespace {

constexpr int kMaxNicknameUnits = 30;  // Weibo: 30 units, a CJK character counts two

bool iequals_prefix(std::string_view s, std::size_t pos, std::string_view lower_prefix) {
  if (s.size() - pos < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    const char c = s[pos + i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
    if (lower != lower_prefix[i]) return false;
  }
  return true;
}

// RFC 3986 characters minus brackets (they close Weibo emoji codes written right after a link).
bool is_url_char(unsigned char c) {
  if (c <= 0x20 || c >= 0x7F) return false;
  return std::strchr("\"<>\\^`{|}[]", c) == nullptr;
}

bool is_email_local(unsigned char c) {
  return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(unsigned char c) { return is_ascii_alnum(c) || c == '-' || c == '.'; }

// A character before "www." or "t.cn/" that makes it the tail of a longer token.
bool glues_to_link(unsigned char c) {
  return is_ascii_alnum(c) || c == '.' || c == '-' || c == '_' || c == '@' || c == '/';
}

// First characters of "http://", "https://", "ftp://", "www.", "t.cn/", "//t.cn/", "//www.".
bool may_start_url(unsigned char c) {
  const unsigned char lower = c | 0x20;
  return c == '/' || (c < 0x80 && (lower == 'h' || lower == 'f' || lower == 'w' || lower == 't'));
}

unsigned char last_byte(const std::string& s) {
  return s.empty() ? 0 : static_cast<unsigned char>(s.back());
}

std::size_t url_length(std::string_view s, std::size_t pos, unsigned char prev) {
  std::size_t body;
  if (s[pos] == '/') {
    // Protocol-relative, as Weibo often writes short links: "//t.cn/RceoAGq".
    if (iequals_prefix(s, pos, "//t.cn/")) {
      body = pos + 7;
    } else if (iequals_prefix(s, pos, "//www.")) {
      body = pos + 6;
    } else {
      return 0;
    }
  } else if (iequals_prefix(s, pos, "http://")) {
    body = pos + 7;
  } else if (iequals_prefix(s, pos, "https://")) {
    body = pos + 8;
  } else if (iequals_prefix(s, pos, "ftp://")) {
    body = pos + 6;
  } else if (iequals_prefix(s, pos, "www.") && !glues_to_link(prev)) {
    body = pos + 4;
    if (body >= s.size() || !is_ascii_alnum(static_cast<unsigned char>(s[body]))) return 0;
  } else if (iequals_prefix(s, pos, "t.cn/") && !glues_to_link(prev)) {
    body = pos + 5;
  } else {
    return 0;
  }
  std::size_t end = body;
  while (end < s.size() && is_url_char(static_cast<unsigned char>(s[end]))) ++end;
  // Trailing sentence punctuation is not part of the link; ')' is when the link opened one.
  const bool has_paren = s.substr(pos, end - pos).find('(') != std::string_view::npos;
  while (end > body) {
    const char t = s[end - 1];
    if (std::strchr(".,;:!?'\"*", t) == nullptr && (t != ')' || has_paren)) break;
    --end;
  }
  return end > body ? end - pos : 0;
}

// s[pos] == '@'. Length of "domain.tld" after it, or 0 when it is not an address domain.
std::size_t email_domain_length(std::string_view s, std::size_t pos) {
  const std::size_t begin = pos + 1;
  std::size_t end = begin;
  while (end < s.size() && is_domain_char(static_cast<unsigned char>(s[end]))) ++end;
  while (end > begin && (s[end - 1] == '.' || s[end - 1] == '-')) --end;
  const std::string_view domain = s.substr(begin, end - begin);
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || !is_ascii_alnum(static_cast<unsigned char>(domain[0])) ||
      domain.find("..") != std::string_view::npos) {
    return 0;
  }
  const std::string_view tld = domain.substr(dot + 1);
  const bool alpha_tld = tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                         });
  return alpha_tld ? domain.size() : 0;
}

// The local part of an address ending `out`.
std::size_t email_local_length(const std::string& out) {
  std::size_t n = 0;
  while (n < out.size() && is_email_local(static_cast<unsigned char>(out[out.size() - 1 - n]))) {
    ++n;
  }
  return n;
}

// '@' or full-width '＠' (when full-width folding is off).
std::size_t at_length(std::string_view s, std::size_t pos) {
  if (pos < s.size() && s[pos] == '@') return 1;
  return s.substr(pos, 3) == "\xEF\xBC\xA0" ? 3 : 0;
}

std::size_t colon_length(std::string_view s, std::size_t pos) {
  if (pos < s.size() && s[pos] == ':') return 1;
  return s.substr(pos, 3) == "\xEF\xBC\x9A" ? 3 : 0;
}

// Weibo links a nickname up to the first character outside CJK ideographs, ASCII letters,
// digits, '_' and '-'.
std::size_t nickname_length(std::string_view s, std::size_t pos) {
  std::size_t i = pos;
  int units = 0;
  while (i < s.size()) {
    char32_t cp;
    const std::size_t len = decode_valid(s, i, cp);
    const int w = is_cjk_ideograph(cp) ? 2 : (is_ascii_alnum(cp) || cp == '_' || cp == '-') ? 1 : 0;
    if (w == 0 || units + w > kMaxNicknameUnits) break;
    units += w;
    i += len;
  }
  return i - pos;
}

// A quick test with memchr/memmem that rejects most texts: every link has '@' (or '＠'),
// "//", or a '.' in "www." or "t.cn/".
bool may_contain_link(std::string_view s) {
  if (s.find('@') != std::string_view::npos || s.find("//") != std::string_view::npos ||
      s.find("\xEF\xBC\xA0") != std::string_view::npos) {
    return true;
  }
  for (std::size_t dot = s.find('.'); dot != std::string_view::npos; dot = s.find('.', dot + 1)) {
    if ((dot >= 3 && iequals_prefix(s, dot - 3, "www.")) ||
        (dot >= 1 && iequals_prefix(s, dot - 1, "t.cn/"))) {
      return true;
    }
  }
  return false;
}

class LinkScanner {
 public:
  LinkScanner(std::string_view in, std::string& out, const LinkOptions& options)
      : in_(in), out_(out), options_(options) {}

  bool run() {
    bool changed = false;
    while (i_ < in_.size()) {
      const auto c = static_cast<unsigned char>(in_[i_]);
      std::size_t len = 0;
      if (options_.urls && may_start_url(c)) {
        flush();
        len = url_length(in_, i_, last_byte(out_));
      }
      if (len == 0 && c == '/') {
        len = chain_marker();
        if (len == npos_) {  // the rest is someone else's text
          copied_ = i_ = in_.size();
          return true;
        }
      } else if (c == '@' || c == 0xEF) {
        len = address_or_mention();
      }
      if (len == 0) {
        ++i_;
        continue;
      }
      i_ += len;
      copied_ = i_;
      changed = true;
    }
    flush();
    return changed;
  }

 private:
  static constexpr std::size_t npos_ = std::string_view::npos;

  void flush() {
    out_.append(in_, copied_, i_ - copied_);
    copied_ = i_;
  }

  // "//@name:" at i_. Returns its length when it is to be removed, npos_ when the chain
  // starts here and everything from here on goes, 0 when it is no marker.
  std::size_t chain_marker() {
    if (!options_.repost_chains && !options_.mentions) return 0;
    if (in_.substr(i_, 2) != "//") return 0;
    const std::size_t at = at_length(in_, i_ + 2);
    if (at == 0) return 0;
    const std::size_t name = nickname_length(in_, i_ + 2 + at);
    if (name == 0) return 0;
    flush();
    if (last_byte(out_) == ':') return 0;  // "http://@…" with URL removal off
    if (options_.repost_chains && out_has_content()) return npos_;
    // No own text yet: the first reposted comment is the text; drop only the marker.
    const std::size_t len = 2 + at + name;
    return len + colon_length(in_, i_ + len);
  }

  std::size_t address_or_mention() {
    const std::size_t at = at_length(in_, i_);
    if (at == 0) return 0;
    flush();
    if (at == 1 && options_.emails) {
      const std::size_t local = email_local_length(out_);
      const std::size_t domain = local > 0 ? email_domain_length(in_, i_) : 0;
      if (domain > 0) {
        out_.resize(out_.size() - local);
        return 1 + domain;
      }
    }
    if (!options_.mentions || is_email_local(last_byte(out_))) return 0;
    const std::size_t name = nickname_length(in_, i_ + at);
    if (name == 0) return 0;
    return at + name + colon_length(in_, i_ + at + name);
  }

  // Whether out_ holds anything but whitespace. content_scan_ remembers the whitespace prefix
  // already seen, so repeated markers do not rescan it.
  bool out_has_content() {
    content_scan_ = std::min(content_scan_, out_.size());
    while (content_scan_ < out_.size()) {
      char32_t cp;
      const std::size_t len = decode_valid(out_, content_scan_, cp);
      if (!is_space(cp)) return true;
      content_scan_ += len;
    }
    return false;
  }

  std::string_view in_;
  std::string& out_;
  const LinkOptions& options_;
  std::size_t i_ = 0;
  std::size_t copied_ = 0;  // in_[copied_, i_) is still to be copied verbatim
  std::size_t content_scan_ = 0;
};

}  // namespace

bool remove_links(std::string_view in, std::string& out, const LinkOptions& options) {
  if (!options.any()) return false;
  if (!may_contain_link(in)) return false;
  out.reserve(in.size());
  return LinkScanner(in, out, options).run();
}

}  // namespace zhsenti::text::detail
