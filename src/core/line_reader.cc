#include "zhsenti/core/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti {
namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The '\r' of a CRLF line end (also on a last line without '\n').
std::string_view without_cr(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

LineReader::LineReader(const std::filesystem::path& path)
    : name_(path == "-" ? "<stdin>" : path.string()) {
  owned_ = path != "-";
  fd_ = owned_ ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
  if (fd_ < 0) throw_io_error(name_, "cannot open");
  struct stat st {};
  if (owned_ && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    size_ = static_cast<std::uint64_t>(st.st_size);
  }
  data_.resize(kChunk);
}

LineReader::~LineReader() {
  if (owned_) ::close(fd_);
}

void LineReader::fill(std::size_t want, bool greedy) {
  if (end_ - pos_ >= want || eof_) return;
  if (pos_ > 0) {
    std::memmove(data_.data(), data_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (data_.size() < want) data_.resize(want);
  while (end_ < want && !eof_) {
    const std::size_t got = read_fd(fd_, data_.data() + end_, data_.size() - end_, name_);
    end_ += got;
    eof_ = got == 0;
    if (!greedy) break;
  }
}

void LineReader::skip_bom() {
  at_start_ = false;
  fill(kBom.size());
  if (std::string_view(data_.data() + pos_, end_ - pos_).starts_with(kBom)) skip(kBom.size());
}

std::string_view LineReader::take_line(std::size_t len, bool has_newline) {
  const std::string_view line(data_.data() + pos_, len);
  skip(len + (has_newline ? 1 : 0));
  return without_cr(line);
}

bool LineReader::read_line(std::string_view& line) {
  if (at_start_) skip_bom();
  std::size_t scanned = 0;
  for (;;) {
    const char* begin = data_.data() + pos_;
    const auto* nl =
        static_cast<const char*>(std::memchr(begin + scanned, '\n', end_ - pos_ - scanned));
    if (nl != nullptr) {
      line = take_line(static_cast<std::size_t>(nl - begin), true);
      return true;
    }
    if (eof_) {
      if (end_ == pos_) return false;
      line = take_line(end_ - pos_, false);
      return true;
    }
    scanned = end_ - pos_;
    // A line longer than the buffer grows it. One read is enough: a pipe fed a line at a
    // time (an interactive predict) gets each line's answer without waiting for a chunk.
    fill(std::max(kChunk, scanned * 2), /*greedy=*/false);
  }
}

std::size_t LineReader::read_lines(std::vector<std::string_view>& lines,
                                   std::size_t batch_bytes) {
  const std::uint64_t start_offset = offset_;
  if (at_start_) skip_bom();
  lines.clear();
  batch_bytes = std::max<std::size_t>(batch_bytes, 1);
  // The batch ends at the last '\n' within its first batch_bytes; when the first line is
  // longer than that, at that line's end. Its lines are views into the buffer, so the buffer
  // holds the whole batch.
  std::size_t span = 0, scanned = 0;
  for (;;) {
    const char* begin = data_.data() + pos_;
    const std::size_t avail = end_ - pos_;
    if (avail >= batch_bytes || eof_) {
      const std::size_t window = std::min(avail, batch_bytes);
      if (const void* nl = ::memrchr(begin, '\n', window)) {
        span = static_cast<std::size_t>(static_cast<const char*>(nl) - begin) + 1;
        break;
      }
      scanned = std::max(scanned, window);
      if (const void* nl = std::memchr(begin + scanned, '\n', avail - scanned)) {
        span = static_cast<std::size_t>(static_cast<const char*>(nl) - begin) + 1;
        break;
      }
      scanned = avail;
      if (eof_) {
        span = avail;
        break;
      }
    }
    fill(std::max({kChunk, batch_bytes, avail * 2}));  // offsets from pos_ stay valid
  }
  if (span == 0) return 0;
  const std::size_t start = pos_;
  std::size_t at = start;
  while (at < start + span) {
    const auto* nl =
        static_cast<const char*>(std::memchr(data_.data() + at, '\n', start + span - at));
    const std::size_t stop =
        nl != nullptr ? static_cast<std::size_t>(nl - data_.data()) : start + span;
    lines.push_back(without_cr(std::string_view(data_.data() + at, stop - at)));
    at = stop + 1;
  }
  skip(span);
  return static_cast<std::size_t>(offset_ - start_offset);
}

std::string_view LineReader::peek(std::size_t n) {
  if (at_start_) skip_bom();
  fill(n);
  return {data_.data() + pos_, std::min(n, end_ - pos_)};
}

bool LineReader::read_exact(void* dst, std::size_t n) {
  if (at_start_) skip_bom();
  while (n > 0) {
    if (pos_ == end_) fill(std::min(n, kChunk));
    if (pos_ == end_) return false;
    const std::size_t take = std::min(n, end_ - pos_);
    if (dst != nullptr) {
      std::memcpy(dst, data_.data() + pos_, take);
      dst = static_cast<char*>(dst) + take;
    }
    skip(take);
    n -= take;
  }
  return true;
}

void LineReader::skip(std::size_t n) {
  pos_ += n;
  offset_ += n;
}

}  // namespace zhsenti
