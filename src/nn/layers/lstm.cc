// LSTM step (PyTorch nn.LSTM, gates i f g o):
//   [i f g o] = [s s tanh s](x W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
//   c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
// The x W_ih^T part was hoisted out of the time loop by the driver (except with bf16, see
// step_product).
#include <cstring>

#include "kernels/kernel_table.h"
#include "layers/cell_steps.h"

namespace zhsenti::nn {

void lstm_step_forward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, g = v.gates, st = v.stride;
  // Gates of this step: in the pass's (N, G) buffer, or the task's own (B, G) rows when
  // the step multiplies its input itself.
  const bool own = v.x != nullptr, hoisted_bf16 = !own && v.w_hh_bf16 != nullptr;
  float* gates = own ? v.step_gates : v.x_rows != nullptr ? nullptr : v.gates_buf + s.cur * g;
  const long ld_gates = own ? g : g * st;
  const float* hh = nullptr;
  if (own) {
    step_product(v, s, gates);
  } else if (hoisted_bf16) {
    hh = hoisted_hidden_product(v, s);
  } else if (s.prev_rows > 0) {
    hh = hidden_into_gates_or_step(v, s, gates, ld_gates);
  }
  LstmForwardArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  a.gates = gates;
  a.ld_gates = static_cast<int>(ld_gates);
  a.hh = hh;
  a.ld_hh = g;
  a.bias = v.bias;
  a.c_prev = s.prev_rows > 0 ? v.c + s.prev * hd : nullptr;
  a.ld_c_prev = hd * st;
  a.c = v.c + s.cur * hd;
  a.ld_c = hd * st;
  a.h = v.out + s.cur * v.ld_out;
  a.ld_h = v.ld_out * st;
  a.inference = v.inference;
  a.x_rows = step_x_rows(v, s);
  a.x_rows_step = st;
  kernels().lstm_forward(a);
}

// dh_t = dout_t (+ recurrent part already added); gate kernel gives d pre-activations and
// dc_{t-1} = dc_t * f;  dh_{t-1} += dpre W_hh  (one GEMM over rows with a previous state)
void lstm_step_backward(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, g = v.gates, st = v.stride;
  float* dc = v.scratch;  // task row i at row i, dense (B, H)
  if (s.next_rows < s.rows) {
    std::memset(dc + static_cast<long>(s.next_rows) * hd, 0,
                sizeof(float) * static_cast<std::size_t>(s.rows - s.next_rows) * hd);
  }
  float* gates = v.gates_buf + s.cur * g;
  LstmBackwardArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  a.gates = gates;
  a.ld_gates = g * st;
  a.c_prev = s.prev_rows > 0 ? v.c + s.prev * hd : nullptr;
  a.ld_c_prev = hd * st;
  a.c = v.c + s.cur * hd;
  a.ld_c = hd * st;
  a.dh = v.dout + s.cur * v.ld_dout;
  a.ld_dh = v.ld_dout * st;
  a.dc = dc;
  a.ld_dc = hd;
  kernels().lstm_backward(a);
  if (s.prev_rows > 0) {
    gemm_packed(s.prev_rows, gates, g * st, *v.w_hh, 1.0f, v.dout + s.prev * v.ld_dout,
                v.ld_dout * st);
  }
}

}  // namespace zhsenti::nn
