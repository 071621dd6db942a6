#pragma once
// Summary statistics of a data set: class balance, text lengths, empties and duplicates.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/data/dataset.h"

namespace zhsenti::data {

// Percentiles by the nearest-rank method: p-th = the ceil(p/100 * n)-th smallest value.
struct LengthSummary {
  std::size_t p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
  double mean = 0.0;
};

struct ClassCount {
  std::string label;
  std::size_t count = 0;
  double percent = 0.0;
};

struct DatasetStats {
  std::string source;
  std::string format;
  std::size_t rows = 0;
  std::vector<ClassCount> classes;  // in Dataset::labels() order
  double imbalance_ratio = 0.0;     // largest class / smallest class (0 without labels)
  LengthSummary chars;              // Unicode code points
  std::optional<LengthSummary> words;
  std::size_t empty_texts = 0;        // empty or only whitespace
  std::size_t duplicate_rows = 0;     // rows whose exact text appeared on an earlier row
  std::size_t duplicate_texts = 0;    // distinct texts that occur more than once
  std::size_t conflicting_texts = 0;  // distinct texts that occur with more than one label
  std::size_t conflicting_rows = 0;   // rows carrying such a text
  std::vector<BadRow> skipped;        // rows the reader skipped
};

// Number of words in a text (e.g. a segmenter's token count). Called once per row.
using WordCounter = std::function<std::size_t(std::string_view)>;

DatasetStats compute_stats(const Dataset& dataset, const WordCounter& count_words = {});

LengthSummary summarize_lengths(std::vector<std::size_t> lengths);

// Machine output (pretty JSON with the fields above) and a human table. At most
// `max_skipped` skipped rows are listed by line and reason (the count is always complete).
std::string stats_to_json(const DatasetStats& stats, std::size_t max_skipped = 100);
std::string format_stats_table(const DatasetStats& stats, std::size_t max_skipped = 20);

}  // namespace zhsenti::data
