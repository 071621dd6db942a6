#include "zhsenti/nn/layers/recurrent.h"

#include <algorithm>
#include <cmath>

#include "kernels/bf16_gemm.h"
#include "kernels/int8_gemm.h"
#include "kernels/packed_gemm.h"
#include "layers/cell_steps.h"
#include "layers/input_hoisting.h"
#include "layers/packed_weights.h"
#include "layers/row_parallel.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/init.h"
#include "zhsenti/nn/kernels/gemm.h"

namespace zhsenti::nn {

int gate_count(CellType cell) {
  switch (cell) {
    case CellType::kRnn:
      return 1;
    case CellType::kLstm:
      return 4;
    case CellType::kGru:
      return 3;
  }
  return 0;
}

RecurrentLayer::RecurrentLayer(ParamStore& store, const std::string& prefix, CellType cell,
                               int input_dim, int hidden, bool bidirectional)
    : cell_(cell), input_(input_dim), hidden_(hidden), dirs_(bidirectional ? 2 : 1) {
  ZHSENTI_CHECK_ARG(input_dim > 0 && hidden > 0, "{}: input size {} and hidden size {}", prefix,
                    input_dim, hidden);
  const int64_t g = static_cast<int64_t>(gate_count(cell)) * hidden;
  for (int d = 0; d < dirs_; ++d) {
    const std::string base = prefix + (d == 0 ? ".forward." : ".backward.");
    params_[d].w_ih = store.add(base + "w_ih", {g, input_dim});
    params_[d].w_hh = store.add(base + "w_hh", {g, hidden});
    params_[d].b_ih = store.add(base + "b_ih", {g});
    params_[d].b_hh = store.add(base + "b_hh", {g});
  }
}

void RecurrentLayer::init_pytorch(ParamStore& store, Rng& rng) const {
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_));
  for (int d = 0; d < dirs_; ++d) {
    for (const auto id : {params_[d].w_ih, params_[d].w_hh, params_[d].b_ih, params_[d].b_hh}) {
      init_uniform(store.value(id), bound, rng);
    }
  }
}

void RecurrentLayer::init_xavier(ParamStore& store, Rng& rng, bool orthogonal_recurrent) const {
  const int g = gate_count(cell_) * hidden_;
  const std::size_t block = static_cast<std::size_t>(hidden_) * hidden_;
  for (int d = 0; d < dirs_; ++d) {
    init_xavier_uniform(store.value(params_[d].w_ih), input_, g, rng);
    auto w_hh = store.value(params_[d].w_hh);
    if (orthogonal_recurrent) {
      for (int k = 0; k < gate_count(cell_); ++k) {
        init_orthogonal(w_hh.subspan(k * block, block), hidden_, hidden_, rng);
      }
    } else {
      init_xavier_uniform(w_hh, hidden_, g, rng);
    }
    init_constant(store.value(params_[d].b_ih), 0.0f);
    init_constant(store.value(params_[d].b_hh), 0.0f);
  }
}

namespace {

// Forward visits the steps in time order (reverse: backwards in time).
void forward_loop(const PackedBatch& pb, bool reverse, RowGroup grp, const CellView& v) {
  for (int k = 0; k < pb.steps; ++k) {
    const StepRows s = rows_at(pb, grp, reverse ? pb.steps - 1 - k : k, reverse);
    if (s.rows > 0) step_forward(v, s);
  }
}

// Batches from this size run bf16 products per step (see forward()).
constexpr int kPerStepMinBatch = 16;

}  // namespace

void RecurrentLayer::input_projection(const ParamStore& store, int d, int rows, const float* inputs,
                                      float* table, Workspace& ws) const {
  const int g = gate_count(cell_) * hidden_;
  const PackedB w = pack_b(Trans::kYes, input_, g, store.value(params_[d].w_ih).data(), input_, ws);
  for_row_blocks(ws.pool(), rows, [&](int r0, int n) {
    gemm_packed(n, inputs + static_cast<std::ptrdiff_t>(r0) * input_, input_, w, 0.0f,
                table + static_cast<std::ptrdiff_t>(r0) * g, g);
  });
}

