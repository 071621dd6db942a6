#pragma once
// Record tokenizer for CSV and TSV text (RFC 4180 quoting with a configurable delimiter).
//
// Record ends are \n, \r\n or a lone \r. A field that starts with '"' is quoted: it may hold
// delimiters and line breaks, '""' stands for one quote, and the closing quote must be
// followed by the delimiter or a record end. A quote inside an unquoted field is an ordinary
// character. With quoting off every physical line is one record and quotes mean nothing.
//
// A malformed record (an unterminated quote, a character after a closing quote) is reported
// with the line it starts on; parsing resumes at the line after that start line, so one bad
// quote costs at most the lines it really spans.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::data::detail {

struct Record {
  std::size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

class DelimitedParser {
 public:
  enum class Status { kRecord, kMalformed, kEnd };

  DelimitedParser(std::string_view content, char delimiter, bool quoting);

  // kRecord: `record` holds the next record (a blank line is a record with one empty field).
  // kMalformed: `record.line` and `error` describe the bad record; call next() to go on.
  Status next(Record& record, std::string& error);

 private:
  // Parses a quoted field starting at pos_ (on the opening quote). Returns false with
  // `error` set when it is malformed.
  bool quoted_field(std::string& out, std::string& error);
  void skip_record_end();
  void resume_after_line(std::size_t start_pos, std::size_t start_line);

  std::string_view s_;
  char delim_;
  bool quoting_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// True when every quoted field in `content` is well formed (no unterminated quote, nothing
// but a delimiter or record end after a closing quote).
bool quotes_well_formed(std::string_view content, char delimiter);

}  // namespace zhsenti::data::detail
