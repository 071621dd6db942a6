#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::embed {
namespace {

static_assert(std::endian::native == std::endian::little,
              "word2vec binary files hold little-endian floats");

constexpr int kMaxDim = 1 << 16;
constexpr std::size_t kMaxWordBytes = 1 << 16;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r' && c != '\n';
}

// Next field of a row at or after `pos`; empty at the end.
std::string_view next_field(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && is_space(line[pos])) ++pos;
  const std::size_t start = pos;
  while (pos < line.size() && !is_space(line[pos])) ++pos;
  return line.substr(start, pos - start);
}

std::size_t count_fields(std::string_view line, std::size_t pos) {
  std::size_t n = 0;
  while (!next_field(line, pos).empty()) ++n;
  return n;
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string shorten(std::string_view s) {
  return s.size() <= 40 ? std::string(s) : std::string(s.substr(0, 40)) + "...";
}

// A header is exactly two non-negative integers "count dim".
bool parse_header(std::string_view line, std::int64_t& count, int& dim) {
  std::size_t pos = 0;
  const auto a = next_field(line, pos);
  const auto b = next_field(line, pos);
  if (a.empty() || b.empty() || !next_field(line, pos).empty()) return false;
  return parse_number(a, count) && parse_number(b, dim);
}

}  // namespace

VectorReader::VectorReader(std::filesystem::path path, std::optional<VectorFormat> format)
    : path_(std::move(path)), buffer_(std::make_unique<LineReader>(path_)) {
  read_header(format);
}

VectorReader::~VectorReader() = default;

void VectorReader::fail(std::size_t line, std::string_view message) const {
  if (format_ == VectorFormat::kWord2VecBinary && line > 0) {
    throw_parse_error(path_.string(), 0,
                      fmt::format("vector {} (byte {}): {}", line, buffer_->offset(), message));
  }
  throw_parse_error(path_.string(), line, message);
}

void VectorReader::read_header(std::optional<VectorFormat> format) {
  std::string_view first;
  if (!buffer_->read_line(first)) fail(0, "empty file, expected word vectors");
  line_ = 1;
  std::int64_t count = 0;
  int dim = 0;
  const bool header = parse_header(first, count, dim);
  if (format == VectorFormat::kGloveText || (!format && !header)) {
    // No header: the first row tells the dimension.
    format_ = VectorFormat::kGloveText;
    std::size_t pos = 0;
    const auto word = next_field(first, pos);
    const std::size_t n = count_fields(first, pos);
    if (word.empty() || n == 0)
      fail(1, "expected 'word v1 ... vN' (GloVe) or a header 'count dim'");
    if (n > static_cast<std::size_t>(kMaxDim))
      fail(1, fmt::format("{} values is more than the maximum dimension {}", n, kMaxDim));
    dim_ = static_cast<int>(n);
    pending_ = first;
    has_pending_ = true;
    return;
  }
  if (!header) {
    fail(1, fmt::format("expected a header 'count dim', got '{}'", shorten(first)));
  }
  if (count < 0) fail(1, fmt::format("header declares a negative vector count {}", count));
  if (dim < 1 || dim > kMaxDim) {
    fail(1, fmt::format("header dimension {} is outside [1, {}]", dim, kMaxDim));
  }
  declared_count_ = count;
  dim_ = dim;
  if (format) {
    format_ = *format;
    return;
  }
  if (path_.extension() == ".bin") {
    format_ = VectorFormat::kWord2VecBinary;
    return;
  }
  // Text when the first row reads as "word v1 ... vdim"; otherwise binary if it holds
  // control bytes (raw floats nearly always do), else text, so that a malformed text row is
  // reported as such.
  format_ = path_.extension() == ".vec" ? VectorFormat::kFastTextVec : VectorFormat::kWord2VecText;
  if (count == 0) return;
  const std::string_view ahead = buffer_->peek(kMaxWordBytes + static_cast<std::size_t>(dim) * 32);
  const std::string_view row = ahead.substr(0, ahead.find('\n'));
  std::size_t pos = 0;
  next_field(row, pos);
  bool text = count_fields(row, pos) == static_cast<std::size_t>(dim);
  if (text) {
    float v = 0;
    for (std::string_view f = next_field(row, pos); !f.empty(); f = next_field(row, pos)) {
      if (!parse_number(f, v)) {
        text = false;
        break;
      }
    }
  }
  const std::size_t word_end = ahead.find(' ');
  const std::string_view binary_row =
      word_end == std::string_view::npos
          ? ahead
          : ahead.substr(0, word_end + 1 + sizeof(float) * static_cast<std::size_t>(dim));
  if (!text && std::any_of(binary_row.begin(), binary_row.end(), is_control)) {
    format_ = VectorFormat::kWord2VecBinary;
  }
}

