#pragma once
// Small reductions shared by layers (private to the engine).

#include <cstddef>

namespace zhsenti::nn {

// out[j] += sum_i a[i * lda + j] for a (rows x cols).
inline void add_column_sums(int rows, int cols, const float* a, int lda, float* out) {
  for (int i = 0; i < rows; ++i) {
    const float* row = a + static_cast<std::ptrdiff_t>(i) * lda;
    for (int j = 0; j < cols; ++j) out[j] += row[j];
  }
}

}  // namespace zhsenti::nn
