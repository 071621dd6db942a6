#include "py_literal.h"

#include <fmt/format.h>

#include <charconv>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text::detail {
namespace {

class Parser {
 public:
  Parser(std::string_view src, std::string_view path) : src_(src), path_(path) {}

  void seek(std::size_t pos) { pos_ = pos; }

  PyValue value() {
    skip_space();
    if (pos_ >= src_.size()) fail("unexpected end of file");
    const char c = src_[pos_];
    if (c == '{') return container('}', PyValue::Kind::kDict);
    if (c == '(') return container(')', PyValue::Kind::kTuple);
    if (c == '\'' || c == '"') return string_literal();
    if ((c == 'u' || c == 'U') && pos_ + 1 < src_.size() &&
        (src_[pos_ + 1] == '\'' || src_[pos_ + 1] == '"')) {
      ++pos_;
      return string_literal();
    }
    return number();
  }

  [[noreturn]] void fail(std::string_view what) const {
    std::size_t line = 1;
    for (std::size_t i = 0; i < pos_ && i < src_.size(); ++i) line += src_[i] == '\n';
    throw_parse_error(path_, line, fmt::format("in Python table: {}", what));
  }

 private:
  void skip_space() {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  // dict: {k: v, ...}; tuple: (a, b, ...). Trailing commas allowed, as in Python.
  PyValue container(char close, PyValue::Kind kind) {
    PyValue out;
    out.kind = kind;
    ++pos_;
    for (;;) {
      skip_space();
      if (pos_ >= src_.size()) fail("unterminated container");
      if (src_[pos_] == close) {
        ++pos_;
        return out;
      }
      out.items.push_back(value());
      skip_space();
      if (kind == PyValue::Kind::kDict) {
        if (pos_ >= src_.size() || src_[pos_] != ':') fail("expected ':' in dict");
        ++pos_;
        out.items.push_back(value());
        skip_space();
      }
      if (pos_ < src_.size() && src_[pos_] == ',') {
        ++pos_;
      } else if (pos_ >= src_.size() || src_[pos_] != close) {
        fail(fmt::format("expected ',' or '{}'", close));
      }
    }
  }

  std::uint32_t hex_digits(std::size_t n) {
    if (pos_ + n > src_.size()) fail("truncated escape");
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = src_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        fail("bad hex digit in escape");
      }
    }
    return v;
  }

  PyValue string_literal() {
    const char quote = src_[pos_++];
    PyValue out;
    out.kind = PyValue::Kind::kString;
    for (;;) {
      if (pos_ >= src_.size() || src_[pos_] == '\n') fail("unterminated string");
      const char c = src_[pos_++];
      if (c == quote) return out;
      if (c != '\\') {
        out.str.push_back(c);
        continue;
      }
      if (pos_ >= src_.size()) fail("unterminated string");
      const char e = src_[pos_++];
      char32_t cp = 0;
      switch (e) {
        case 'u':
          cp = hex_digits(4);
          break;
        case 'U':
          cp = hex_digits(8);
          break;
        case 'x':
          cp = hex_digits(2);
          break;
        case 'n':
          cp = '\n';
          break;
        case 'r':
          cp = '\r';
          break;
        case 't':
          cp = '\t';
          break;
        case '0':
          cp = 0;
          break;
        case '\\':
        case '\'':
        case '"':
          cp = static_cast<char32_t>(e);
          break;
        default:
          fail(fmt::format("unsupported escape '\\{}'", e));
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("escape is not a scalar value");
      utf8::append(out.str, cp);
    }
  }

  PyValue number() {
    bool negative = false;
    while (pos_ < src_.size() && (src_[pos_] == '-' || src_[pos_] == '+')) {
      negative ^= src_[pos_] == '-';
      ++pos_;
      skip_space();
    }
    PyValue out;
    const char* first = src_.data() + pos_;
    const char* last = src_.data() + src_.size();
    const auto [end, ec] = std::from_chars(first, last, out.number);
    if (ec != std::errc() || end == first) fail("expected a number, string, dict or tuple");
    pos_ += static_cast<std::size_t>(end - first);
    if (negative) out.number = -out.number;
    return out;
  }

  std::string_view src_;
  std::string_view path_;
  std::size_t pos_ = 0;
};

}  // namespace

PyValue parse_py_assignment(std::string_view source, std::string_view name, std::string_view path) {
  Parser parser(source, path);
  std::size_t line_start = 0;
  while (line_start < source.size()) {
    std::size_t line_end = source.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = source.size();
    std::string_view line = source.substr(line_start, line_end - line_start);
    if (line.starts_with(name)) {
      std::size_t i = name.size();
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] == '=' && (i + 1 >= line.size() || line[i + 1] != '=')) {
        parser.seek(line_start + i + 1);
        return parser.value();
      }
    }
    line_start = line_end + 1;
  }
  throw_parse_error(path, 0, fmt::format("no assignment to '{}' found", name));
}

PyValue load_py_table(const std::filesystem::path& path) {
  const std::string source = read_file(path);
  return parse_py_assignment(source, "P", path.string());
}

}  // namespace zhsenti::text::detail
