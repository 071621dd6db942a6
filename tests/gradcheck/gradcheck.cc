#include "gradcheck.h"

#include <fmt/format.h>

#include <cmath>
#include <random>

namespace zhsenti::nn::testing {

namespace {

double weighted_sum(const std::vector<float>& out, const std::vector<float>& r) {
  double s = 0;
  for (std::size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out[i]) * r[i];
  return s;
}

}  // namespace

GradCheckReport check_gradients(GradCheckCase& c, const GradCheckOptions& options) {
  const std::vector<float> out0 = c.forward();
  std::mt19937 gen(options.seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> r(out0.size());
  for (float& x : r) x = dist(gen);
  c.forward();
  c.backward(r);
  // The backward pass may reuse buffers the next forward overwrites: keep a copy.
  std::vector<std::vector<float>> analytic;
  for (const Variable& v : c.variables) analytic.emplace_back(v.grad, v.grad + v.size);

  GradCheckReport report;
  for (std::size_t vi = 0; vi < c.variables.size(); ++vi) {
    const Variable& v = c.variables[vi];
    for (std::size_t k = 0; k < v.size; ++k) {
      const float saved = v.value[k];
      const auto h = static_cast<float>(options.step);
      v.value[k] = saved + h;
      const double plus = weighted_sum(c.forward(), r);
      v.value[k] = saved - h;
      const double minus = weighted_sum(c.forward(), r);
      v.value[k] = saved;
      // The float step actually taken, which may differ from h by rounding.
      const double taken = (static_cast<double>(saved + h) - static_cast<double>(saved - h));
      const double numeric = (plus - minus) / taken;
      const double a = analytic[vi][k];
      const double ratio = std::fabs(a - numeric) /
                           (options.atol + options.rtol * std::max(std::fabs(a), std::fabs(numeric)));
      ++report.checked;
      if (ratio > report.worst_ratio || std::isnan(ratio)) {
        report.worst_ratio = std::isnan(ratio) ? 1e30 : ratio;
        report.worst = fmt::format("{}[{}]: analytic {:.6g} numeric {:.6g}", v.name, k, a, numeric);
      }
    }
  }
  return report;
}

}  // namespace zhsenti::nn::testing
