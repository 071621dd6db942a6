#include "zhsenti/data/stats.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "zhsenti/text/utf8.h"

namespace zhsenti::data {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// Nearest rank of percentile p among n sorted values (n > 0), as a 0-based index.
std::size_t nearest_rank(std::size_t n, std::size_t p) {
  const std::size_t rank = (p * n + 99) / 100;
  return std::max<std::size_t>(rank, 1) - 1;
}

}  // namespace

LengthSummary summarize_lengths(std::vector<std::size_t> lengths) {
  LengthSummary summary;
  if (lengths.empty()) return summary;
  std::sort(lengths.begin(), lengths.end());
  const std::size_t n = lengths.size();
  summary.p50 = lengths[nearest_rank(n, 50)];
  summary.p90 = lengths[nearest_rank(n, 90)];
  summary.p95 = lengths[nearest_rank(n, 95)];
  summary.p99 = lengths[nearest_rank(n, 99)];
  summary.max = lengths.back();
  double total = 0;
  for (const std::size_t v : lengths) total += static_cast<double>(v);
  summary.mean = total / static_cast<double>(n);
  return summary;
}

DatasetStats compute_stats(const Dataset& dataset, const WordCounter& count_words) {
  DatasetStats stats;
  stats.source = dataset.source;
  stats.format = dataset.format;
  stats.rows = dataset.examples.size();
  stats.skipped = dataset.skipped;

  std::map<std::string_view, std::size_t> class_counts;
  std::vector<std::size_t> char_lengths;
  std::vector<std::size_t> word_lengths;
  char_lengths.reserve(stats.rows);
  struct TextInfo {
    std::size_t rows = 0;
    std::string_view first_label;
    bool conflicting = false;
  };
  std::unordered_map<std::string_view, TextInfo> texts;
  texts.reserve(stats.rows);

  for (const auto& example : dataset.examples) {
    if (!example.label.empty()) ++class_counts[example.label];
    char_lengths.push_back(utf8::length(example.text));
    if (count_words) word_lengths.push_back(count_words(example.text));
    if (is_blank(example.text)) ++stats.empty_texts;
    TextInfo& info = texts[example.text];
    if (info.rows == 0) {
      info.first_label = example.label;
    } else {
      ++stats.duplicate_rows;
      if (example.label != info.first_label) info.conflicting = true;
    }
    ++info.rows;
  }
  for (const auto& [text, info] : texts) {
    if (info.rows > 1) ++stats.duplicate_texts;
    if (info.conflicting) {
      ++stats.conflicting_texts;
      stats.conflicting_rows += info.rows;
    }
  }

  std::size_t labelled = 0;
  for (const auto& [label, count] : class_counts) labelled += count;
  std::size_t smallest = 0, largest = 0;
  for (const auto& label : dataset.labels()) {
    const std::size_t count = class_counts[label];
    stats.classes.push_back(
        ClassCount{label, count, 100.0 * static_cast<double>(count) / static_cast<double>(labelled)});
    smallest = smallest == 0 ? count : std::min(smallest, count);
    largest = std::max(largest, count);
  }
  if (smallest > 0) stats.imbalance_ratio = static_cast<double>(largest) / static_cast<double>(smallest);
  stats.chars = summarize_lengths(std::move(char_lengths));
  if (count_words) stats.words = summarize_lengths(std::move(word_lengths));
  return stats;
}

}  // namespace zhsenti::data