void RecurrentLayer::forward(const ParamStore& store, const PackedBatch& pb, const float* x,
                             int ld_x, float* out, bool train, Cache& cache, Workspace& ws,
                             const Precomputed* pre) const {
  const int hd = hidden_, g = gate_count(cell_) * hd, n = pb.rows, ld_out = dirs_ * hd;
  ZHSENTI_CHECK_ARG(ld_x >= input_, "recurrent input stride {} < input size {}", ld_x, input_);
  cache = Cache{};
  cache.x = x;
  cache.ld_x = ld_x;
  cache.out = out;
  cache.train = train;
  // Weights packed once for the whole pass: x W_ih^T and h W_hh^T.
  PackedRecurrentWeights local;
  const PackedRecurrentWeights* packed = pre != nullptr ? pre->packed : nullptr;
  if (packed == nullptr) {
    const std::size_t size = packed_weights_size();
    pack_forward_weights(store, size > 0 ? ws.floats(size) : nullptr, local);
    packed = &local;
  }
  const PackedB* w_hh_t = packed->w_hh_t;
  const bool from_table = pre != nullptr && pre->input_table[0] != nullptr;
  ZHSENTI_CHECK_INTERNAL(!(from_table && train));  // table rows are read only
  const bool bf16 = packed->precision == Precision::kBf16;
  const bool int8 = packed->precision == Precision::kInt8;
  // bf16 batches of at least 16 sequences without the table: each step runs its own input
  // product (lstm/rnn: [x_t, h_{t-1}] by the stacked weights in one product) on whole AMX
  // tiles, so no (N, G) buffer of hoisted products makes a round trip through memory.
  // Smaller batches hoist: their steps are too short for tiles, their buffer fits in cache.
  // int8 the same way (hoisting made it slower than bf16: docs/BENCHMARKS.md, "int8
  // quantisation"), its input and hidden products apart.
  const bool per_step = (bf16 || int8) && !from_table && pb.batch >= kPerStepMinBatch;

  const float* bias[kMaxDirections] = {};
  for (int d = 0; d < dirs_; ++d) {
    if (cell_ == CellType::kLstm) cache.c[d] = ws.floats(static_cast<std::size_t>(n) * hd);
    if (cell_ == CellType::kGru) {
      if (train) cache.hn[d] = ws.floats(static_cast<std::size_t>(n) * hd);
      bias[d] = store.value(params_[d].b_ih).data();
    } else {
      float* b = ws.floats(static_cast<std::size_t>(g));
      const float* bi = store.value(params_[d].b_ih).data();
      const float* bh = store.value(params_[d].b_hh).data();
      for (int j = 0; j < g; ++j) b[j] = bi[j] + bh[j];
      bias[d] = b;
    }
  }
  // Per-task buffers of one step's rows. bf16 rounds them up to whole 16-row blocks, so AMX
  // tiles cover a partial block too (the extra rows are scratch).
  const int step_rows = bf16 ? (pb.batch + 15) / 16 * 16 : pb.batch;
  const int groups = row_groups(ws, dirs_, pb.batch);
  float* scratch[kMaxDirections * 64] = {};
  const int tasks = dirs_ * groups;
  ZHSENTI_CHECK_INTERNAL(tasks <= kMaxDirections * 64);
  if (cell_ == CellType::kGru || (int8 && per_step)) {
    for (int k = 0; k < tasks; ++k) scratch[k] = ws.floats(static_cast<std::size_t>(step_rows) * g);
  }

  // bf16: per task, h_{t-1} in bfloat16, and with per_step the step's input rows; int8:
  // h_{t-1} quantised and its row scales. Step gates: the per-step products' output, or
  // h_{t-1} W_hh^T kept apart from read-only rows (bf16 and int8 hoisted steps, table steps).
  const int kp_h = bf16_padded_k(hd);
  Bf16* hb[kMaxDirections * 64] = {};
  Bf16* ab[kMaxDirections * 64] = {};
  float* step_gates[kMaxDirections * 64] = {};
  const int kp_q = i8_padded_k(hd);
  std::int8_t* hq[kMaxDirections * 64] = {};
  std::int8_t* aq[kMaxDirections * 64] = {};
  float* as[kMaxDirections * 64] = {};
  float* hs[kMaxDirections * 64] = {};
  for (int k = 0; k < tasks; ++k) {
    if (int8) {
      hq[k] = static_cast<std::int8_t*>(ws.bytes(static_cast<std::size_t>(step_rows) * kp_q));
      hs[k] = ws.floats(static_cast<std::size_t>(step_rows));
    }
    if (bf16) {
      hb[k] =
          static_cast<Bf16*>(ws.bytes(sizeof(Bf16) * static_cast<std::size_t>(step_rows) * kp_h));
    }
    if (per_step && int8) {
      aq[k] = static_cast<std::int8_t*>(
          ws.bytes(static_cast<std::size_t>(step_rows) * packed->w_ih_q[0].kp));
      as[k] = ws.floats(static_cast<std::size_t>(step_rows));
    } else if (per_step) {
      ab[k] = static_cast<Bf16*>(
          ws.bytes(sizeof(Bf16) * static_cast<std::size_t>(step_rows) * packed->w_in_b[0].kp));
    }
    if (bf16 || int8 || from_table) {
      step_gates[k] = ws.floats(static_cast<std::size_t>(step_rows) * g);
    }
  }

  // With a table the steps read its rows in place, through one pointer per packed row.
  const float** x_rows[kMaxDirections] = {};
  if (!per_step) {
    const HoistedInputs h = hoist_inputs({dirs_, input_, g}, n, x, ld_x, *packed, pre, ws);
    for (int d = 0; d < dirs_; ++d) {
      cache.gates[d] = h.gates[d];
      x_rows[d] = h.x_rows[d];
    }
  }

  run_parallel(ws, tasks, [&](int task) {
    const int d = task / groups;
    CellView v = cell_view(cell_, hd, groups, cache, d, out, ld_out);
    v.w_hh = &w_hh_t[d];
    v.w_hh_bf16 = bf16 ? &packed->w_hh_b[d] : nullptr;
    v.h_bf16 = hb[task];
    v.w_hh_i8 = int8 ? &packed->w_hh_q[d] : nullptr;
    v.h_i8 = hq[task];
    v.h_scales = hs[task];
    v.x = per_step ? x : nullptr;
    v.ld_x = ld_x;
    v.input = input_;
    v.w_in_bf16 = per_step && bf16 ? &packed->w_in_b[d] : nullptr;
    v.a_bf16 = ab[task];
    v.w_in_i8 = per_step && int8 ? &packed->w_ih_q[d] : nullptr;
    v.a_i8 = aq[task];
    v.a_scales = as[task];
    v.step_gates = step_gates[task];
    v.step_rows = bf16 ? step_rows : 0;
    v.bias = bias[d];
    v.b_hh = store.value(params_[d].b_hh).data();
    v.scratch = scratch[task];
    v.inference = !train;
    v.x_rows = x_rows[d];
    forward_loop(pb, d == 1, RowGroup{task % groups, groups}, v);
  });
}

}  // namespace zhsenti::nn
