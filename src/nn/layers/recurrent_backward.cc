// Backward through time of a recurrent layer (the forward driver is recurrent.cc): the
// steps in reverse order turn the cached gate activations into d pre-activations, then the
// weight gradients and dx are whole-pass products.
#include <algorithm>
#include <cstring>

#include "kernels/packed_gemm.h"
#include "kernels/reduce.h"
#include "layers/cell_steps.h"
#include "layers/row_parallel.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/kernels/gemm.h"
#include "zhsenti/nn/layers/recurrent.h"

namespace zhsenti::nn {
namespace {

// Backward visits the steps in the opposite order of forward_loop.
void backward_loop(const PackedBatch& pb, bool reverse, RowGroup grp, const CellView& v) {
  for (int k = 0; k < pb.steps; ++k) {
    const StepRows s = rows_at(pb, grp, reverse ? k : pb.steps - 1 - k, reverse);
    if (s.rows > 0) step_backward(v, s);
  }
}

// hprev row r (leading dimension ld) = the state that fed packed row r (zero where a
// sequence starts). out and hprev share the leading dimension.
void gather_previous_states(const PackedBatch& pb, bool reverse, const float* out, int ld,
                            int hidden, float* hprev) {
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(hidden);
  for (int t = 0; t < pb.steps; ++t) {
    const int rows = pb.batch_sizes[t];
    const int tp = reverse ? t + 1 : t - 1;
    const int prev_rows = (tp >= 0 && tp < pb.steps) ? std::min(rows, pb.batch_sizes[tp]) : 0;
    for (int i = 0; i < rows; ++i) {
      float* dst = hprev + static_cast<std::ptrdiff_t>(pb.offsets[t] + i) * ld;
      if (i < prev_rows) {
        std::memcpy(dst, out + static_cast<std::ptrdiff_t>(pb.offsets[tp] + i) * ld, bytes);
      } else {
        std::memset(dst, 0, bytes);
      }
    }
  }
}

}  // namespace

void RecurrentLayer::backward(ParamStore& store, const PackedBatch& pb, float* dout, float* dx,
                              const Cache& cache, Workspace& ws) const {
  ZHSENTI_CHECK_ARG(cache.train, "recurrent backward needs a forward pass with train=true");
  const int hd = hidden_, g = gate_count(cell_) * hd, n = pb.rows, ld_out = dirs_ * hd;
  const int groups = row_groups(ws, dirs_, pb.batch);
  const int tasks = dirs_ * groups;
  ZHSENTI_CHECK_INTERNAL(tasks <= kMaxDirections * 64);
  float* dgh[kMaxDirections] = {};
  float* bias_sums[kMaxDirections] = {};
  float* scratch[kMaxDirections * 64] = {};
  for (int d = 0; d < dirs_; ++d) {
    dgh[d] = cell_ == CellType::kGru ? ws.floats(static_cast<std::size_t>(n) * g) : cache.gates[d];
    bias_sums[d] = ws.floats(static_cast<std::size_t>(g));
  }
  if (cell_ == CellType::kLstm) {
    for (int k = 0; k < tasks; ++k) scratch[k] = ws.floats(static_cast<std::size_t>(pb.batch) * hd);
  }
  // dh_{t-1} += dpre W_hh per step and dx = dpre W_ih: both weights packed as (G x .).
  PackedB w_hh[kMaxDirections], w_ih[kMaxDirections];
  for (int d = 0; d < dirs_; ++d) {
    w_hh[d] = pack_b(Trans::kNo, g, hd, store.value(params_[d].w_hh).data(), hd, ws);
    if (dx != nullptr) {
      w_ih[d] = pack_b(Trans::kNo, g, input_, store.value(params_[d].w_ih).data(), input_, ws);
    }
  }

  // Through time: gates become d pre-activations, dout gathers the recurrent gradient.
  run_parallel(ws, tasks, [&](int task) {
    const int d = task / groups;
    CellView v = cell_view(cell_, hd, groups, cache, d, cache.out, ld_out);
    v.w_hh = &w_hh[d];
    v.dgh = dgh[d];
    v.dout = dout + d * hd;
    v.ld_dout = ld_out;
    v.scratch = scratch[task];
    backward_loop(pb, d == 1, RowGroup{task % groups, groups}, v);
  });

  // dW_ih += dpre^T x;  dW_hh += dpre_h^T h_prev;  db_ih += sum dpre;  db_hh += sum dpre_h.
  // dout is spent: its columns of direction d hold that direction's h_prev rows. The
  // gradient views are taken before the directions run in parallel: the store allocates
  // its gradients on the first mutable access.
  struct Grads {
    float *w_ih, *w_hh, *b_ih, *b_hh;
  } grads[kMaxDirections] = {};
  for (int d = 0; d < dirs_; ++d) {
    const Direction& p = params_[d];
    grads[d] = {store.grad(p.w_ih).data(), store.grad(p.w_hh).data(), store.grad(p.b_ih).data(),
                store.grad(p.b_hh).data()};
  }
  auto weight_grads = [&](int d, ThreadPool* pool) {
    float* hprev = dout + d * hd;
    gather_previous_states(pb, d == 1, cache.out + d * hd, ld_out, hd, hprev);
    float* dw_ih = grads[d].w_ih;
    float* dw_hh = grads[d].w_hh;
    for_row_blocks(pool, g, [&](int g0, int rows) {
      gemm_tn_accumulate(rows, input_, n, cache.gates[d] + g0, g, cache.x, cache.ld_x,
                         dw_ih + static_cast<std::ptrdiff_t>(g0) * input_, input_);
      gemm_tn_accumulate(rows, hd, n, dgh[d] + g0, g, hprev, ld_out,
                         dw_hh + static_cast<std::ptrdiff_t>(g0) * hd, hd);
    });
    float* db_ih = grads[d].b_ih;
    float* db_hh = grads[d].b_hh;
    if (dgh[d] != cache.gates[d]) {
      add_column_sums(n, g, cache.gates[d], g, db_ih);
      add_column_sums(n, g, dgh[d], g, db_hh);
    } else {
      // lstm/rnn: both biases enter the same pre-activation, so they share one sum.
      float* sum = bias_sums[d];
      std::fill(sum, sum + g, 0.0f);
      add_column_sums(n, g, cache.gates[d], g, sum);
      for (int j = 0; j < g; ++j) {
        db_ih[j] += sum[j];
        db_hh[j] += sum[j];
      }
    }
  };
  if (dirs_ > 1 && ws.pool() != nullptr) {
    run_parallel(ws, dirs_, [&](int d) { weight_grads(d, nullptr); });
  } else {
    for (int d = 0; d < dirs_; ++d) weight_grads(d, ws.pool());
  }

  if (dx == nullptr) return;
  // dx = sum_d dpre_d W_ih_d, split by rows so every row is summed in the same order.
  for_row_blocks(ws.pool(), n, [&](int r0, int rows) {
    for (int d = 0; d < dirs_; ++d) {
      gemm_packed(rows, cache.gates[d] + static_cast<std::ptrdiff_t>(r0) * g, g, w_ih[d],
                  d == 0 ? 0.0f : 1.0f, dx + static_cast<std::ptrdiff_t>(r0) * input_, input_);
    }
  });
}

}  // namespace zhsenti::nn
