#pragma once
// A recurrent layer's forward weights in kernel layout (private to the engine).

#include "kernels/bf16_gemm.h"
#include "kernels/int8_gemm.h"
#include "kernels/packed_gemm.h"
#include "zhsenti/nn/layers/recurrent.h"

namespace zhsenti::nn {

struct PackedRecurrentWeights {
  // fp32: op(B) = W_ih^T (in x G) and W_hh^T (H x G).
  PackedB w_ih_t[RecurrentLayer::kMaxDirections];
  PackedB w_hh_t[RecurrentLayer::kMaxDirections];
  // bf16 inference: the same matrices in bfloat16 panels; the fp32 ones are then unset.
  Precision precision = Precision::kFp32;
  PackedBf16 w_ih_b[RecurrentLayer::kMaxDirections];
  PackedBf16 w_hh_b[RecurrentLayer::kMaxDirections];
  // The product a step runs on its input row: lstm/rnn [W_ih^T; W_hh^T] (pack_bf16_stacked),
  // gru W_ih^T.
  PackedBf16 w_in_b[RecurrentLayer::kMaxDirections];
  // int8 inference: W_ih^T and W_hh^T as int8 panels with the rows' scales.
  PackedI8 w_ih_q[RecurrentLayer::kMaxDirections];
  PackedI8 w_hh_q[RecurrentLayer::kMaxDirections];
};

}  // namespace zhsenti::nn
