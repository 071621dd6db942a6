#include "zhsenti/data/dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>

#include "row_collector.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::data {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

char first_non_space(std::string_view content) {
  const std::size_t pos = content.find_first_not_of(" \t\r\n");
  return pos == std::string_view::npos ? '\0' : content[pos];
}

// JSON by its first character, else TSV when the first line has a tab, CSV when it has a
// comma, and TSV otherwise (a one-column file is valid TSV).
std::string sniff_format(std::string_view content) {
  const char first = first_non_space(content);
  if (first == '[') return "json";
  if (first == '{') return "jsonl";
  const std::string_view line = content.substr(0, content.find_first_of("\r\n"));
  if (line.find('\t') != std::string_view::npos) return "tsv";
  if (line.find(',') != std::string_view::npos) return "csv";
  return "tsv";
}

std::string choose_format(std::string_view content, std::string_view source,
                          const ReadOptions& options) {
  if (!options.format.empty()) {
    const std::string format = lower_ascii(options.format);
    ZHSENTI_CHECK_ARG(format == "tsv" || format == "csv" || format == "jsonl" || format == "json",
                      "unknown data format '{}' (expected tsv, csv, jsonl or json)", options.format);
    return format;
  }
  const std::string ext = lower_ascii(fs::path(source).extension().string());
  if (ext == ".tsv") return "tsv";
  if (ext == ".csv") return "csv";
  if (ext == ".jsonl" || ext == ".ndjson") return "jsonl";
  if (ext == ".json") return first_non_space(content) == '[' ? "json" : "jsonl";
  return sniff_format(content);
}

void validate_utf8(std::string_view content, std::string_view source, std::size_t bom_bytes) {
  const auto bad = utf8::find_invalid(content);
  if (!bad) return;
  const std::string_view before = content.substr(0, *bad);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column = *bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  throw_parse_error(source, line,
                    fmt::format("invalid UTF-8 at byte offset {} (column {}, byte 0x{:02X}); data "
                                "files must be UTF-8 (convert GBK with iconv -f GBK -t UTF-8)",
                                *bad + bom_bytes, column,
                                static_cast<unsigned>(static_cast<unsigned char>(content[*bad]))));
}

}  // namespace

bool is_integer_label(std::string_view label) {
  long long value = 0;
  const char* begin = label.data();
  const char* end = label.data() + label.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end) return false;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  return ec == std::errc() && ptr == end;
}

std::vector<std::string> Dataset::labels() const {
  std::set<std::string_view> unique;
  for (const auto& example : examples) {
    if (!example.label.empty()) unique.insert(example.label);
  }
  std::vector<std::string> out(unique.begin(), unique.end());
  const auto integer_value = [](const std::string& s) {
    long long value = 0;
    std::from_chars(s.data() + (s.front() == '+' ? 1 : 0), s.data() + s.size(), value);
    return value;
  };
  std::stable_sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    const bool ia = is_integer_label(a);
    const bool ib = is_integer_label(b);
    if (ia != ib) return ia;
    if (ia) {
      const long long va = integer_value(a);
      const long long vb = integer_value(b);
      return va != vb ? va < vb : a < b;
    }
    return a < b;
  });
  return out;
}

Dataset read_dataset_from_string(std::string_view content, std::string_view source,
                                 const ReadOptions& options) {
  Dataset dataset;
  dataset.source = std::string(source);
  std::size_t bom_bytes = 0;
  if (content.starts_with(kBom)) {
    content.remove_prefix(kBom.size());
    bom_bytes = kBom.size();
  }
  if (first_non_space(content) == '\0') {
    throw Error(ErrorCode::kFormat, location_message(source, 0, "empty file (no header, no rows)"));
  }
  validate_utf8(content, source, bom_bytes);
  dataset.format = choose_format(content, source, options);

  detail::RowCollector rows(dataset, options);
  if (dataset.format == "tsv") {
    detail::read_delimited(content, '\t', options, rows, source);
  } else if (dataset.format == "csv") {
    detail::read_delimited(content, ',', options, rows, source);
  } else if (dataset.format == "jsonl") {
    detail::read_jsonl(content, options, rows, source);
  } else {
    detail::read_json_array(content, options, rows, source);
  }

  if (dataset.examples.empty()) {
    if (dataset.skipped.empty()) {
      const bool delimited = dataset.format == "tsv" || dataset.format == "csv";
      throw Error(ErrorCode::kFormat,
                  location_message(source, 0, delimited ? "no data rows (only a header)"
                                                        : "no data rows"));
    }
    const BadRow& first = dataset.skipped.front();
    throw Error(ErrorCode::kFormat,
                location_message(source, 0,
                                 fmt::format("no valid rows: all {} rows were bad (first, line "
                                             "{}: {})",
                                             dataset.skipped.size(), first.line, first.reason)));
  }
  return dataset;
}

Dataset read_dataset(const fs::path& path, const ReadOptions& options) {
  const std::string content = read_file(path);
  return read_dataset_from_string(content, path == "-" ? "<stdin>" : path.string(), options);
}

fs::path data_root() {
  if (const char* env = std::getenv("ZHSENTI_DATA"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path shared = fs::path("..") / "shared" / "data";
  if (fs::is_directory(shared, ec)) return shared;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "zhsenti" / "data";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr && *home != '\0' ? home : ".") / ".cache" / "zhsenti" / "data";
}

}  // namespace zhsenti::data
