#include "read_buffer.h"

#include <cerrno>
#include <cstring>

#include "zhsenti/core/error.h"

namespace zhsenti::embed {
namespace {
constexpr std::size_t kChunk = std::size_t{1} << 20;
}

ReadBuffer::ReadBuffer(const std::filesystem::path& path) : path_(path.string()) {
  if (path_ == "-") {
    file_ = stdin;
  } else {
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) throw_io_error(path_, "cannot open");
    owns_ = true;
  }
  data_.resize(kChunk);
}

ReadBuffer::~ReadBuffer() {
  if (owns_) std::fclose(file_);
}

void ReadBuffer::fill(std::size_t want) {
  if (end_ - pos_ >= want || eof_) return;
  if (pos_ > 0) {
    std::memmove(data_.data(), data_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (data_.size() < want) data_.resize(want);
  while (end_ < want && !eof_) {
    const std::size_t got = std::fread(data_.data() + end_, 1, data_.size() - end_, file_);
    end_ += got;
    if (got == 0) {
      if (std::ferror(file_)) throw_io_error(path_, "cannot read");
      eof_ = true;
    }
  }
}

bool ReadBuffer::read_line(std::string_view& line) {
  std::size_t scanned = 0;
  for (;;) {
    const char* begin = data_.data() + pos_;
    const auto* nl =
        static_cast<const char*>(std::memchr(begin + scanned, '\n', end_ - pos_ - scanned));
    if (nl != nullptr || eof_) {
      const std::size_t len = nl != nullptr ? static_cast<std::size_t>(nl - begin) : end_ - pos_;
      if (nl == nullptr && len == 0) return false;
      const std::size_t consumed = len + (nl != nullptr ? 1 : 0);
      line = std::string_view(begin, len);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos_ += consumed;
      offset_ += consumed;
      return true;
    }
    scanned = end_ - pos_;
    // A line longer than the buffer grows it; otherwise refill to a full chunk.
    fill(std::max(kChunk, scanned * 2));
  }
}

std::string_view ReadBuffer::peek(std::size_t n) {
  fill(n);
  return {data_.data() + pos_, std::min(n, end_ - pos_)};
}

bool ReadBuffer::read_exact(void* dst, std::size_t n) {
  while (n > 0) {
    if (pos_ == end_) fill(std::min(n, kChunk));
    if (pos_ == end_) return false;
    const std::size_t take = std::min(n, end_ - pos_);
    if (dst != nullptr) {
      std::memcpy(dst, data_.data() + pos_, take);
      dst = static_cast<char*>(dst) + take;
    }
    pos_ += take;
    offset_ += take;
    n -= take;
  }
  return true;
}

}  // namespace zhsenti::embed
