#pragma once
// The one streaming reader of text input (a file, or "-" for stdin): line by line or in
// batches of complete lines, and, for binary formats that mix lines with raw bytes (word2vec
// .bin), peek/read_exact. Memory is one chunk plus the longest line; a read interrupted by
// a signal (EINTR) is retried here, so no caller loops on it.
//
// Line policy, the same for every command: a line ends at '\n' (the last line may lack it).
// A '\r' ending a line (CRLF files) and a UTF-8 byte-order mark at the very start of the
// input are line-end and encoding marks, not text: no line contains them.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti {

class LineReader {
 public:
  // Throws Error(kIo) naming the path if it cannot be opened.
  explicit LineReader(const std::filesystem::path& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The path, or "<stdin>": what error messages call the input.
  const std::string& name() const { return name_; }
  // Size of a regular file (for progress); 0 when unknown (a pipe, stdin).
  std::uint64_t size() const { return size_; }

  // The next line; false at the end of the input. The view stays valid until the next call.
  bool read_line(std::string_view& line);
  // Complete lines of at most `batch_bytes` together (or one longer line) as views valid
  // until the next call. Returns the input bytes consumed (a byte-order mark included, so
  // the sum is the input's size), 0 at the end.
  std::size_t read_lines(std::vector<std::string_view>& lines, std::size_t batch_bytes);

  // At least `n` bytes from the current position when the input has them (fewer at its
  // end), without consuming them.
  std::string_view peek(std::size_t n);
  // Copies exactly n bytes into dst (or skips them when dst is null); false if the input
  // ends first.
  bool read_exact(void* dst, std::size_t n);
  // Consumes n bytes that peek() made available.
  void skip(std::size_t n);
  // Bytes consumed so far (the byte-order mark included).
  std::uint64_t offset() const { return offset_; }

 private:
  // Makes at least `want` unread bytes available if the input has them; not greedy: after
  // the first read that returns data.
  void fill(std::size_t want, bool greedy = true);
  void skip_bom();
  // Cuts the line [pos_, pos_ + len) (its '\n' at pos_ + len, if any) and consumes it.
  std::string_view take_line(std::size_t len, bool has_newline);

  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
  bool eof_ = false;
  bool at_start_ = true;
  std::uint64_t size_ = 0;
  std::vector<char> data_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace zhsenti
