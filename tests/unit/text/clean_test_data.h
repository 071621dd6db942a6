#pragma once
// The shared public data sets for the cleaning and stop-word tests: $ZHSENTI_DATA, else
// <repo>/../shared/data.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "zhsenti/core/file.h"

namespace zhsenti::text::testing {

inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("ZHSENTI_DATA"); env != nullptr && *env != '\0') return env;
  return std::filesystem::path(ZHSENTI_SOURCE_DIR) / ".." / "shared" / "data";
}

// Lines of a data file without their line ends ("\n" or "\r\n"), header included.
inline std::vector<std::string> data_lines(const std::string& relative) {
  const std::string data = read_file(shared_data_dir() / relative);
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < data.size()) {
    std::size_t end = data.find('\n', begin);
    if (end == std::string::npos) end = data.size();
    std::size_t stop = end;
    if (stop > begin && data[stop - 1] == '\r') --stop;
    lines.emplace_back(data, begin, stop - begin);
    begin = end + 1;
  }
  return lines;
}

// Column text_a of a ChnSentiCorp split ("train", "dev", "test").
inline std::vector<std::string> chnsenticorp_texts(const std::string& split) {
  std::vector<std::string> texts;
  for (const std::string& line : data_lines("chnsenticorp/" + split + ".tsv")) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || line.compare(tab + 1, std::string::npos, "text_a") == 0)
      continue;
    texts.push_back(line.substr(tab + 1));
  }
  return texts;
}

}  // namespace zhsenti::text::testing
