#pragma once
// The lines of text already in memory (a whole file read at once), under the same line
// policy as LineReader (line_reader.h): a line ends at '\n', the last one may lack it; a
// UTF-8 byte-order mark at the start and the '\r' of a CRLF end are not part of any line.
// Line numbers count from 1 and include blank lines, so errors can name them.

#include <cstddef>
#include <string_view>

namespace zhsenti {

// Calls fn(line, line_no) for each line of text.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    fn(line, ++line_no);
  }
}

}  // namespace zhsenti
