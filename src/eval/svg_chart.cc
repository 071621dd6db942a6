#include "svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "display_width.h"
#include "html_escape.h"

namespace zhsenti::eval::detail {

namespace {

int decimals_for(double step) {
  if (step <= 0 || !std::isfinite(step)) return 2;
  int d = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  // 0.25-style steps need one digit more than their magnitude.
  const double scaled = step * std::pow(10.0, d);
  if (std::abs(scaled - std::round(scaled)) > 1e-6) ++d;
  return std::min(d, 6);
}

std::string tick_label(double v, int decimals) {
  if (std::abs(v) < 1e-12) v = 0;
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  if (!(hi > lo) || target_count < 1) return {lo};
  const double raw = (hi - lo) / target_count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1 : norm < 2.25 ? 2 : norm < 3.5 ? 2.5 : norm < 7.5 ? 5 : 10) * mag;
  std::vector<double> ticks;
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step && ticks.size() < 100; v += step) {
    ticks.push_back(v);
  }
  return ticks;
}

std::string line_chart_svg(const LineChart& c) {
  const double width = c.square ? 420 : 560;
  const double height = c.square ? 420 : 320;
  const double left = 62, right = 18, top = 54, bottom = 50;
  const double pw = width - left - right, ph = height - top - bottom;

  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (const auto& s : c.series) {
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!s.y[i] || !std::isfinite(*s.y[i]) || !std::isfinite(s.x[i])) continue;
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, *s.y[i]);
      y_hi = std::max(y_hi, *s.y[i]);
    }
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      width, height, html_escape(c.title));
  if (!c.title.empty()) {
    svg += fmt::format("<text class=\"chart-title\" x=\"{}\" y=\"22\">{}</text>\n", left, html_escape(c.title));
  }
  if (!(x_hi >= x_lo)) {
    svg += fmt::format("<text class=\"empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">no data</text>\n</svg>\n",
                       width / 2, height / 2);
    return svg;
  }
  if (c.y_min) y_lo = *c.y_min;
  if (c.y_max) y_hi = *c.y_max;
  if (!c.y_min && !c.y_max) {
    const double pad = y_hi > y_lo ? (y_hi - y_lo) * 0.08 : std::max(std::abs(y_hi) * 0.1, 0.05);
    y_lo -= pad;
    y_hi += pad;
  }
  if (x_hi == x_lo) {
    x_lo -= 0.5;
    x_hi += 0.5;
  }
  auto px = [&](double x) { return left + (x - x_lo) / (x_hi - x_lo) * pw; };
  auto py = [&](double y) { return top + ph - (y - y_lo) / (y_hi - y_lo) * ph; };

  const auto y_ticks = nice_ticks(y_lo, y_hi, 5);
  const int y_dec = y_ticks.size() > 1 ? decimals_for(y_ticks[1] - y_ticks[0]) : 2;
  for (const double t : y_ticks) {
    svg += fmt::format(
        "<line class=\"gridline\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>"
        "<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        left, py(t), left + pw, py(t), left - 6, py(t) + 4, tick_label(t, y_dec));
  }
  std::vector<double> x_ticks = nice_ticks(x_lo, x_hi, c.square ? 5 : 8);
  if (c.integer_x) {
    std::erase_if(x_ticks, [](double t) { return std::abs(t - std::round(t)) > 1e-9; });
    if (x_ticks.empty()) x_ticks.push_back(std::round((x_lo + x_hi) / 2));
  }
  const int x_dec = c.integer_x ? 0 : x_ticks.size() > 1 ? decimals_for(x_ticks[1] - x_ticks[0]) : 2;
  for (const double t : x_ticks) {
    svg += fmt::format(
        "<line class=\"tick-mark\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
        "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
        px(t), top + ph, top + ph + 5, top + ph + 19, tick_label(t, x_dec));
  }
  svg += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", left, top, pw, ph);
  if (c.diagonal) {
    svg += fmt::format("<line class=\"diagonal\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", px(0),
                       py(0), px(1), py(1));
  }
  svg += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                     left + pw / 2, height - 10, html_escape(c.x_label));
  svg += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      top + ph / 2, html_escape(c.y_label));

  for (const auto& s : c.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    std::string points;
    auto flush = [&] {
      if (!points.empty()) {
        svg += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\"{} points=\"{}\"/>\n",
                           html_escape(s.color), s.dashed ? " stroke-dasharray=\"6 4\"" : "", points);
      }
      points.clear();
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.y[i] || !std::isfinite(*s.y[i])) {
        flush();
        continue;
      }
      const double y = std::clamp(*s.y[i], y_lo, y_hi);
      points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", px(s.x[i]), py(y));
    }
    flush();
    if (n <= 60) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!s.y[i] || !std::isfinite(*s.y[i])) continue;
        svg += fmt::format("<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{}: {} = {:.4f}</title></circle>\n",
                           px(s.x[i]), py(std::clamp(*s.y[i], y_lo, y_hi)), html_escape(s.color), html_escape(s.name),
                           tick_label(s.x[i], c.integer_x ? 0 : 3), *s.y[i]);
      }
    }
  }
  // Legend: one row under the title, right-aligned.
  double lx = width - right;
  for (auto it = c.series.rbegin(); it != c.series.rend(); ++it) {
    const double text_w = static_cast<double>(display_width(it->name)) * 6.6;
    lx -= text_w + 30;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"40\" x2=\"{1:.1f}\" y2=\"40\" stroke=\"{2}\" stroke-width=\"2.5\"{3}/>"
        "<text class=\"legend\" x=\"{4:.1f}\" y=\"44\">{5}</text>\n",
        lx, lx + 18, html_escape(it->color), it->dashed ? " stroke-dasharray=\"5 3\"" : "", lx + 23,
        html_escape(it->name));
  }
  svg += "</svg>\n";
  return svg;
}

