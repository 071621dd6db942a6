#pragma once
// One time step of one direction of a recurrent layer, for each cell type (lstm.cc, gru.cc,
// rnn.cc). The driver (recurrent.cc) owns the time loop and the packed-row bookkeeping; a
// step function does the step's recurrent GEMM and its fused gate kernel.
//
// A task handles an interleaved subset of the batch: task rows i = 0, 1, ... are packed
// rows cur + i*stride at this step (and prev + i*stride at the step before it in the
// direction's time order). Every buffer indexed by packed row is addressed with its leading
// dimension times stride.

#include "kernels/packed_gemm.h"

namespace zhsenti::nn {

struct CellView {
  int hidden = 0;  // H
  int gates = 0;   // G
  int stride = 1;
  const PackedB* w_hh = nullptr;  // forward: W_hh^T (H x G); backward: W_hh (G x H)
  const float* bias = nullptr;  // lstm/rnn: b_ih + b_hh (G); gru: b_ih (G)
  const float* b_hh = nullptr;  // gru: b_hh (G)
  float* gates_buf = nullptr;   // (N, G)
  float* out = nullptr;         // this direction's column block of (N, D*H)
  int ld_out = 0;
  float* c = nullptr;       // lstm (N, H)
  float* tanh_c = nullptr;  // lstm (N, H); null at inference
  float* hn = nullptr;      // gru (N, H); null at inference
  float* dgh = nullptr;     // gru backward (N, G)
  float* dout = nullptr;    // backward: this direction's column block of dL/dout
  int ld_dout = 0;
  float* scratch = nullptr;  // per task: gru forward h W_hh^T (B, G); lstm backward dc (B, H)
};

struct StepRows {
  int rows = 0;       // task rows active at this step
  int prev_rows = 0;  // of them, rows with a previous state (the rest start from zero)
  int next_rows = 0;  // backward: rows whose state fed a later step (the rest end here)
  long cur = 0;       // packed row of task row 0 at this step
  long prev = -1;     // packed row of task row 0 at the previous step (prev_rows > 0)
};

void lstm_step_forward(const CellView& v, const StepRows& s);
void lstm_step_backward(const CellView& v, const StepRows& s);
void gru_step_forward(const CellView& v, const StepRows& s);
void gru_step_backward(const CellView& v, const StepRows& s);
void rnn_step_forward(const CellView& v, const StepRows& s);
void rnn_step_backward(const CellView& v, const StepRows& s);

}  // namespace zhsenti::nn
