#include "zhsenti/nn/loss/cross_entropy.h"

#include <algorithm>
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
