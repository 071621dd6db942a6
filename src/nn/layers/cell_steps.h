#pragma once
// One time step of one direction of a recurrent layer, for each cell type (lstm.cc, gru.cc,
// rnn.cc). The driver (recurrent.cc) owns the time loop and the packed-row bookkeeping; a
// step function does the step's recurrent GEMM and its fused gate kernel.
//
// A task handles an interleaved subset of the batch: task rows i = 0, 1, ... are packed
// rows cur + i*stride at this step (and prev + i*stride at the step before it in the
// direction's time order). Every buffer indexed by packed row is addressed with its leading
// dimension times stride.

#include <algorithm>
#include <cstring>

#include "kernels/bf16_gemm.h"
#include "kernels/packed_gemm.h"
#include "zhsenti/nn/layers/packed_batch.h"
#include "zhsenti/nn/layers/recurrent.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct CellView {
  int hidden = 0;  // H
  int gates = 0;   // G
  int stride = 1;
  const PackedB* w_hh = nullptr;          // forward: W_hh^T (H x G); backward: W_hh (G x H)
  const PackedBf16* w_hh_bf16 = nullptr;  // bf16 inference: W_hh^T, used instead of w_hh
  Bf16* h_bf16 = nullptr;                 // per task (step_rows, kp): h_{t-1} in bf16
  // bf16 inference without hoisting: each step multiplies its own input rows. Null x: the
  // driver put x W_ih^T of every row into gates_buf beforehand.
  const float* x = nullptr;  // layer input, packed rows
  long ld_x = 0;
  int input = 0;
  const PackedBf16* w_in_bf16 = nullptr;  // lstm/rnn: [W_ih^T; W_hh^T]; gru: W_ih^T
  Bf16* a_bf16 = nullptr;                 // per task (B, w_in_bf16->kp)
  // bf16, per task (step_rows, G): the step's gates when it multiplies its own input, else
  // h_{t-1} W_hh^T for the gate kernel to add to the hoisted rows.
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
  // Per task: gru forward h W_hh^T (step_rows, G); lstm backward dc (B, H).
  float* scratch = nullptr;
  bool inference = false;  // LstmForwardArgs::inference
  // Inference from a first-layer table: per packed row, its x W_ih^T row (N); gates_buf is
  // then unused, and rnn/lstm steps add h_{t-1} W_hh^T from step_gates.
  const float* const* x_rows = nullptr;
};

struct StepRows {
  int rows = 0;       // task rows active at this step
  int prev_rows = 0;  // of them, rows with a previous state (the rest start from zero)
  int next_rows = 0;  // backward: rows whose state fed a later step (the rest end here)
  long cur = 0;       // packed row of task row 0 at this step
  long prev = -1;     // packed row of task row 0 at the previous step (prev_rows > 0)
};

// acc (rows, G; ld_acc) = h (rows, H; ld_h) W_hh^T + beta acc, in the view's precision.
// m_spare: as for gemm_bf16 (acc rows past `rows` that are scratch).
inline void hidden_product(const CellView& v, int rows, const float* h, long ld_h, float beta,
                           float* acc, long ld_acc, int m_spare = 0) {
  if (v.w_hh_bf16 != nullptr) {
    const long kp = v.w_hh_bf16->kp;
    convert_rows_bf16(rows, v.hidden, h, ld_h, v.h_bf16, kp);
    gemm_bf16(rows, v.h_bf16, kp, *v.w_hh_bf16, beta, acc, ld_acc, m_spare);
    return;
  }
  gemm_packed(rows, h, static_cast<int>(ld_h), *v.w_hh, beta, acc, static_cast<int>(ld_acc));
}

