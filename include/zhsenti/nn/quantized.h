#pragma once
// Post-training int8 weights (`zhsenti quantize`, docs/export.md): a (rows x cols) matrix
// as int8 values with one symmetric fp32 scale per row, w(r, c) ~ q(r, c) * scale[r],
// scale[r] = max_c |w(r, c)| / 127, q = round-to-nearest-even(w * 127 / max|w|) in
// [-127, 127]. Per row, because a row is one output unit of a product (a gate unit, a class)
// or one embedding: rows differ in range by an order of magnitude, and a per-row scale
// commutes with the products (it multiplies each output column once).

#include <cstdint>
#include <span>
#include <vector>

namespace zhsenti::nn {

struct QuantizedRows {
  int rows = 0, cols = 0;
  std::vector<std::int8_t> values;  // (rows, cols) row-major
  std::vector<float> scales;        // (rows)
};

// w (rows x cols) row-major; every value finite.
QuantizedRows quantize_rows(std::span<const float> w, int rows, int cols);
// out (rows x cols) = values * scale of their row, the weights a quantised model computes with.
void dequantize_rows(const QuantizedRows& q, std::span<float> out);

}  // namespace zhsenti::nn
