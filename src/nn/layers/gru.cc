// GRU step (PyTorch nn.GRU, gates r z n):
//   r = s(W_ir x + b_ir + W_hr h + b_hr);  z = s(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h_t = (1 - z) * n + z * h_{t-1}
// The W_i* x part was hoisted out of the time loop by the driver (except with bf16, see
// step_product).
#include "kernels/kernel_table.h"
#include "layers/cell_steps.h"

namespace zhsenti::nn {

void gru_step_forward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, g = v.gates, st = v.stride;
  const float* h_prev = s.prev_rows > 0 ? v.out + s.prev * v.ld_out : nullptr;
  if (s.prev_rows > 0) {
    hidden_product(v, s.prev_rows, h_prev, v.ld_out * st, 0.0f, v.scratch, g,
                   v.step_rows > s.prev_rows ? v.step_rows - s.prev_rows : 0);
  }
  GruForwardArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  const bool own = v.x != nullptr;  // see lstm_step_forward
  a.gates = own ? v.step_gates : v.x_rows != nullptr ? nullptr : v.gates_buf + s.cur * g;
  a.ld_gates = own ? g : g * st;
  if (own) step_product(v, s, a.gates);
  a.b_ih = v.bias;
  a.hh = v.scratch;
  a.ld_hh = g;
  a.b_hh = v.b_hh;
  a.h_prev = h_prev;
  a.ld_h_prev = v.ld_out * st;
  a.hn = v.hn != nullptr ? v.hn + s.cur * hd : nullptr;
  a.ld_hn = hd * st;
  a.h = v.out + s.cur * v.ld_out;
  a.ld_h = v.ld_out * st;
  a.inference = v.inference;
  a.x_rows = step_x_rows(v, s);
  a.x_rows_step = st;
  kernels().gru_forward(a);
}

// Kernel: input-side d pre-activations [da_r da_z da_n] (in place of the gates), hidden-side
// [da_r da_z da_n * r] into dgh, dh_{t-1} += dh * z;  then dh_{t-1} += dgh W_hh (GEMM).
void gru_step_backward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, g = v.gates, st = v.stride;
  float* dgh = v.dgh + s.cur * g;
  float* dh_prev = s.prev_rows > 0 ? v.dout + s.prev * v.ld_dout : nullptr;
  GruBackwardArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  a.gates = v.gates_buf + s.cur * g;
  a.ld_gates = g * st;
  a.dgh = dgh;
  a.ld_dgh = g * st;
  a.hn = v.hn + s.cur * hd;
  a.ld_hn = hd * st;
  a.h_prev = s.prev_rows > 0 ? v.out + s.prev * v.ld_out : nullptr;
  a.ld_h_prev = v.ld_out * st;
  a.dh = v.dout + s.cur * v.ld_dout;
  a.ld_dh = v.ld_dout * st;
  a.dh_prev = dh_prev;
  a.ld_dh_prev = v.ld_dout * st;
  kernels().gru_backward(a);
  if (s.prev_rows > 0) {
    gemm_packed(s.prev_rows, dgh, g * st, *v.w_hh, 1.0f, dh_prev, v.ld_dout * st);
  }
}

}  // namespace zhsenti::nn
