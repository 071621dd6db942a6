#pragma once
// x W_ih^T of every step of a recurrent forward pass at once, ahead of the time loop (the
// gate kernels add the biases): one fp32, bf16 or int8 GEMM per direction into (N, G) rows, or,
// with a first-layer table (inference), one pointer per packed row into the table; a table
// may hold only the most frequent ids, the other rows (rarer words) are gathered and
// projected by one product per direction.

#include "layers/packed_weights.h"
#include "zhsenti/nn/layers/recurrent.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct HoistedInputs {
  float* gates[RecurrentLayer::kMaxDirections] = {};          // (N, G); null with a table
  const float** x_rows[RecurrentLayer::kMaxDirections] = {};  // (N) with a table
};

struct HoistShape {
  int directions = 1;
  int input = 0;  // columns of x
  int gates = 0;  // G
};

// x: (rows, ld_x) packed rows, or with pre's table the input rows by id (see
// RecurrentLayer::Precomputed).
HoistedInputs hoist_inputs(const HoistShape& shape, int rows, const float* x, int ld_x,
                           const PackedRecurrentWeights& packed,
                           const RecurrentLayer::Precomputed* pre, Workspace& ws);

}  // namespace zhsenti::nn
