#include "zhsenti/nn/layers/pooling.h"

#include <cstring>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

namespace {

// The packed row holding the final state of direction d of sequence b.
int last_row(const PackedBatch& pb, int b, int d) {
  return d == 0 ? pb.row(b, pb.lengths[b] - 1) : pb.row(b, 0);
}

}  // namespace

// last: feat_b = [h_fwd(b, L_b - 1), h_bwd(b, 0)];  mean: feat_b = 1/L_b sum_t h(b, t);
// max: feat_b[j] = max_t h(b, t)[j]
void pool_forward(PoolType pool, const PackedBatch& pb, StateLayout states, const float* h,
                  float* feat, PoolCache& cache, Workspace& ws) {
  const int f = states.width(), hidden = states.hidden, directions = states.directions;
  cache.argmax = nullptr;
  if (pool == PoolType::kMax) {
    cache.argmax = ws.ints(static_cast<std::size_t>(pb.batch) * f);
  }
  for (int b = 0; b < pb.batch; ++b) {
    float* out = feat + static_cast<std::ptrdiff_t>(b) * f;
    switch (pool) {
      case PoolType::kLast:
        for (int d = 0; d < directions; ++d) {
          std::memcpy(out + d * hidden,
                      h + static_cast<std::ptrdiff_t>(last_row(pb, b, d)) * f + d * hidden,
                      sizeof(float) * hidden);
        }
        break;
      case PoolType::kMean: {
        std::memset(out, 0, sizeof(float) * f);
        for (int t = 0; t < pb.lengths[b]; ++t) {
          const float* row = h + static_cast<std::ptrdiff_t>(pb.row(b, t)) * f;
          for (int j = 0; j < f; ++j) out[j] += row[j];
        }
        const float inv = 1.0f / static_cast<float>(pb.lengths[b]);
        for (int j = 0; j < f; ++j) out[j] *= inv;
        break;
      }
      case PoolType::kMax: {
        int32_t* arg = cache.argmax + static_cast<std::ptrdiff_t>(b) * f;
        const int r0 = pb.row(b, 0);
        std::memcpy(out, h + static_cast<std::ptrdiff_t>(r0) * f, sizeof(float) * f);
        for (int j = 0; j < f; ++j) arg[j] = r0;
        for (int t = 1; t < pb.lengths[b]; ++t) {
          const int r = pb.row(b, t);
          const float* row = h + static_cast<std::ptrdiff_t>(r) * f;
          for (int j = 0; j < f; ++j) {
            if (row[j] > out[j]) {
              out[j] = row[j];
              arg[j] = r;
            }
          }
        }
        break;
      }
      case PoolType::kAttention:
        ZHSENTI_CHECK_ARG(false, "attention pooling is AdditiveAttention, not pool_forward");
    }
  }
}

// last: dh at the two final-state rows;  mean: dh(b, t) = dfeat_b / L_b;
// max: dh at each arg max = dfeat_b
void pool_backward(PoolType pool, const PackedBatch& pb, StateLayout states, const float* dfeat,
                   float* dh, const PoolCache& cache) {
  const int f = states.width(), hidden = states.hidden, directions = states.directions;
  std::memset(dh, 0, sizeof(float) * static_cast<std::size_t>(pb.rows) * f);
  for (int b = 0; b < pb.batch; ++b) {
    const float* d = dfeat + static_cast<std::ptrdiff_t>(b) * f;
    switch (pool) {
      case PoolType::kLast:
        for (int dir = 0; dir < directions; ++dir) {
          float* row = dh + static_cast<std::ptrdiff_t>(last_row(pb, b, dir)) * f + dir * hidden;
          for (int j = 0; j < hidden; ++j) row[j] += d[dir * hidden + j];
        }
        break;
      case PoolType::kMean: {
        const float inv = 1.0f / static_cast<float>(pb.lengths[b]);
        for (int t = 0; t < pb.lengths[b]; ++t) {
          float* row = dh + static_cast<std::ptrdiff_t>(pb.row(b, t)) * f;
          for (int j = 0; j < f; ++j) row[j] = d[j] * inv;
        }
        break;
      }
      case PoolType::kMax: {
        const int32_t* arg = cache.argmax + static_cast<std::ptrdiff_t>(b) * f;
        for (int j = 0; j < f; ++j) dh[static_cast<std::ptrdiff_t>(arg[j]) * f + j] += d[j];
        break;
      }
      case PoolType::kAttention:
        ZHSENTI_CHECK_ARG(false, "attention pooling is AdditiveAttention, not pool_backward");
    }
  }
}

}  // namespace zhsenti::nn
