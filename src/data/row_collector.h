#pragma once
// Shared by the format readers: column lookup by name and the bad-row policy.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/data/dataset.h"

namespace zhsenti::data::detail {

// Column positions chosen from a header (or from the keys of the first JSON object).
struct Columns {
  std::size_t text = 0;
  std::optional<std::size_t> label;  // absent only when labels are not required
};

// Picks the text and label columns from `names` by ReadOptions or the known names. Throws
// Error(kNotFound) "source:line: ..." listing the columns that were found.
Columns resolve_columns(const std::vector<std::string>& names, const ReadOptions& options,
                        std::string_view source, std::size_t line);

// ASCII case-insensitive equality after trimming ASCII whitespace (Chinese names compare
// byte for byte).
bool column_name_equals(std::string_view a, std::string_view b);

// Adds the rows of its shard to a Dataset, applying the bad-row policy: under kFail the first bad row throws
// Error(kParse) "source:line: reason (use <skip_hint> to skip bad rows)", under kSkip it is
// recorded in Dataset::skipped.
class RowCollector {
 public:
  RowCollector(Dataset& dataset, const ReadOptions& options);

  // `label` is trimmed; an empty label is a bad row when labels are required.
  void add(std::string text, std::string_view label, std::size_t line);
  void bad(std::size_t line, std::string reason);

  bool require_labels() const { return require_labels_; }

 private:
  Dataset& dataset_;
  // False for a row of another shard (ReadOptions::shard_index); counts the row.
  bool take_row();
  void report_bad(std::size_t line, std::string reason);

  BadRowPolicy policy_;
  std::string skip_hint_;
  bool require_labels_;
  std::size_t shard_index_;
  std::size_t shard_count_;
  std::size_t rows_ = 0;
};

// Format readers: content is valid UTF-8 without a BOM.
void read_delimited(std::string_view content, char delimiter, const ReadOptions& options,
                    RowCollector& rows, std::string_view source);
void read_jsonl(std::string_view content, const ReadOptions& options, RowCollector& rows,
                std::string_view source);
void read_json_array(std::string_view content, const ReadOptions& options, RowCollector& rows,
                     std::string_view source);

}  // namespace zhsenti::data::detail
