#include "zhsenti/nn/loss/cross_entropy.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void softmax_rows(const float* in, float* out, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const float* x = in + static_cast<std::ptrdiff_t>(i) * cols;
    float* y = out + static_cast<std::ptrdiff_t>(i) * cols;
    const float top = *std::max_element(x, x + cols);
    double sum = 0;
    for (int c = 0; c < cols; ++c) {
      y[c] = std::exp(x[c] - top);
      sum += y[c];
    }
    const auto inv = static_cast<float>(1.0 / sum);
    for (int c = 0; c < cols; ++c) y[c] *= inv;
  }
}

namespace {

// Focal loss, per row, with f(p) = (1 - p)^g (-log p) and L_i = sum_c t_c f(p_c):
// dL_i/dz_k = u_k - p_k sum_c u_c, where u_c = t_c p_c f'(p_c) = t_c q_c^g (g p_c r_c - 1),
// q = 1 - p and r = log p / q (-> -1 as q -> 0, which keeps a confident row finite). q is
// taken as -expm1(log p) so that it keeps its digits when p is close to 1.
double focal_rows(std::span<const float> logits, std::span<const int32_t> labels, int c,
                  std::span<const float> cw, std::span<const float> offsets, float eps,
                  double gamma, double denom, std::span<float> dlogits) {
  const int b = static_cast<int>(labels.size());
  const auto w = [&](int k) { return cw.empty() ? 1.0 : static_cast<double>(cw[k]); };
  double total = 0;
  for (int i = 0; i < b; ++i) {
    const float* row = logits.data() + static_cast<std::ptrdiff_t>(i) * c;
    const auto z = [&](int k) { return row[k] + (offsets.empty() ? 0.0 : offsets[k]); };
    const int y = labels[i];
    double top = z(0);
    for (int k = 1; k < c; ++k) top = std::max(top, z(k));
    double sum = 0;
    for (int k = 0; k < c; ++k) sum += std::exp(z(k) - top);
    const double log_sum = top + std::log(sum);
    // Class k's loss term, log p_k and u_k.
    const auto term = [&](int k) {
      const double t = (k == y ? (1.0 - eps) * w(y) : 0.0) + eps / c * w(k);
      const double log_p = z(k) - log_sum;
      const double q = -std::expm1(log_p);
      const double q_pow = std::pow(q, gamma);
      const double r = q > 0 ? log_p / q : -1.0;
      return std::array<double, 3>{t * q_pow * -log_p, log_p,
                                   t * q_pow * (gamma * std::exp(log_p) * r - 1.0)};
    };
    double u_sum = 0;
    for (int k = 0; k < c; ++k) {
      const auto [loss, log_p, u] = term(k);
      total += loss;
      u_sum += u;
    }
    if (dlogits.empty()) continue;
    float* dz = dlogits.data() + static_cast<std::ptrdiff_t>(i) * c;
    for (int k = 0; k < c; ++k) {
      const auto [loss, log_p, u] = term(k);
      dz[k] = static_cast<float>((u - std::exp(log_p) * u_sum) / denom);
    }
  }
  return total / denom;
}

}  // namespace

// With W = sum_i w[y_i] and p = softmax(z + o) (the offsets shift z, so dz = d(z + o)):
// dL/dz_ij = (p_ij ((1 - e) w[y_i] + (e / C) sum_c w[c]) - (1 - e) w[y_i] [j == y_i]
//             - (e / C) w[j]) / W
double cross_entropy(std::span<const float> logits, std::span<const int32_t> labels,
                     int num_classes, const CrossEntropyOptions& options,
                     std::span<float> dlogits) {
  const int c = num_classes;
  const int b = static_cast<int>(labels.size());
  ZHSENTI_CHECK_ARG(c >= 1 && b >= 1, "cross entropy: {} classes, batch {}", c, b);
  ZHSENTI_CHECK_ARG(logits.size() == static_cast<std::size_t>(b) * c,
                    "cross entropy: {} logits for a batch of {} with {} classes", logits.size(),
                    b, c);
  ZHSENTI_CHECK_ARG(dlogits.empty() || dlogits.size() == logits.size(),
                    "cross entropy: dlogits has {} values, logits {}", dlogits.size(),
                    logits.size());
  const float eps = options.label_smoothing;
  ZHSENTI_CHECK_ARG(eps >= 0.0f && eps <= 1.0f, "label smoothing {} not in [0, 1]", eps);
  const auto& cw = options.class_weights;
  ZHSENTI_CHECK_ARG(cw.empty() || cw.size() == static_cast<std::size_t>(c),
                    "{} class weights for {} classes", cw.size(), c);
  double weight_sum_all = 0;
  for (int k = 0; k < c; ++k) {
    const double w = cw.empty() ? 1.0 : cw[k];
    ZHSENTI_CHECK_ARG(w >= 0.0 && std::isfinite(w), "class weight {} of class {}", w, k);
    weight_sum_all += w;
  }
  const auto& offsets = options.logit_offsets;
  ZHSENTI_CHECK_ARG(offsets.empty() || offsets.size() == static_cast<std::size_t>(c),
                    "{} logit offsets for {} classes", offsets.size(), c);
  for (const float o : offsets) ZHSENTI_CHECK_ARG(std::isfinite(o), "logit offset {}", o);
  double total = 0, denom = 0;
  for (int i = 0; i < b; ++i) {
    ZHSENTI_CHECK_ARG(labels[i] >= 0 && labels[i] < c, "label {} of example {} not in [0, {})",
                      labels[i], i, c);
    denom += cw.empty() ? 1.0 : cw[labels[i]];
  }
  ZHSENTI_CHECK_ARG(denom > 0, "the labels of this batch all have class weight 0");
  const float gamma = options.focal_gamma;
  ZHSENTI_CHECK_ARG(gamma >= 0.0f && std::isfinite(gamma), "focal gamma {} is not >= 0", gamma);
  if (gamma > 0.0f) return focal_rows(logits, labels, c, cw, offsets, eps, gamma, denom, dlogits);
  for (int i = 0; i < b; ++i) {
    const float* row = logits.data() + static_cast<std::ptrdiff_t>(i) * c;
    const auto z = [&](int k) { return row[k] + (offsets.empty() ? 0.0 : offsets[k]); };
    const int y = labels[i];
    const double wy = cw.empty() ? 1.0 : cw[y];
    double top = z(0);
    for (int k = 1; k < c; ++k) top = std::max(top, z(k));
    double sum = 0;
    for (int k = 0; k < c; ++k) sum += std::exp(z(k) - top);
    const double log_sum = top + std::log(sum);
    double smooth = 0;  // sum_c w[c] (-log p_c)
    for (int k = 0; k < c; ++k) smooth += (cw.empty() ? 1.0 : cw[k]) * (log_sum - z(k));
    total += (1.0 - eps) * wy * (log_sum - z(y)) + eps / c * smooth;
    if (dlogits.empty()) continue;
    float* dz = dlogits.data() + static_cast<std::ptrdiff_t>(i) * c;
    const double scale = (1.0 - eps) * wy + eps / c * weight_sum_all;
    for (int k = 0; k < c; ++k) {
      const double p = std::exp(z(k) - log_sum);
      double g = p * scale - eps / c * (cw.empty() ? 1.0 : cw[k]);
      if (k == y) g -= (1.0 - eps) * wy;
      dz[k] = static_cast<float>(g / denom);
    }
  }
  return total / denom;
}

}  // namespace zhsenti::nn