std::string confusion_svg(const std::vector<std::string>& labels, const std::vector<std::vector<long long>>& counts) {
  const std::size_t k = labels.size();
  const double cell = k <= 3 ? 110 : k <= 6 ? 78 : std::max(34.0, 520.0 / static_cast<double>(k));
  std::size_t longest = 0;
  for (const auto& l : labels) longest = std::max(longest, display_width(l));
  const double label_px = std::min(180.0, static_cast<double>(longest) * 7.2);
  const bool rotate = label_px > cell - 8;
  const double left = 44 + label_px + 10;
  const double top = 46 + (rotate ? label_px * 0.6 + 8 : 22);
  const double size = cell * static_cast<double>(k);
  const double width = left + size + 20, height = top + size + 16;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart confusion\" viewBox=\"0 0 {:.0f} {:.0f}\" "
      "role=\"img\" aria-label=\"confusion matrix\">\n"
      "<text class=\"axis-label\" x=\"{:.1f}\" y=\"18\" text-anchor=\"middle\">Predicted label</text>\n"
      "<text class=\"axis-label\" transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">True "
      "label</text>\n",
      width, height, left + size / 2, top + size / 2);
  for (std::size_t j = 0; j < k; ++j) {
    const double cx = left + cell * (static_cast<double>(j) + 0.5);
    if (rotate) {
      svg += fmt::format("<text class=\"tick\" transform=\"translate({:.1f} {:.1f}) rotate(-35)\">{}</text>\n", cx,
                         top - 8, html_escape(labels[j]));
    } else {
      svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", cx,
                         top - 8, html_escape(labels[j]));
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    long long row_total = 0;
    for (const auto v : counts[i]) row_total += v;
    const double cy = top + cell * static_cast<double>(i);
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 8,
                       cy + cell / 2 + 4, html_escape(labels[i]));
    for (std::size_t j = 0; j < k; ++j) {
      const double rate = row_total == 0 ? 0.0 : static_cast<double>(counts[i][j]) / static_cast<double>(row_total);
      // #f1f5f9 -> #1d4ed8
      const auto mix = [&](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * rate)); };
      const std::string fill = fmt::format("rgb({},{},{})", mix(241, 29), mix(245, 78), mix(249, 216));
      const char* ink = rate > 0.55 ? "#ffffff" : "#0f172a";
      const double x = left + cell * static_cast<double>(j);
      svg += fmt::format(
          "<g class=\"cell\"><rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"{2:.1f}\" height=\"{2:.1f}\" fill=\"{3}\" "
          "stroke=\"#ffffff\" stroke-width=\"2\"/>"
          "<text class=\"count\" x=\"{4:.1f}\" y=\"{5:.1f}\" text-anchor=\"middle\" fill=\"{6}\">{7}</text>"
          "{8}<title>true {9} → predicted {10}: {7} ({11:.1f}% of the row)</title></g>\n",
          x, cy, cell, fill, x + cell / 2, cy + cell / 2 + (cell >= 60 ? 0 : 4), ink, counts[i][j],
          cell >= 60 ? fmt::format("<text class=\"rate\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                                   "fill=\"{}\">{:.1f}%</text>",
                                   x + cell / 2, cy + cell / 2 + 17, ink, rate * 100)
                     : std::string(),
          html_escape(labels[i]), html_escape(labels[j]), rate * 100);
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace zhsenti::eval::detail
