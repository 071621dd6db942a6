#pragma once
// Labelled text data sets read from TSV, CSV, JSONL or a JSON array of objects.
//
// Every reader yields the same shape: one Example per data row with the 1-based line the
// row starts on, and the rows it rejected with the reason (under BadRowPolicy::kSkip).
// Whole-file problems (empty file, no data rows, a missing column, invalid UTF-8, broken
// JSON array structure) always throw zhsenti::Error naming the file and the line.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::data {

enum class BadRowPolicy { kFail, kSkip };

struct ReadOptions {
  // Empty: the first header among the known names (text, text_a, review, content, sentence,
  // 文本, 微博中文内容, ...; case-insensitive for ASCII names). See text_column_names().
  std::string text_col;
  // Empty: label, labels, sentiment, 情绪标签, 情感倾向, ... See label_column_names().
  std::string label_col;
  BadRowPolicy on_bad_row = BadRowPolicy::kFail;
  // tsv | csv | jsonl | json (an array of objects). Empty: from the extension (.tsv, .csv,
  // .jsonl/.ndjson, .json); anything else (.txt, stdin) is sniffed from the content.
  std::string format;
  // false: the label column may be absent (unlabelled input, e.g. for predict); labels are
  // then empty strings. An explicitly named label_col must still exist.
  bool require_labels = true;
  // How the caller's user asks to skip bad rows, named in the kFail error: the data commands'
  // option by default; train, eval and calibrate have --skip-bad-rows.
  std::string skip_hint = "--on-bad-row skip";
  // Data-parallel training reads one shard per rank: data row k (counted from 0 in file
  // order, bad rows included) is kept only when k % shard_count == shard_index, and only that
  // rank checks it, so a bad row is reported by the rank holding it.
  std::size_t shard_index = 0;
  std::size_t shard_count = 1;
};

struct Example {
  std::string text;
  std::string label;
  std::size_t line = 0;  // 1-based source line where the row starts
};

struct BadRow {
  std::size_t line;
  std::string reason;
};

struct Dataset {
  std::string source;              // path as given
  std::vector<Example> examples;
  std::vector<BadRow> skipped;     // rows skipped under kSkip, with reasons
  std::string format;              // the format that was read: tsv | csv | jsonl | json

  // Sorted unique non-empty labels. Integer-looking labels ("0", "-1", "12") sort
  // numerically and before the others, which sort by bytes.
  std::vector<std::string> labels() const;
};

// Reads a data file; "-" reads standard input (format sniffed unless given).
Dataset read_dataset(const std::filesystem::path& path, const ReadOptions& options = {});

// The same from bytes in memory; `source` names them in messages and picks the format by
// extension like a path would.
Dataset read_dataset_from_string(std::string_view content, std::string_view source,
                                 const ReadOptions& options = {});

// Where data sets live: $ZHSENTI_DATA, else ../shared/data relative to the current directory
// if it exists, else $XDG_CACHE_HOME/zhsenti/data, else ~/.cache/zhsenti/data.
std::filesystem::path data_root();

// The known column names, in order of preference.
const std::vector<std::string>& text_column_names();
const std::vector<std::string>& label_column_names();

// Labels are compared after trimming ASCII whitespace; exposed so every stage trims the same.
std::string_view trim_label(std::string_view label);

// True for an optional sign followed by decimal digits that fit an int64.
bool is_integer_label(std::string_view label);

}  // namespace zhsenti::data