// gates (rows, G) = x_t W_ih^T [+ h_{t-1} W_hh^T when w_in_bf16 is stacked], bf16, for
// the step's rows; rows without a previous state have h_{t-1} = 0.
inline void step_product(const CellView& v, const StepRows& s, float* gates) {
  const PackedBf16& w = *v.w_in_bf16;
  const int kx = bf16_padded_k(v.input);
  const long lda = w.kp;
  Bf16* a = v.a_bf16;
  convert_rows_bf16(s.rows, v.input, v.x + s.cur * v.ld_x, v.ld_x * v.stride, a, lda);
  if (w.kp > kx) {
    if (s.prev_rows > 0) {
      convert_rows_bf16(s.prev_rows, v.hidden, v.out + s.prev * v.ld_out, v.ld_out * v.stride,
                        a + kx, lda);
    }
    for (int i = s.prev_rows; i < s.rows; ++i) {
      std::memset(a + i * lda + kx, 0, sizeof(Bf16) * static_cast<std::size_t>(lda - kx));
    }
  }
  gemm_bf16(s.rows, a, lda, w, 0.0f, gates, v.gates, v.step_rows - s.rows);
}

// bf16, hoisted input products (lstm/rnn): h_{t-1} W_hh^T (prev_rows, G) into the task's
// step_gates, for the gate kernel to add to the hoisted rows; null without previous states.
// In the task's own buffer, with room for whole 16-row blocks, the product runs on AMX
// tiles however few rows the step has (in gates_buf the rows past the step's are the next
// step's), and nothing is copied or accumulated through memory.
inline const float* hoisted_hidden_product(const CellView& v, const StepRows& s) {
  if (s.prev_rows == 0) return nullptr;
  const long kp = v.w_hh_bf16->kp;
  convert_rows_bf16(s.prev_rows, v.hidden, v.out + s.prev * v.ld_out, v.ld_out * v.stride, v.h_bf16,
                    kp);
  gemm_bf16(s.prev_rows, v.h_bf16, kp, *v.w_hh_bf16, 0.0f, v.step_gates, v.gates,
            v.step_rows - s.prev_rows);
  return v.step_gates;
}

// fp32 h_{t-1} W_hh^T of a hoisted step: accumulated into the gates rows, or with a table
// (whose rows are read only) into the task's step_gates, returned for the gate kernel to add.
inline const float* hidden_into_gates_or_step(const CellView& v, const StepRows& s, float* gates,
                                              long ld_gates) {
  const float* h = v.out + s.prev * v.ld_out;
  const long ld_h = v.ld_out * v.stride;
  if (v.x_rows == nullptr) {
    hidden_product(v, s.prev_rows, h, ld_h, 1.0f, gates, ld_gates);
    return nullptr;
  }
  hidden_product(v, s.prev_rows, h, ld_h, 0.0f, v.step_gates, v.gates);
  return v.step_gates;
}

// The step's table-row pointers (inference from a first-layer table) for a gate kernel's
// x_rows, with x_rows_step = v.stride like every buffer indexed by packed row; null without.
inline const float* const* step_x_rows(const CellView& v, const StepRows& s) {
  return v.x_rows != nullptr ? v.x_rows + s.cur : nullptr;
}

using StepFn = void (*)(const CellView&, const StepRows&);

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

void lstm_step_forward(const CellView& v, const StepRows& s);
void lstm_step_backward(const CellView& v, const StepRows& s);
void gru_step_forward(const CellView& v, const StepRows& s);
void gru_step_backward(const CellView& v, const StepRows& s);
void rnn_step_forward(const CellView& v, const StepRows& s);
void rnn_step_backward(const CellView& v, const StepRows& s);

// The step function of a cell type, forward or backward.
inline StepFn step_function(CellType cell, bool forward) {
  switch (cell) {
    case CellType::kRnn:
      return forward ? &rnn_step_forward : &rnn_step_backward;
    case CellType::kGru:
      return forward ? &gru_step_forward : &gru_step_backward;
    case CellType::kLstm:
      break;
  }
  return forward ? &lstm_step_forward : &lstm_step_backward;
}

}  // namespace zhsenti::nn
