#pragma once
// Writes labelled examples in a format the readers read back identically:
//   tsv    header "label\ttext"; a field holding a tab, CR or LF, or starting with '"', is
//          quoted RFC 4180 style ("" for a quote), which the TSV reader honours
//   csv    header "label,text"; RFC 4180 quoting
//   jsonl  one {"label": ..., "text": ...} object per line

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/data/dataset.h"

namespace zhsenti::data {

std::string format_examples(const std::vector<Example>& examples, std::string_view format);
// The same in parts, for files written block by block: the header line ("" for jsonl), then
// rows appended to `out`.
std::string format_header(std::string_view format);
void append_rows(std::string& out, const std::vector<Example>& examples, std::string_view format);

// Atomic (core/atomic_file.h): the target is replaced only by a complete file.
void write_examples(const std::filesystem::path& path, const std::vector<Example>& examples,
                    std::string_view format);

// ".tsv", ".csv" or ".jsonl"; throws Error(kInvalidArgument) for other formats.
std::string format_extension(std::string_view format);

}  // namespace zhsenti::data
