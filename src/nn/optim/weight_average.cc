#include "zhsenti/nn/optim/weight_average.h"

#include <algorithm>

#include "optim/grad_ranges.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {

float average_decay(float decay, std::int64_t updates) {
  const double warm = (1.0 + static_cast<double>(updates)) / (10.0 + static_cast<double>(updates));
  return static_cast<float>(std::min(static_cast<double>(decay), warm));
}

void update_average(ParamStore& average, const ParamStore& params, float decay,
                    std::int64_t updates, ThreadPool* pool) {
  ZHSENTI_CHECK_ARG(decay > 0.0f && decay < 1.0f, "average decay {} must be in (0, 1)", decay);
  ZHSENTI_CHECK_ARG(average.total_size() == params.total_size(),
                    "weight average of {} values for a model of {}", average.total_size(),
                    params.total_size());
  const float d = average_decay(decay, updates);
  const float w = 1.0f - d;
  float* a = average.values().data();
  const float* p = params.values().data();
  for_chunks(pool, 0, params.total_size(), [a, p, w](std::size_t offset, std::size_t count) {
    float* __restrict out = a + offset;
    const float* __restrict in = p + offset;
    for (std::size_t i = 0; i < count; ++i) out[i] += w * (in[i] - out[i]);
  });
}

}  // namespace zhsenti::nn
