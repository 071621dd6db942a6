#pragma once
// Sequence pooling of a recurrent layer's packed output h (N, F = D*H) into one feature
// row per sequence, in batch order (B, F):
//   last  the final state of each direction, as PyTorch's h_n of the last layer
//         concatenated [forward, backward]: forward at the sequence's last step, backward
//         at its first step (where the reverse pass ends);
//   mean  the mean over the sequence's steps;
//   max   the element-wise max over the sequence's steps (gradient to the first arg max).
// Additive attention lives in attention.h.

#include <cstdint>

#include "zhsenti/nn/layer_kinds.h"
#include "zhsenti/nn/layers/packed_batch.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct PoolCache {
  int32_t* argmax = nullptr;  // max: (B, F) packed row of each maximum
};

// pool: kLast, kMean or kMax; h's rows are laid out as `states` says (F = states.width()).
void pool_forward(PoolType pool, const PackedBatch& pb, StateLayout states, const float* h,
                  float* feat, PoolCache& cache, Workspace& ws);
// Writes all of dh (N, F): zero where the pooling did not look.
void pool_backward(PoolType pool, const PackedBatch& pb, StateLayout states, const float* dfeat,
                   float* dh, const PoolCache& cache);

}  // namespace zhsenti::nn
