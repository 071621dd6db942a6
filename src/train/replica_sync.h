#pragma once
// Keeping the model replicas of a data-parallel job identical (src/dist; no-ops in a world of
// one): gradients summed over all ranks before the optimiser step, which every rank then
// applies alike, and a cheap checksum of the weights compared now and then, so that a
// divergence (a bug, or ranks running different builds) stops the job instead of silently
// training N different models.

#include <cstdint>

#include "zhsenti/nn/param_store.h"

namespace zhsenti::train {

// Sums the trainable gradients of all ranks in place, in buckets of a few MiB (so no
// temporary copy of the whole arena); of an embedding only the rows some rank touched (the
// rest of its gradient is zero everywhere), which are recorded as touched here too, so that
// zero_grad() clears the rows the other ranks filled.
void allreduce_gradients(nn::ParamStore& params);

// A checksum of every value's bits (order-sensitive, ~1 GB/s).
std::uint64_t weights_checksum(const nn::ParamStore& params);

// Throws Error(kInternal) naming the ranks whose weights differ from rank 0's after `step`.
void check_replicas_agree(const nn::ParamStore& params, std::int64_t step);

}  // namespace zhsenti::train
