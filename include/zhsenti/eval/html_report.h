#pragma once
// The evaluation report: one self-contained HTML file (inline CSS and SVG, no scripts, no
// external resources) with the summary metrics, the per-class table, the confusion matrix as
// a heat map, the ROC curve (binary), the training curves from metrics.jsonl, notes and
// free-form details (model, data, settings). Every string from the caller is escaped.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "zhsenti/eval/metrics.h"
#include "zhsenti/eval/training_log.h"

namespace zhsenti::eval {

struct ReportInput {
  std::string title = "zhsenti evaluation report";
  std::string subtitle;      // e.g. "model models/chnsenticorp · data test.tsv"
  std::string generated_at;  // shown in the footer when set (kept out by default so output is reproducible)
  Metrics metrics;
  std::vector<EpochRecord> history;  // empty: no training-curve section
  std::vector<std::pair<std::string, std::string>> details;  // rows of the details table
};

std::string render_html_report(const ReportInput& input);
// Atomic write of render_html_report(input).
void write_html_report(const std::filesystem::path& path, const ReportInput& input);

}  // namespace zhsenti::eval
