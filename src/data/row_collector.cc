#include "row_collector.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "zhsenti/core/error.h"

namespace zhsenti::data {

const std::vector<std::string>& text_column_names() {
  static const std::vector<std::string> kNames = {
      "text",  "text_a", "review", "content", "sentence", "comment", "review_text",
      "文本",  "微博中文内容", "微博内容", "内容", "评论", "句子", "正文"};
  return kNames;
}

const std::vector<std::string>& label_column_names() {
  static const std::vector<std::string> kNames = {
      "label", "labels", "sentiment", "polarity", "emotion", "class",
      "情绪标签", "情感倾向", "情感", "情绪", "标签", "类别", "极性"};
  return kNames;
}

std::string_view trim_label(std::string_view label) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const std::size_t begin = label.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return label.substr(begin, label.find_last_not_of(kSpace) - begin + 1);
}

namespace detail {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<std::size_t> find_column(const std::vector<std::string>& names,
                                       std::string_view wanted) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (column_name_equals(names[i], wanted)) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_known_column(const std::vector<std::string>& names,
                                             const std::vector<std::string>& known) {
  for (const auto& candidate : known) {
    if (auto index = find_column(names, candidate)) return index;
  }
  return std::nullopt;
}

[[noreturn]] void throw_missing(std::string_view source, std::size_t line, std::string_view head,
                                const std::vector<std::string>& names, std::string_view hint) {
  throw Error(ErrorCode::kNotFound,
              location_message(source, line,
                               fmt::format("{}; the columns are [{}]; {}", head,
                                           fmt::join(names, ", "), hint)));
}

}  // namespace

bool column_name_equals(std::string_view a, std::string_view b) {
  a = trim_label(a);
  b = trim_label(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

Columns resolve_columns(const std::vector<std::string>& names, const ReadOptions& options,
                        std::string_view source, std::size_t line) {
  Columns columns;
  if (!options.text_col.empty()) {
    auto index = find_column(names, options.text_col);
    if (!index) throw_missing(source, line, fmt::format("no column '{}' for the texts", options.text_col),
                    names, "check --text-col");
    columns.text = *index;
  } else {
    auto index = find_known_column(names, text_column_names());
    if (!index) {
      throw_missing(source, line, "no text column", names,
                    fmt::format("expected one of {} or --text-col", fmt::join(text_column_names(), ", ")));
    }
    columns.text = *index;
  }
  if (!options.label_col.empty()) {
    auto index = find_column(names, options.label_col);
    if (!index) throw_missing(source, line, fmt::format("no column '{}' for the labels", options.label_col),
                    names, "check --label-col");
    columns.label = index;
  } else {
    columns.label = find_known_column(names, label_column_names());
    if (!columns.label && options.require_labels) {
      throw_missing(source, line, "no label column", names,
                    fmt::format("expected one of {} or --label-col",
                                fmt::join(label_column_names(), ", ")));
    }
  }
  if (columns.label && *columns.label == columns.text) {
    throw Error(ErrorCode::kInvalidArgument,
                location_message(source, line,
                                 fmt::format("text and label are the same column '{}'",
                                             names[columns.text])));
  }
  return columns;
}

RowCollector::RowCollector(Dataset& dataset, const ReadOptions& options)
    : dataset_(dataset),
      policy_(options.on_bad_row),
      skip_hint_(options.skip_hint),
      require_labels_(options.require_labels),
      shard_index_(options.shard_index),
      shard_count_(std::max<std::size_t>(options.shard_count, 1)) {}

bool RowCollector::take_row() { return rows_++ % shard_count_ == shard_index_; }

void RowCollector::add(std::string text, std::string_view label, std::size_t line) {
  if (!take_row()) return;
  label = trim_label(label);
  if (label.empty() && require_labels_) {
    report_bad(line, "empty label");
    return;
  }
  dataset_.examples.push_back(Example{std::move(text), std::string(label), line});
}

void RowCollector::bad(std::size_t line, std::string reason) {
  if (!take_row()) return;
  report_bad(line, std::move(reason));
}

void RowCollector::report_bad(std::size_t line, std::string reason) {
  if (policy_ == BadRowPolicy::kFail) {
    throw Error(ErrorCode::kParse,
                location_message(dataset_.source, line,
                                 fmt::format("{} (use {} to skip bad rows)", reason, skip_hint_)));
  }
  dataset_.skipped.push_back(BadRow{line, std::move(reason)});
}

}  // namespace detail
}  // namespace zhsenti::data
