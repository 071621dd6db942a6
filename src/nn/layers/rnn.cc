// Elman RNN step (PyTorch nn.RNN, nonlinearity tanh):
//   h_t = tanh(x W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
// The x W_ih^T part was hoisted out of the time loop by the driver (except with bf16, see
// step_product).
#include "kernels/kernel_table.h"
#include "layers/cell_steps.h"

namespace zhsenti::nn {

void rnn_step_forward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, st = v.stride;
  // See lstm_step_forward.
  const bool own = v.x != nullptr, hoisted_bf16 = !own && v.w_hh_bf16 != nullptr;
  float* pre = own ? v.step_gates : v.x_rows != nullptr ? nullptr : v.gates_buf + s.cur * hd;
  const long ld_pre = own ? hd : hd * st;
  const float* hh = nullptr;
  if (own) {
    step_product(v, s, pre);
  } else if (hoisted_bf16) {
    hh = hoisted_hidden_product(v, s);
  } else if (s.prev_rows > 0) {
    hh = hidden_into_gates_or_step(v, s, pre, ld_pre);
  }
  RnnForwardArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  a.pre = pre;
  a.ld_pre = static_cast<int>(ld_pre);
  a.hh = hh;
  a.ld_hh = hd;
  a.bias = v.bias;
  a.h = v.out + s.cur * v.ld_out;
  a.ld_h = v.ld_out * st;
  a.inference = v.inference;
  a.x_rows = step_x_rows(v, s);
  a.x_rows_step = st;
  kernels().rnn_forward(a);
}

// dpre = dh (1 - h^2) (in place of the pre-activations);  dh_{t-1} += dpre W_hh
void rnn_step_backward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, st = v.stride;
  float* dpre = v.gates_buf + s.cur * hd;
  RnnBackwardArgs a;
  a.rows = s.rows;
  a.hidden = hd;
  a.h = v.out + s.cur * v.ld_out;
  a.ld_h = v.ld_out * st;
  a.dh = v.dout + s.cur * v.ld_dout;
  a.ld_dh = v.ld_dout * st;
  a.dpre = dpre;
  a.ld_dpre = hd * st;
  kernels().rnn_backward(a);
  if (s.prev_rows > 0) {
    gemm_packed(s.prev_rows, dpre, hd * st, *v.w_hh, 1.0f, v.dout + s.prev * v.ld_dout,
                v.ld_dout * st);
  }
}

}  // namespace zhsenti::nn
