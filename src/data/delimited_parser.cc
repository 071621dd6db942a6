#include "delimited_parser.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/text/utf8.h"

namespace zhsenti::data::detail {
namespace {

// Line breaks in s: each \n, and each \r not followed by \n.
std::size_t count_line_breaks(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++n;
  }
  return n;
}

std::string describe_char(std::string_view s, std::size_t pos) {
  const std::size_t len = std::min(utf8::sequence_length(static_cast<unsigned char>(s[pos])),
                                   s.size() - pos);
  return fmt::format("'{}'", s.substr(pos, len));
}

}  // namespace

DelimitedParser::DelimitedParser(std::string_view content, char delimiter, bool quoting)
    : s_(content), delim_(delimiter), quoting_(quoting) {}

void DelimitedParser::skip_record_end() {
  if (pos_ >= s_.size()) return;
  if (s_[pos_] == '\r') {
    ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
  } else {
    ++pos_;  // '\n'
  }
  ++line_;
}

void DelimitedParser::resume_after_line(std::size_t start_pos, std::size_t start_line) {
  const std::size_t end = s_.find_first_of("\r\n", start_pos);
  pos_ = end == std::string_view::npos ? s_.size() : end;
  line_ = start_line;
  skip_record_end();
}

bool DelimitedParser::quoted_field(std::string& out, std::string& error) {
  const std::size_t open_line = line_;
  ++pos_;  // opening quote
  for (;;) {
    const std::size_t quote = s_.find('"', pos_);
    if (quote == std::string_view::npos) {
      error = fmt::format("unterminated quoted field (opened on line {})", open_line);
      return false;
    }
    const std::string_view chunk = s_.substr(pos_, quote - pos_);
    line_ += count_line_breaks(chunk);
    out.append(chunk);
    pos_ = quote + 1;
    if (pos_ < s_.size() && s_[pos_] == '"') {
      out.push_back('"');
      ++pos_;
      continue;
    }
    if (pos_ >= s_.size() || s_[pos_] == delim_ || s_[pos_] == '\n' || s_[pos_] == '\r') {
      return true;
    }
    error = fmt::format("unexpected character {} after the closing quote of a quoted field",
                        describe_char(s_, pos_));
    return false;
  }
}

DelimitedParser::Status DelimitedParser::next(Record& record, std::string& error) {
  record.fields.clear();
  if (pos_ >= s_.size()) return Status::kEnd;
  record.line = line_;
  const std::size_t start_pos = pos_;
  const std::size_t start_line = line_;
  const char stops[] = {delim_, '\n', '\r', '\0'};
  for (;;) {
    std::string field;
    if (quoting_ && pos_ < s_.size() && s_[pos_] == '"') {
      if (!quoted_field(field, error)) {
        resume_after_line(start_pos, start_line);
        return Status::kMalformed;
      }
    } else {
      std::size_t end = s_.find_first_of(std::string_view(stops, 3), pos_);
      if (end == std::string_view::npos) end = s_.size();
      field.assign(s_.substr(pos_, end - pos_));
      pos_ = end;
    }
    record.fields.push_back(std::move(field));
    if (pos_ < s_.size() && s_[pos_] == delim_) {
      ++pos_;
      continue;
    }
    skip_record_end();
    return Status::kRecord;
  }
}

bool quotes_well_formed(std::string_view content, char delimiter) {
  if (content.find('"') == std::string_view::npos) return true;
  DelimitedParser parser(content, delimiter, /*quoting=*/true);
  Record record;
  std::string error;
  for (;;) {
    switch (parser.next(record, error)) {
      case DelimitedParser::Status::kRecord: break;
      case DelimitedParser::Status::kMalformed: return false;
      case DelimitedParser::Status::kEnd: return true;
    }
  }
}

}  // namespace zhsenti::data::detail
