// CSV and TSV rows: the first non-blank record is the header.
//
// TSV quoting is decided per file. Raw TSV files (ChnSentiCorp) put texts that begin with a
// quote character on one line without quoting them, which RFC 4180 would read as a quoted
// field running across many lines. So quotes are honoured only when every quoted field in
// the file is well formed (as in files our writer produces); otherwise each line is one
// record and quotes are plain text. CSV always follows RFC 4180.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "delimited_parser.h"
#include "row_collector.h"
#include "zhsenti/core/error.h"

namespace zhsenti::data::detail {
namespace {

bool is_blank(const Record& record) {
  return record.fields.size() == 1 && record.fields[0].empty();
}

}  // namespace

void read_delimited(std::string_view content, char delimiter, const ReadOptions& options,
                    RowCollector& rows, std::string_view source) {
  const bool quoting = delimiter != '\t' || quotes_well_formed(content, delimiter);
  DelimitedParser parser(content, delimiter, quoting);
  Record record;
  std::string error;

  std::vector<std::string> header;
  std::size_t header_line = 0;
  for (;;) {
    const auto status = parser.next(record, error);
    if (status == DelimitedParser::Status::kEnd) {
      throw Error(ErrorCode::kFormat, location_message(source, 0, "empty file (no header)"));
    }
    if (status == DelimitedParser::Status::kMalformed) {
      throw_parse_error(source, record.line, "malformed header: " + error);
    }
    if (!is_blank(record)) break;
  }
  header = std::move(record.fields);
  header_line = record.line;
  for (auto& name : header) name = std::string(trim_label(name));
  const Columns columns = resolve_columns(header, options, source, header_line);

  for (;;) {
    const auto status = parser.next(record, error);
    if (status == DelimitedParser::Status::kEnd) break;
    if (status == DelimitedParser::Status::kMalformed) {
      rows.bad(record.line, error);
      continue;
    }
    if (is_blank(record)) continue;
    if (record.fields.size() != header.size()) {
      rows.bad(record.line, fmt::format("expected {} columns ({}), found {}", header.size(),
                                        fmt::join(header, ", "), record.fields.size()));
      continue;
    }
    const std::string_view label =
        columns.label ? std::string_view(record.fields[*columns.label]) : std::string_view();
    rows.add(std::move(record.fields[columns.text]), label, record.line);
  }
}

}  // namespace zhsenti::data::detail
