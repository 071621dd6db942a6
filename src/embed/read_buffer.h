#pragma once
// Buffered sequential reads from a file or stdin in fixed 1 MiB chunks: lines, bytes up to
// a delimiter, and exact byte counts, without ever holding more than a chunk (plus one
// over-long line) in memory.

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::embed {

class ReadBuffer {
 public:
  explicit ReadBuffer(const std::filesystem::path& path);
  ~ReadBuffer();
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;

  // The next line without its "\n" (and a trailing "\r"); false at the end of the input. The
  // view stays valid until the next call.
  bool read_line(std::string_view& line);
  // At least `n` bytes from the current position when the input has them (fewer at its end),
  // without consuming them.
  std::string_view peek(std::size_t n);
  // Copies exactly n bytes into dst (or skips them when dst is null); false if the input
  // ends first.
  bool read_exact(void* dst, std::size_t n);
  void skip(std::size_t n) {
    pos_ += n;
    offset_ += n;
  }
  // Bytes consumed so far.
  std::size_t offset() const { return offset_; }

 private:
  // Makes at least `want` unread bytes available if the input has them.
  void fill(std::size_t want);

  std::string path_;
  std::FILE* file_ = nullptr;
  bool owns_ = false;
  bool eof_ = false;
  std::vector<char> data_;
  std::size_t pos_ = 0, end_ = 0, offset_ = 0;
};

}  // namespace zhsenti::embed
