#pragma once
// Streaming reader and writer for word-vector files (formats in word_vectors.h).
//
// The reader holds one row at a time (a 1 MiB read buffer plus the row), so a 1 GB file is
// read in constant memory; a filter on the word skips the parsing of rows the caller does
// not want (e.g. words outside a model's vocabulary). Every malformed header or row is an
// Error(kParse) "path:line: what is wrong" (binary files: "path: vector N (byte B): ...").

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/embed/word_vectors.h"

namespace zhsenti {
class AtomicFileWriter;
class LineReader;
}

namespace zhsenti::embed {


struct VectorRow {
  std::string_view word;          // valid until the next call to next()
  std::span<const float> values;  // empty when the filter rejected the word
  std::size_t line = 0;           // text: 1-based line; binary: 1-based vector number
};

class VectorReader {
 public:
  // format: empty = detect. A header "count dim" means word2vec/fastText text, or word2vec
  // binary when the first row is not dim numbers; no header means GloVe. "-" is stdin.
  explicit VectorReader(std::filesystem::path path, std::optional<VectorFormat> format = {});
  ~VectorReader();
  VectorReader(const VectorReader&) = delete;
  VectorReader& operator=(const VectorReader&) = delete;

  VectorFormat format() const { return format_; }
  int dim() const { return dim_; }
  // Vectors announced by the header; -1 for GloVe (no header).
  std::int64_t declared_count() const { return declared_count_; }

  // Reads the next row into `row`, or returns false at the end of the file (after checking
  // that a header's count was met). When `want` returns false for the word, the values are
  // not parsed (text rows are still checked to hold dim fields).
  bool next(VectorRow& row, const std::function<bool(std::string_view)>& want = {});

 private:
  [[noreturn]] void fail(std::size_t line, std::string_view message) const;
  bool next_text(VectorRow& row, const std::function<bool(std::string_view)>& want);
  bool next_binary(VectorRow& row, const std::function<bool(std::string_view)>& want);
  void read_header(std::optional<VectorFormat> format);
  // Splits a text row into word and values; values are parsed only when `want` accepts.
  void parse_text_row(std::string_view line, const std::function<bool(std::string_view)>& want,
                      VectorRow& row);

  std::filesystem::path path_;
  std::unique_ptr<LineReader> buffer_;
  VectorFormat format_ = VectorFormat::kWord2VecText;
  int dim_ = 0;
  std::int64_t declared_count_ = -1;
  std::int64_t rows_ = 0;
  std::size_t line_ = 0;
  std::string pending_;  // GloVe: the first line, read to learn dim
  bool has_pending_ = false;
  std::string word_;
  std::vector<float> values_;
};

// Writes rows as they come (count must be known up front for the header formats); the file
// appears atomically at commit().
class VectorWriter {
 public:
  VectorWriter(std::filesystem::path path, VectorFormat format, std::size_t count, int dim);
  ~VectorWriter();
  VectorWriter(const VectorWriter&) = delete;
  VectorWriter& operator=(const VectorWriter&) = delete;

  void add(std::string_view word, std::span<const float> values);
  // Throws Error(kInvalidArgument) unless exactly `count` rows were added.
  void commit();

 private:
  std::filesystem::path path_;
  VectorFormat format_;
  std::size_t count_;
  int dim_;
  std::size_t added_ = 0;
  std::unique_ptr<AtomicFileWriter> out_;
  std::string row_;
};

// Whole-file conveniences. keep: empty = every row. Duplicate words keep the first row.
WordVectors load_vectors(const std::filesystem::path& path, std::optional<VectorFormat> format = {},
                         const std::function<bool(std::string_view)>& keep = {});
void save_vectors(const std::filesystem::path& path, const WordVectors& vectors,
                  VectorFormat format);

}  // namespace zhsenti::embed
