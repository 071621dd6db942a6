#pragma once
// One time step of one direction of a recurrent layer, any cell type (cell_steps.cc; the
// cells' equations are at their gate kernels, kernels/kernels_impl.inc). The driver
// (recurrent.cc) owns the time loop and the packed-row bookkeeping; a step does the step's
// recurrent GEMM and its fused gate kernel.
//
// A task handles an interleaved subset of the batch: task rows i = 0, 1, ... are packed
// rows cur + i*stride at this step (and prev + i*stride at the step before it in the
// direction's time order). Every buffer indexed by packed row is addressed with its leading
// dimension times stride.

#include <algorithm>

#include "kernels/bf16_gemm.h"
#include "kernels/int8_gemm.h"
#include "kernels/packed_gemm.h"
#include "zhsenti/nn/layers/packed_batch.h"
#include "zhsenti/nn/layers/recurrent.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct CellView {
  CellType cell = CellType::kLstm;
  int hidden = 0;  // H
  int gates = 0;   // G
  int stride = 1;
  const PackedB* w_hh = nullptr;          // forward: W_hh^T (H x G); backward: W_hh (G x H)
  const PackedBf16* w_hh_bf16 = nullptr;  // bf16 inference: W_hh^T, used instead of w_hh
  Bf16* h_bf16 = nullptr;                 // per task (step_rows, kp): h_{t-1} in bf16
  const PackedI8* w_hh_i8 = nullptr;      // int8 inference: W_hh^T, used instead of w_hh
  std::int8_t* h_i8 = nullptr;            // per task (step_rows, kp): h_{t-1} quantised
  float* h_scales = nullptr;              // per task (step_rows): their row scales
  // bf16 inference without hoisting: each step multiplies its own input rows. Null x: the
  // driver put x W_ih^T of every row into gates_buf beforehand.
  const float* x = nullptr;  // layer input, packed rows
  long ld_x = 0;
  int input = 0;
  const PackedBf16* w_in_bf16 = nullptr;  // lstm/rnn: [W_ih^T; W_hh^T]; gru: W_ih^T
  Bf16* a_bf16 = nullptr;                 // per task (B, w_in_bf16->kp)
  const PackedI8* w_in_i8 = nullptr;      // int8: W_ih^T (the hidden product stays apart)
  std::int8_t* a_i8 = nullptr;            // per task (B, w_in_i8->kp): x_t quantised
  float* a_scales = nullptr;              // per task (B): their row scales
  // bf16 and int8, per task (step_rows, G): the step's gates when it multiplies its own
  // input, else h_{t-1} W_hh^T for the gate kernel to add to the hoisted rows.
  float* step_gates = nullptr;
  int step_rows = 0;            // bf16: rows of per-task buffers, >= B (spare rows: scratch)
  const float* bias = nullptr;  // lstm/rnn: b_ih + b_hh (G); gru: b_ih (G)
  const float* b_hh = nullptr;  // gru: b_hh (G)
  float* gates_buf = nullptr;   // (N, G)
  float* out = nullptr;         // this direction's column block of (N, D*H)
  int ld_out = 0;
  float* c = nullptr;     // lstm (N, H)
  float* hn = nullptr;    // gru (N, H); null at inference
  float* dgh = nullptr;   // gru backward (N, G)
  float* dout = nullptr;  // backward: this direction's column block of dL/dout
  int ld_dout = 0;
  // Per task: gru (and int8 lstm/rnn per-step) forward h W_hh^T (step_rows, G); lstm
  // backward dc (B, H).
  float* scratch = nullptr;
  bool inference = false;  // CellStepArgs::inference
  // Inference from a first-layer table: per packed row, its x W_ih^T row (N); gates_buf is
  // then unused, and rnn/lstm steps add h_{t-1} W_hh^T from step_gates.
  const float* const* x_rows = nullptr;
};

// The fields forward and backward fill alike: the cell and its sizes, and direction d's
// cached rows and column block of the layer output (out: the whole (N, D*H) output).
inline CellView cell_view(CellType cell, int hidden, int stride, const RecurrentLayer::Cache& cache,
                          int d, float* out, int ld_out) {
  return CellView{.cell = cell,
                  .hidden = hidden,
                  .gates = gate_count(cell) * hidden,
                  .stride = stride,
                  .gates_buf = cache.gates[d],
                  .out = out + d * hidden,
                  .ld_out = ld_out,
                  .c = cache.c[d],
                  .hn = cache.hn[d]};
}

struct StepRows {
  int rows = 0;       // task rows active at this step
  int prev_rows = 0;  // of them, rows with a previous state (the rest start from zero)
  int next_rows = 0;  // backward: rows whose state fed a later step (the rest end here)
  long cur = 0;       // packed row of task row 0 at this step
  long prev = -1;     // packed row of task row 0 at the previous step (prev_rows > 0)
};

// Interleaved row groups: with `stride` groups per direction, group `phase` owns sorted
// rows phase, phase + stride, ... Sorted rows keep their index over time, so each group is
// an independent recurrence, and interleaving keeps the groups' lengths balanced.
struct RowGroup {
  int phase = 0, stride = 1;
  int count(int active) const {
    return active > phase ? (active - phase + stride - 1) / stride : 0;
  }
};

// Row groups per direction: one per thread the directions leave, at most one per sequence.
inline int row_groups(const Workspace& ws, int dirs, int batch) {
  return std::max(1, std::min(batch, ws.threads() / dirs));
}

// The group's rows at time t of a direction that runs backwards in time when `reverse`, and
// how many of them have a state from the step before (prev) and feed the step after (next)
// in that direction's order.
inline StepRows rows_at(const PackedBatch& pb, RowGroup grp, int t, bool reverse) {
  StepRows s;
  s.rows = grp.count(pb.batch_sizes[t]);
  if (s.rows == 0) return s;
  const int tp = reverse ? t + 1 : t - 1;
  const int tn = reverse ? t - 1 : t + 1;
  const bool has_prev = tp >= 0 && tp < pb.steps;
  const bool has_next = tn >= 0 && tn < pb.steps;
  s.prev_rows = has_prev ? std::min(s.rows, grp.count(pb.batch_sizes[tp])) : 0;
  s.next_rows = has_next ? std::min(s.rows, grp.count(pb.batch_sizes[tn])) : 0;
  s.cur = pb.offsets[t] + grp.phase;
  s.prev = has_prev ? pb.offsets[tp] + grp.phase : -1;
  return s;
}

// One step of the view's cell. Forward: the step's recurrent products, then the fused gate
// kernel. Backward: the gate kernel's d pre-activations, then dh_{t-1} += dpre W_hh over
// the rows with a previous state.
void step_forward(const CellView& v, const StepRows& s);
void step_backward(const CellView& v, const StepRows& s);

}  // namespace zhsenti::nn
