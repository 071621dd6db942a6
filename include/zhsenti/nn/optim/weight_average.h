#pragma once
// Exponential moving average of a model's weights (Polyak averaging): scored and kept instead
// of the raw weights, it smooths the noise of the last steps, which on small data sets moves
// dev accuracy by more than a point from one epoch to the next.

#include <cstdint>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn {

// The decay of update number `updates` (0-based): min(decay, (1 + n) / (10 + n)), so the
// first averages follow the weights instead of staying near their random initialisation.
float average_decay(float decay, std::int64_t updates);

// average <- d average + (1 - d) params over the whole arena, d = average_decay(decay,
// updates). The stores must share a layout. Element-wise, so any pool split gives the same
// result; null pool: one thread.
void update_average(ParamStore& average, const ParamStore& params, float decay,
                    std::int64_t updates, ThreadPool* pool);

}  // namespace zhsenti::nn
