#include "zhsenti/nn/init.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void init_constant(std::span<float> w, float value) { std::fill(w.begin(), w.end(), value); }

void init_uniform(std::span<float> w, float bound, Rng& rng) {
  for (float& x : w) x = rng.uniform_float(-bound, bound);
}

void init_normal(std::span<float> w, float mean, float stddev, Rng& rng) {
  for (float& x : w) x = static_cast<float>(mean + stddev * rng.normal());
}

void init_xavier_uniform(std::span<float> w, int fan_in, int fan_out, Rng& rng, float gain) {
  ZHSENTI_CHECK_ARG(fan_in > 0 && fan_out > 0, "xavier: fans {} and {}", fan_in, fan_out);
  init_uniform(w, gain * std::sqrt(6.0f / static_cast<float>(fan_in + fan_out)), rng);
}

void init_orthogonal(std::span<float> w, int rows, int cols, Rng& rng, float gain) {
  ZHSENTI_CHECK_ARG(rows > 0 && cols > 0 && w.size() == static_cast<std::size_t>(rows) * cols,
                    "orthogonal: {} values for a {}x{} matrix", w.size(), rows, cols);
  // Orthonormalise the k short vectors of length n (k = min, n = max) in double.
  const int k = std::min(rows, cols), n = std::max(rows, cols);
  std::vector<double> q(static_cast<std::size_t>(k) * n);
  for (double& x : q) x = rng.normal();
  for (int i = 0; i < k; ++i) {
    double* qi = q.data() + static_cast<std::size_t>(i) * n;
    for (int pass = 0; pass < 2; ++pass) {  // re-orthogonalise once for accuracy
      for (int j = 0; j < i; ++j) {
        const double* qj = q.data() + static_cast<std::size_t>(j) * n;
        double dot = 0;
        for (int p = 0; p < n; ++p) dot += qi[p] * qj[p];
        for (int p = 0; p < n; ++p) qi[p] -= dot * qj[p];
      }
    }
    double norm = 0;
    for (int p = 0; p < n; ++p) norm += qi[p] * qi[p];
    norm = std::sqrt(norm);
    for (int p = 0; p < n; ++p) qi[p] /= norm;
  }
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      // rows <= cols: row r is vector r; otherwise column c is vector c.
      const double x = rows <= cols ? q[static_cast<std::size_t>(r) * n + c]
                                    : q[static_cast<std::size_t>(c) * n + r];
      w[static_cast<std::size_t>(r) * cols + c] = static_cast<float>(gain * x);
    }
  }
}

}  // namespace zhsenti::nn
