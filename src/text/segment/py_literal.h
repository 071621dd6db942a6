#pragma once
// A reader for the Python literals jieba ships its HMM tables in (finalseg/prob_*.py,
// posseg/*.py): `P = {...}` built from dicts, tuples, str literals with \uXXXX escapes and
// float literals. Parsing them here means no Python is needed at run time.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::text::detail {

struct PyValue {
  enum class Kind { kNumber, kString, kTuple, kDict };
  Kind kind = Kind::kNumber;
  double number = 0.0;
  std::string str;             // UTF-8
  std::vector<PyValue> items;  // tuple elements, or dict keys and values alternating
};

// Parses the value assigned to `P` in a module's source text. Throws Error(kParse) naming
// `path` and the line of the problem.
PyValue parse_py_assignment(std::string_view source, std::string_view name, std::string_view path);

// Reads the file and parses `P = ...`.
PyValue load_py_table(const std::filesystem::path& path);

}  // namespace zhsenti::text::detail
