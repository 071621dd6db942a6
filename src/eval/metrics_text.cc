// The human-readable report: scikit-learn's classification_report layout, then ROC-AUC and
// log loss, the confusion matrix, and the zero-division notes.

#include <fmt/format.h>

#include <algorithm>

#include "display_width.h"
#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {

using detail::display_width;
using detail::pad_left;

std::string Metrics::to_text(int digits) const {
  std::size_t width = std::max<std::size_t>(std::string_view("weighted avg").size(), static_cast<std::size_t>(digits));
  for (const auto& l : labels) width = std::max(width, display_width(l));
  std::string out = pad_left("", width) + " ";
  for (const char* h : {"precision", "recall", "f1-score", "support"}) out += fmt::format(" {:>9}", h);
  out += "\n\n";
  auto row = [&](std::string_view name, double p, double r, double f, std::int64_t support) {
    out += pad_left(name, width) + " " + fmt::format(" {:>9.{}f} {:>9.{}f} {:>9.{}f} {:>9}\n", p, digits, r, digits, f,
                                                      digits, support);
  };
  for (const auto& c : per_class) row(c.label, c.precision, c.recall, c.f1, c.support);
  out += "\n";
  out += pad_left("accuracy", width) + " " + fmt::format(" {:>9} {:>9} {:>9.{}f} {:>9}\n", "", "", accuracy, digits, num_examples);
  row("macro avg", macro.precision, macro.recall, macro.f1, num_examples);
  row("weighted avg", weighted.precision, weighted.recall, weighted.f1, num_examples);

  if (roc_auc || log_loss) {
    out += "\n";
    if (roc_auc) out += fmt::format("{} {:.{}f}\n", pad_left(labels.size() == 2 ? "roc auc" : "roc auc (ovr)", width), *roc_auc, digits);
    if (log_loss) out += fmt::format("{} {:.{}f}\n", pad_left("log loss", width), *log_loss, digits);
  }

  out += "\nconfusion matrix (rows: true label, columns: predicted label)\n";
  std::size_t cell = 0;
  for (const auto& l : labels) cell = std::max(cell, display_width(l));
  for (const auto& r : confusion) {
    for (const auto v : r) cell = std::max(cell, fmt::formatted_size("{}", v));
  }
  out += pad_left("", width);
  for (const auto& l : labels) out += "  " + pad_left(l, cell);
  out += "\n";
  for (std::size_t t = 0; t < confusion.size(); ++t) {
    out += pad_left(labels[t], width);
    for (const auto v : confusion[t]) out += "  " + pad_left(fmt::format("{}", v), cell);
    out += "\n";
  }
  if (!notes.empty()) {
    out += "\nnotes:\n";
    for (const auto& n : notes) out += "  - " + n + "\n";
  }
  return out;
}

}  // namespace zhsenti::eval
