#pragma once
// A recurrent layer's forward weights in kernel layout (private to the engine).

#include "kernels/packed_gemm.h"
#include "zhsenti/nn/layers/recurrent.h"

namespace zhsenti::nn {

struct PackedRecurrentWeights {
  PackedB w_ih_t[RecurrentLayer::kMaxDirections];  // op(B) = W_ih^T (in x G)
  PackedB w_hh_t[RecurrentLayer::kMaxDirections];  // op(B) = W_hh^T (H x G)
};

}  // namespace zhsenti::nn
