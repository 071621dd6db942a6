#include "zhsenti/nn/quantized.h"

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

QuantizedRows quantize_rows(std::span<const float> w, int rows, int cols) {
  ZHSENTI_CHECK_ARG(rows >= 0 && cols >= 0 &&
                        w.size() == static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols),
                    "quantize_rows: {} values for a {} x {} matrix", w.size(), rows, cols);
  QuantizedRows q{rows, cols, std::vector<std::int8_t>(w.size()),
                  std::vector<float>(static_cast<std::size_t>(rows))};
  for (int r = 0; r < rows; ++r) {
    const auto row = w.subspan(static_cast<std::size_t>(r) * cols, static_cast<std::size_t>(cols));
    float amax = 0.0f;
    for (const float v : row) amax = std::max(amax, std::fabs(v));
    // The same arithmetic as the kernels' dynamic quantisation (kernels/int8_gemm.h).
    const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
    q.scales[static_cast<std::size_t>(r)] = amax / 127.0f;
    std::int8_t* out = q.values.data() + static_cast<std::size_t>(r) * cols;
    for (int c = 0; c < cols; ++c) {
      out[c] = static_cast<std::int8_t>(std::clamp(std::nearbyint(row[c] * inv), -127.0f, 127.0f));
    }
  }
  return q;
}

void dequantize_rows(const QuantizedRows& q, std::span<float> out) {
  ZHSENTI_CHECK_ARG(out.size() == q.values.size(), "dequantize_rows: {} floats for {} values",
                    out.size(), q.values.size());
  for (int r = 0; r < q.rows; ++r) {
    const float s = q.scales[static_cast<std::size_t>(r)];
    for (int c = 0; c < q.cols; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * q.cols + c;
      out[i] = static_cast<float>(q.values[i]) * s;
    }
  }
}

}  // namespace zhsenti::nn
