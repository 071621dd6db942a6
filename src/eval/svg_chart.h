#pragma once
// Inline SVG charts for the HTML report: no scripts, no external resources. Each function
// returns one <svg> element sized by its viewBox so it scales with the page.

#include <optional>
#include <string>
#include <vector>

namespace zhsenti::eval::detail {

struct Series {
  std::string name;
  std::string color;                  // CSS colour
  std::vector<double> x;              // e.g. epochs
  std::vector<std::optional<double>> y;  // nullopt breaks the line
  bool dashed = false;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
  std::optional<double> y_min;  // fixed axis range (e.g. 0..1 for rates); else from data
  std::optional<double> y_max;
  bool integer_x = false;       // x ticks at whole numbers (epochs)
  bool square = false;          // equal-aspect plot area (ROC)
  bool diagonal = false;        // dotted y = x reference line (ROC)
};

std::string line_chart_svg(const LineChart& chart);

// Heat map of a confusion matrix: colour = row-normalised rate (recall per true label), text =
// count and row percentage.
std::string confusion_svg(const std::vector<std::string>& labels,
                          const std::vector<std::vector<long long>>& counts);

// "Nice" tick values covering [lo, hi] (1, 2, 2.5, 5 x 10^k steps).
std::vector<double> nice_ticks(double lo, double hi, int target_count);

}  // namespace zhsenti::eval::detail
