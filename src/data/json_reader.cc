// JSONL (one object per line) and a JSON array of objects.
//
// The array is cut into elements by a bracket scanner first, so that each element can be
// parsed on its own: a bad element is one bad row with the line it starts on, not a failure
// of the whole file. Columns are the keys of the first object.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "row_collector.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/lines.h"

namespace zhsenti::data::detail {
namespace {

using Json = nlohmann::ordered_json;

std::string json_error_text(const std::exception& e) {
  // nlohmann messages start with "[json.exception.parse_error.101] "; the id adds nothing.
  std::string_view what = e.what();
  if (!what.empty() && what.front() == '[') {
    const std::size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  return std::string(what);
}

// A data row is a flat object; deeper nesting is refused before parsing, because copying or
// printing a deeply nested value recurses once per level (a crafted line could overflow the
// stack).
constexpr std::size_t kMaxDepth = 64;

std::size_t nesting_depth(std::string_view s) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Parses one row's JSON; returns false with `error` set when it is not usable.
bool parse_row(std::string_view text, Json& value, std::string& error) {
  if (nesting_depth(text) > kMaxDepth) {
    error = fmt::format("JSON nested deeper than {} levels", kMaxDepth);
    return false;
  }
  try {
    value = Json::parse(text);
  } catch (const Json::exception& e) {
    error = "invalid JSON: " + json_error_text(e);
    return false;
  }
  return true;
}

// Turns objects into rows once the columns are known from the first object.
class ObjectRows {
 public:
  ObjectRows(const ReadOptions& options, RowCollector& rows, std::string_view source)
      : options_(options), rows_(rows), source_(source) {}

  // `where` prefixes reasons ("element 7: ") for arrays, where many rows share a line.
  void add(const Json& value, std::size_t line, const std::string& where) {
    if (!value.is_object()) {
      rows_.bad(line, fmt::format("{}expected a JSON object, found {}", where, value.type_name()));
      return;
    }
    if (!text_key_) resolve(value, line);
    std::string text;
    const Json* text_value = find(value, *text_key_);
    if (text_value == nullptr) {
      rows_.bad(line, fmt::format("{}missing field '{}'", where, *text_key_));
      return;
    }
    if (text_value->is_string()) {
      text = text_value->get<std::string>();
    } else if (text_value->is_number()) {
      text = text_value->dump();
    } else {
      rows_.bad(line, fmt::format("{}field '{}' must be a string, found {}", where, *text_key_,
                                  text_value->type_name()));
      return;
    }
    std::string label;
    if (label_key_) {
      const Json* label_value = find(value, *label_key_);
      if (label_value == nullptr || label_value->is_null()) {
        if (rows_.require_labels()) {
          rows_.bad(line, fmt::format("{}missing label field '{}'", where, *label_key_));
          return;
        }
      } else if (auto text_label = label_text(*label_value)) {
        label = std::move(*text_label);
      } else {
        rows_.bad(line, fmt::format("{}label '{}' must be a string or a number, found {}", where,
                                    *label_key_, label_value->type_name()));
        return;
      }
    }
    rows_.add(std::move(text), label, line);
  }

 private:
  void resolve(const Json& first, std::size_t line) {
    std::vector<std::string> keys;
    for (const auto& item : first.items()) keys.push_back(item.key());
    const Columns columns = resolve_columns(keys, options_, source_, line);
    text_key_ = keys[columns.text];
    if (columns.label) label_key_ = keys[*columns.label];
  }

  static const Json* find(const Json& object, const std::string& key) {
    const auto it = object.find(key);
    if (it != object.end()) return &*it;
    for (const auto& item : object.items()) {
      if (column_name_equals(item.key(), key)) return &item.value();
    }
    return nullptr;
  }

  // JSON numbers become their decimal text; integral floats (1.0) read as integers.
  static std::optional<std::string> label_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return v.dump();
    if (v.is_number_float()) {
      const double d = v.get<double>();
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15) {
        return fmt::format("{}", static_cast<long long>(d));
      }
      return v.dump();
    }
    return std::nullopt;
  }

  const ReadOptions& options_;
  RowCollector& rows_;
  std::string_view source_;
  std::optional<std::string> text_key_;
  std::optional<std::string> label_key_;
};

// Finds the extent of each top-level element of a JSON array.
class ArrayScanner {
 public:
  ArrayScanner(std::string_view s, std::string_view source) : s_(s), source_(source) {}

  // Calls fn(element_text, line, index) for each element.
  template <typename Fn>
  void for_each(Fn&& fn) {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != '[') fail("expected '[' (a JSON array of objects)");
    ++pos_;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      expect_end();
      return;
    }
    for (std::size_t index = 1;; ++index) {
      const std::size_t start = pos_;
      const std::size_t line = line_;
      skip_value();
      fn(s_.substr(start, pos_ - start), line, index);
      skip_space();
      if (pos_ >= s_.size()) fail("unterminated JSON array (no closing ']')");
      if (s_[pos_] == ']') {
        ++pos_;
        expect_end();
        return;
      }
      if (s_[pos_] != ',') fail("expected ',' or ']' after an array element");
      ++pos_;
      skip_space();
    }
  }

 private:
  [[noreturn]] void fail(std::string_view message) const {
    throw_parse_error(source_, line_, message);
  }

  void skip_space() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++line_;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  void expect_end() {
    skip_space();
    if (pos_ != s_.size()) fail("unexpected content after the JSON array");
  }

  void skip_string() {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return;
      if (c == '\\' && pos_ < s_.size()) {
        ++pos_;
      } else if (c == '\n') {
        ++line_;
      }
    }
    fail("unterminated JSON string");
  }

  void skip_value() {
    if (pos_ >= s_.size()) fail("unterminated JSON array (no closing ']')");
    const char first = s_[pos_];
    if (first == '"') {
      skip_string();
      return;
    }
    if (first != '{' && first != '[') {
      const std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ']' && s_[pos_] != ' ' &&
             s_[pos_] != '\t' && s_[pos_] != '\r' && s_[pos_] != '\n') {
        ++pos_;
      }
      if (pos_ == start) fail("expected a value in the JSON array");
      return;
    }
    const std::size_t open_line = line_;
    std::size_t depth = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        skip_string();
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return;
      } else if (c == '\n') {
        ++line_;
      }
    }
    throw_parse_error(source_, open_line, "unterminated JSON value in the array");
  }

  std::string_view s_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

void read_jsonl(std::string_view content, const ReadOptions& options, RowCollector& rows,
                std::string_view source) {
  ObjectRows objects(options, rows, source);
  for_each_line(content, [&](std::string_view text, std::size_t line) {
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) return;
    Json value;
    std::string error;
    if (!parse_row(text, value, error)) {
      rows.bad(line, error);
      return;
    }
    objects.add(value, line, "");
  });
}

void read_json_array(std::string_view content, const ReadOptions& options, RowCollector& rows,
                     std::string_view source) {
  ObjectRows objects(options, rows, source);
  ArrayScanner scanner(content, source);
  scanner.for_each([&](std::string_view element, std::size_t line, std::size_t index) {
    const std::string where = fmt::format("element {}: ", index);
    Json value;
    std::string error;
    if (!parse_row(element, value, error)) {
      rows.bad(line, where + error);
      return;
    }
    objects.add(value, line, where);
  });
}

}  // namespace zhsenti::data::detail