bool VectorReader::next(VectorRow& row, const std::function<bool(std::string_view)>& want) {
  const bool more =
      format_ == VectorFormat::kWord2VecBinary ? next_binary(row, want) : next_text(row, want);
  if (more) {
    ++rows_;
    return true;
  }
  if (declared_count_ >= 0 && rows_ != declared_count_) {
    fail(0, fmt::format("the header declares {} vectors but the file holds {} (truncated?)",
                        declared_count_, rows_));
  }
  return false;
}

void VectorReader::parse_text_row(std::string_view line,
                                  const std::function<bool(std::string_view)>& want,
                                  VectorRow& row) {
  std::size_t pos = 0;
  const std::string_view word = next_field(line, pos);
  row.line = line_;
  const std::size_t values_at = pos;
  const bool parse = !want || want(word);
  if (!parse) {
    const std::size_t n = count_fields(line, values_at);
    if (n != static_cast<std::size_t>(dim_)) {
      fail(line_, fmt::format("expected {} values after '{}', found {}", dim_, shorten(word), n));
    }
    word_.assign(word);
    row.word = word_;
    row.values = {};
    return;
  }
  values_.resize(static_cast<std::size_t>(dim_));
  std::size_t n = 0;
  for (std::string_view f = next_field(line, pos); !f.empty(); f = next_field(line, pos), ++n) {
    if (n >= values_.size()) {
      fail(line_, fmt::format("expected {} values after '{}', found {}", dim_, shorten(word),
                              count_fields(line, values_at)));
    }
    float& v = values_[n];
    if (!parse_number(f, v) || !std::isfinite(v)) {
      fail(line_, fmt::format("value {} of '{}' is not a finite number: '{}'", n + 1, shorten(word),
                              shorten(f)));
    }
  }
  if (n != values_.size()) {
    fail(line_, fmt::format("expected {} values after '{}', found {}", dim_, shorten(word), n));
  }
  word_.assign(word);
  row.word = word_;
  row.values = values_;
}

bool VectorReader::next_text(VectorRow& row, const std::function<bool(std::string_view)>& want) {
  if (has_pending_) {
    has_pending_ = false;
    parse_text_row(pending_, want, row);
    return true;
  }
  std::string_view line;
  for (;;) {
    if (!buffer_->read_line(line)) return false;
    ++line_;
    std::size_t pos = 0;
    if (!next_field(line, pos).empty()) break;
    // Blank lines (e.g. a trailing one) carry nothing; rows are never blank.
  }
  if (declared_count_ >= 0 && rows_ >= declared_count_) {
    fail(line_, fmt::format("more rows than the {} the header declares", declared_count_));
  }
  parse_text_row(line, want, row);
  return true;
}

bool VectorReader::next_binary(VectorRow& row, const std::function<bool(std::string_view)>& want) {
  // Writers put "\n" after each vector; some omit it.
  std::string_view ahead = buffer_->peek(1);
  while (!ahead.empty() && (ahead[0] == '\n' || ahead[0] == '\r')) {
    buffer_->skip(1);
    ahead = buffer_->peek(1);
  }
  if (ahead.empty()) return false;
  const std::size_t number = static_cast<std::size_t>(rows_) + 1;
  if (declared_count_ >= 0 && rows_ >= declared_count_) {
    fail(number, fmt::format("data after the {} vectors the header declares", declared_count_));
  }
  ahead = buffer_->peek(kMaxWordBytes + 1);
  const std::size_t space = ahead.find(' ');
  if (space == std::string_view::npos) {
    fail(number, ahead.size() <= kMaxWordBytes ? "file ends inside a word (truncated?)"
                                               : "no space after the word within 64 KiB "
                                                 "(not a word2vec binary file?)");
  }
  if (space == 0) fail(number, "empty word");
  word_.assign(ahead.substr(0, space));
  buffer_->skip(space + 1);
  row.word = word_;
  row.line = number;
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(dim_);
  if (want && !want(row.word)) {
    if (!buffer_->read_exact(nullptr, bytes))
      fail(number, "file ends inside a vector (truncated?)");
    row.values = {};
    return true;
  }
  values_.resize(static_cast<std::size_t>(dim_));
  if (!buffer_->read_exact(values_.data(), bytes)) {
    fail(number, "file ends inside a vector (truncated?)");
  }
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (!std::isfinite(values_[i])) {
      fail(number, fmt::format("value {} of '{}' is not finite", i + 1, shorten(row.word)));
    }
  }
  row.values = values_;
  return true;
}

WordVectors load_vectors(const std::filesystem::path& path, std::optional<VectorFormat> format,
                         const std::function<bool(std::string_view)>& keep) {
  VectorReader reader(path, format);
  WordVectors out;
  out.dim = reader.dim();
  std::unordered_map<std::string, bool> seen;
  VectorRow row;
  while (reader.next(row, keep)) {
    if (row.values.empty()) continue;
    if (!seen.emplace(std::string(row.word), true).second) continue;
    out.words.emplace_back(row.word);
    out.values.insert(out.values.end(), row.values.begin(), row.values.end());
  }
  return out;
}

}  // namespace zhsenti::embed
