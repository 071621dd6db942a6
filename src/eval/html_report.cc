#include "zhsenti/eval/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "html_escape.h"
#include "svg_chart.h"
#include "zhsenti/core/atomic_file.h"

namespace zhsenti::eval {

namespace {

using detail::html_escape;

constexpr const char* kCss = R"css(
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --panel: #ffffff; --bg: #f1f5f9; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 40px; }
header { margin-bottom: 20px; }
h1 { font-size: 24px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 15px; margin: 0 0 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.subtitle { margin: 0; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
.card-value { font-size: 26px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
.card-value.na { color: #94a3b8; }
.grid { display: grid; gap: 16px; margin-bottom: 16px; }
.grid.two { grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 16px; }
.grid > .panel { margin-bottom: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
th:first-child, td:first-child { text-align: left; }
tr.avg td { color: #334155; background: #f8fafc; }
tr.best td { background: #eff6ff; font-weight: 600; }
td.label { font-weight: 600; white-space: normal; word-break: break-word; }
.bar { display: inline-block; height: 8px; border-radius: 4px; background: var(--accent); vertical-align: middle; margin-left: 8px; opacity: 0.8; }
.bar-track { display: inline-block; width: 120px; height: 8px; border-radius: 4px; background: #e2e8f0; vertical-align: middle; margin-left: 8px; position: relative; }
.bar-track .bar { position: absolute; left: 0; top: 0; margin: 0; }
table.kv td { text-align: left; white-space: normal; word-break: break-word; }
table.kv td:first-child { color: var(--muted); width: 28%; }
.notes ul { margin: 0; padding-left: 20px; color: #92400e; }
svg.chart { width: 100%; height: auto; display: block; }
svg.confusion { max-width: 560px; margin: 0 auto; }
.roc svg.chart, .pr svg.chart { max-width: 460px; margin: 0 auto; }
svg .chart-title { font-size: 14px; font-weight: 600; fill: var(--ink); }
svg .tick, svg .legend { font-size: 11.5px; fill: #475569; }
svg .axis-label { font-size: 12px; fill: var(--muted); }
svg .gridline { stroke: #e2e8f0; stroke-width: 1; }
svg .tick-mark { stroke: #94a3b8; }
svg .frame { fill: none; stroke: #cbd5e1; }
svg .series { stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
svg .diagonal { stroke: #94a3b8; stroke-dasharray: 4 4; }
svg .count { font-size: 16px; font-weight: 650; }
svg .rate { font-size: 11px; }
svg .empty { fill: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
)css";

std::string fixed(double v, int digits = 4) { return fmt::format("{:.{}f}", v, digits); }

std::string optional_cell(const std::optional<double>& v, int digits = 4) {
  return v && std::isfinite(*v) ? fixed(*v, digits) : "&ndash;";
}

std::string card(std::string_view label, const std::optional<std::string>& value) {
  return fmt::format("<div class=\"card\"><div class=\"card-label\">{}</div><div class=\"card-value{}\">{}</div></div>\n",
                     label, value ? "" : " na", value ? *value : "n/a");
}

std::string bar(double v) {
  return fmt::format("<span class=\"bar-track\"><span class=\"bar\" style=\"width:{:.1f}%\"></span></span>",
                     std::clamp(v, 0.0, 1.0) * 100);
}

std::string summary_cards(const Metrics& m) {
  std::string out = "<section class=\"cards\">\n";
  out += card("Accuracy", fmt::format("{:.2f}%", m.accuracy * 100));
  out += card("Macro F1", fixed(m.macro.f1));
  out += card("Weighted F1", fixed(m.weighted.f1));
  out += card(m.labels.size() == 2 ? "ROC AUC" : "ROC AUC (OvR)",
              m.roc_auc ? std::optional<std::string>(fixed(*m.roc_auc)) : std::nullopt);
  out += card("Log loss", m.log_loss ? std::optional<std::string>(fixed(*m.log_loss)) : std::nullopt);
  out += card("Examples", fmt::format("{}", m.num_examples));
  out += "</section>\n";
  return out;
}

std::string class_table(const Metrics& m) {
  std::string out =
      "<table class=\"classes\">\n<thead><tr><th>Label</th><th>Precision</th><th>Recall</th><th>F1</th>"
      "<th>Support</th><th>Predicted</th></tr></thead>\n<tbody>\n";
  for (const auto& c : m.per_class) {
    out += fmt::format("<tr><td class=\"label\">{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
                       html_escape(c.label), fixed(c.precision), fixed(c.recall), fixed(c.f1), bar(c.f1), c.support,
                       c.predicted);
  }
  const auto avg_row = [&](std::string_view name, const AverageMetrics& a) {
    out += fmt::format("<tr class=\"avg\"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td></td></tr>\n",
                       name, fixed(a.precision), fixed(a.recall), fixed(a.f1), bar(a.f1), m.num_examples);
  };
  avg_row("macro avg", m.macro);
  avg_row("weighted avg", m.weighted);
  out += "</tbody>\n</table>\n";
  return out;
}

std::string roc_section(const Metrics& m) {
  if (!m.roc || m.labels.size() != 2) return {};
  // Thousands of distinct thresholds add nothing visible: keep at most ~400 evenly spaced points.
  const std::size_t n = m.roc->fpr.size();
  const std::size_t stride = std::max<std::size_t>(1, n / 400);
  detail::Series s{fmt::format("{} (AUC {:.4f})", m.labels[1], m.roc_auc.value_or(0)), "#1d4ed8", {}, {}, false};
  for (std::size_t i = 0; i < n; i += stride) {
    s.x.push_back(m.roc->fpr[i]);
    s.y.push_back(m.roc->tpr[i]);
  }
  if ((n - 1) % stride != 0) {
    s.x.push_back(m.roc->fpr.back());
    s.y.push_back(m.roc->tpr.back());
  }
  detail::LineChart chart{"", "False positive rate", "True positive rate", {s}, 0.0, 1.0, false, true, true};
  return "<div class=\"panel roc\"><h2>ROC curve</h2>\n" + detail::line_chart_svg(chart) + "</div>\n";
}

// Skewed true labels (label_skew.h): accuracy says little, so macro-F1, each label's recall
// and a precision/recall curve per label (one-vs-rest on its probability) are shown together.
std::string skew_section(const Metrics& m) {
  if (m.pr_curves.size() != m.labels.size()) return {};
  static constexpr std::array<const char*, 8> kColors = {"#1d4ed8", "#dc2626", "#16a34a", "#9333ea",
                                                         "#ea580c", "#0891b2", "#be185d", "#4d7c0f"};
  detail::LineChart chart{"", "Recall", "Precision", {}, 0.0, 1.0, false, true, false};
  std::string recalls;
  for (std::size_t c = 0; c < m.labels.size(); ++c) {
    const PrCurve& pr = m.pr_curves[c];
    detail::Series s{fmt::format("{} (AP {:.3f})", m.labels[c], pr.average_precision),
                     kColors[c % kColors.size()], {}, {}, false};
    const std::size_t n = pr.recall.size();
    const std::size_t stride = std::max<std::size_t>(1, n / 300);
    for (std::size_t i = 0; i < n; i += stride) {
      s.x.push_back(pr.recall[i]);
      s.y.push_back(pr.precision[i]);
    }
    if (n > 0 && (n - 1) % stride != 0) {
      s.x.push_back(pr.recall.back());
      s.y.push_back(pr.precision.back());
    }
    chart.series.push_back(std::move(s));
    recalls += fmt::format("<tr><td class=\"label\">{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>\n",
                           html_escape(m.labels[c]), m.per_class[c].support, fixed(m.per_class[c].recall),
                           bar(m.per_class[c].recall), fixed(pr.average_precision));
  }
  return fmt::format(
      "<section class=\"panel skew\"><h2>Skewed labels: macro F1 {}</h2>\n<div class=\"grid two\">\n<div>"
      "<table class=\"recall\">\n<thead><tr><th>Label</th><th>Support</th><th>Recall</th><th>Average "
      "precision</th></tr></thead>\n<tbody>\n{}</tbody>\n</table>\n</div>\n<div class=\"pr\">{}</div>\n</div>\n"
      "</section>\n",
      fixed(m.macro.f1), recalls, detail::line_chart_svg(chart));
}

std::string training_section(const std::vector<EpochRecord>& history) {
  if (history.empty()) return {};
  std::vector<double> x;
  std::vector<std::optional<double>> train_loss, dev_loss, dev_acc, dev_f1;
  for (const auto& r : history) {
    x.push_back(r.epoch);
    train_loss.push_back(r.train_loss);
    dev_loss.push_back(r.dev_loss);
    dev_acc.push_back(r.dev_accuracy);
    dev_f1.push_back(r.dev_macro_f1);
  }
  detail::LineChart loss{"Loss", "Epoch", "Loss",
                         {{"train loss", "#1d4ed8", x, train_loss, false}, {"dev loss", "#dc2626", x, dev_loss, true}},
                         std::nullopt, std::nullopt, true, false, false};
  detail::LineChart quality{"Dev accuracy and macro F1", "Epoch", "Score",
                            {{"dev accuracy", "#16a34a", x, dev_acc, false},
                             {"dev macro F1", "#9333ea", x, dev_f1, false}},
                            std::nullopt, std::nullopt, true, false, false};
  // Best epoch: highest dev macro F1, else accuracy, else lowest train loss.
  std::size_t best = 0;
  auto score = [](const EpochRecord& r) -> double {
    if (r.dev_macro_f1) return *r.dev_macro_f1;
    if (r.dev_accuracy) return *r.dev_accuracy;
    return r.train_loss ? -*r.train_loss : -INFINITY;
  };
  for (std::size_t i = 1; i < history.size(); ++i) {
    if (score(history[i]) > score(history[best])) best = i;
  }
  std::string out = "<section class=\"panel training\"><h2>Training</h2>\n<div class=\"grid two\">\n<div>" +
                    detail::line_chart_svg(loss) + "</div>\n<div>" + detail::line_chart_svg(quality) + "</div>\n</div>\n";
  out +=
      "<table class=\"epochs\">\n<thead><tr><th>Epoch</th><th>Train loss</th><th>Dev loss</th><th>Dev accuracy</th>"
      "<th>Dev macro F1</th><th>Learning rate</th><th>Seconds</th><th>Tokens/s</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& r = history[i];
    out += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        i == best ? " class=\"best\"" : "", r.epoch, optional_cell(r.train_loss), optional_cell(r.dev_loss),
        optional_cell(r.dev_accuracy), optional_cell(r.dev_macro_f1),
        r.lr ? fmt::format("{:.3g}", *r.lr) : "&ndash;", optional_cell(r.seconds, 1),
        r.tokens_per_s ? fmt::format("{:.0f}", *r.tokens_per_s) : "&ndash;");
  }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

}  // namespace

std::string render_html_report(const ReportInput& in) {
  const Metrics& m = in.metrics;
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n",
      html_escape(in.title), kCss, html_escape(in.title));
  if (!in.subtitle.empty()) html += fmt::format("<p class=\"subtitle\">{}</p>\n", html_escape(in.subtitle));
  html += "</header>\n" + summary_cards(m);

  std::vector<std::vector<long long>> counts;
  for (const auto& row : m.confusion) counts.emplace_back(row.begin(), row.end());
  html += skew_section(m);
  html += "<section class=\"panel\"><h2>Per-class metrics</h2>\n" + class_table(m) + "</section>\n";
  html += "<section class=\"grid two\">\n<div class=\"panel\"><h2>Confusion matrix</h2>\n" +
          detail::confusion_svg(m.labels, counts) + "</div>\n" + roc_section(m) + "</section>\n";
  html += training_section(in.history);
  if (!m.notes.empty()) {
    html += "<section class=\"panel notes\"><h2>Notes</h2>\n<ul>\n";
    for (const auto& n : m.notes) html += "<li>" + html_escape(n) + "</li>\n";
    html += "</ul>\n</section>\n";
  }
  if (!in.details.empty()) {
    html += "<section class=\"panel details\"><h2>Details</h2>\n<table class=\"kv\">\n<tbody>\n";
    for (const auto& [k, v] : in.details) {
      html += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", html_escape(k), html_escape(v));
    }
    html += "</tbody>\n</table>\n</section>\n";
  }
  html += "<footer>Generated by zhsenti";
  if (!in.generated_at.empty()) html += " on " + html_escape(in.generated_at);
  html += "</footer>\n</main>\n</body>\n</html>\n";
  return html;
}

void write_html_report(const std::filesystem::path& path, const ReportInput& input) {
  write_file_atomic(path, render_html_report(input));
}

}  // namespace zhsenti::eval
