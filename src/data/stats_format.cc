#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "zhsenti/data/stats.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::data {
namespace {

nlohmann::ordered_json lengths_json(const LengthSummary& s) {
  return {{"p50", s.p50}, {"p90", s.p90}, {"p95", s.p95}, {"p99", s.p99},
          {"max", s.max}, {"mean", s.mean}};
}

// w: column width, wide enough for the largest value.
std::string lengths_row(std::string_view name, const LengthSummary& s, std::size_t w) {
  return fmt::format("  {:<6}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}.1f}\n", name, s.p50, w, s.p90, w,
                     s.p95, w, s.p99, w, s.max, w, s.mean, w + 2);
}

// Terminal columns, counting CJK and other wide characters as two, so labels line up.
std::size_t display_width(std::string_view s) {
  std::size_t columns = 0;
  for (const char32_t cp : utf8::decode(s)) columns += cp >= 0x1100 ? 2 : 1;
  return columns;
}

std::string pad_right(std::string_view s, std::size_t width) {
  const std::size_t columns = display_width(s);
  return std::string(s) + std::string(width > columns ? width - columns : 0, ' ');
}

}  // namespace

std::string stats_to_json(const DatasetStats& stats, std::size_t max_skipped) {
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const auto& c : stats.classes) {
    classes.push_back({{"label", c.label}, {"count", c.count}, {"percent", c.percent}});
  }
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < std::min(max_skipped, stats.skipped.size()); ++i) {
    skipped.push_back({{"line", stats.skipped[i].line}, {"reason", stats.skipped[i].reason}});
  }
  nlohmann::ordered_json out = {
      {"source", stats.source},
      {"format", stats.format},
      {"rows", stats.rows},
      {"num_classes", stats.classes.size()},
      {"classes", classes},
      {"imbalance_ratio", stats.imbalance_ratio},
      {"length_chars", lengths_json(stats.chars)},
      {"length_words", stats.words ? lengths_json(*stats.words) : nlohmann::ordered_json()},
      {"empty_texts", stats.empty_texts},
      {"duplicate_rows", stats.duplicate_rows},
      {"duplicate_texts", stats.duplicate_texts},
      {"conflicting_texts", stats.conflicting_texts},
      {"conflicting_rows", stats.conflicting_rows},
      {"skipped_rows", stats.skipped.size()},
      {"skipped", skipped},
  };
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string format_stats_table(const DatasetStats& stats, std::size_t max_skipped) {
  std::string out = fmt::format("{} ({})\n", stats.source, stats.format);
  out += fmt::format("rows               {}\n", stats.rows);
  out += fmt::format("classes            {}", stats.classes.size());
  if (stats.imbalance_ratio > 0) out += fmt::format("   imbalance {:.2f} (largest/smallest)", stats.imbalance_ratio);
  out += "\n";
  std::size_t width = 5;
  for (const auto& c : stats.classes) width = std::max(width, display_width(c.label));
  for (const auto& c : stats.classes) {
    out += fmt::format("  {}{:>8}  {:>6.2f}%\n", pad_right(c.label, width), c.count, c.percent);
  }
  const std::size_t w = std::max<std::size_t>(7, fmt::formatted_size("{}", stats.chars.max) + 2);
  out += fmt::format("length  {:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", "p50", w, "p90", w, "p95", w,
                     "p99", w, "max", w, "mean", w + 2);
  out += lengths_row("chars", stats.chars, w);
  if (stats.words) out += lengths_row("words", *stats.words, w);
  out += fmt::format("empty texts        {}\n", stats.empty_texts);
  out += fmt::format("duplicate rows     {} ({} distinct texts occur more than once)\n",
                     stats.duplicate_rows, stats.duplicate_texts);
  out += fmt::format("conflicting labels {} texts on {} rows\n", stats.conflicting_texts,
                     stats.conflicting_rows);
  out += fmt::format("skipped rows       {}\n", stats.skipped.size());
  for (std::size_t i = 0; i < std::min(max_skipped, stats.skipped.size()); ++i) {
    out += fmt::format("  line {}: {}\n", stats.skipped[i].line, stats.skipped[i].reason);
  }
  if (stats.skipped.size() > max_skipped) {
    out += fmt::format("  ... and {} more\n", stats.skipped.size() - max_skipped);
  }
  return out;
}

}  // namespace zhsenti::data
