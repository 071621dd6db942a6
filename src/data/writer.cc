#include "zhsenti/data/writer.h"

#include <nlohmann/json.hpp>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"

namespace zhsenti::data {
namespace {

void append_quoted(std::string& out, std::string_view field) {
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_tsv_field(std::string& out, std::string_view field) {
  if (field.find_first_of("\t\r\n") != std::string_view::npos || field.starts_with('"')) {
    append_quoted(out, field);
  } else {
    out.append(field);
  }
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") != std::string_view::npos) {
    append_quoted(out, field);
  } else {
    out.append(field);
  }
}

}  // namespace

std::string format_extension(std::string_view format) {
  ZHSENTI_CHECK_ARG(format == "tsv" || format == "csv" || format == "jsonl",
                    "unknown output format '{}' (expected tsv, csv or jsonl)", format);
  return "." + std::string(format);
}

std::string format_header(std::string_view format) {
  format_extension(format);
  if (format == "jsonl") return "";
  return format == "tsv" ? "label\ttext\n" : "label,text\n";
}

void append_rows(std::string& out, const std::vector<Example>& examples, std::string_view format) {
  format_extension(format);
  if (format == "jsonl") {
    for (const auto& example : examples) {
      const nlohmann::ordered_json row = {{"label", example.label}, {"text", example.text}};
      out += row.dump();
      out.push_back('\n');
    }
    return;
  }
  const bool tsv = format == "tsv";
  const auto append = tsv ? append_tsv_field : append_csv_field;
  for (const auto& example : examples) {
    append(out, example.label);
    out.push_back(tsv ? '\t' : ',');
    append(out, example.text);
    out.push_back('\n');
  }
}

std::string format_examples(const std::vector<Example>& examples, std::string_view format) {
  std::string out = format_header(format);
  append_rows(out, examples, format);
  return out;
}

void write_examples(const std::filesystem::path& path, const std::vector<Example>& examples,
                    std::string_view format) {
  write_file_atomic(path, format_examples(examples, format));
}

}  // namespace zhsenti::data
