// One step of any recurrent cell (cell_steps.h): the arguments of the gate kernel, the
// products around it, and the choice of the cell's kernel.
#include "layers/cell_steps.h"

#include <cstring>

#include "kernels/kernel_table.h"
#include "zhsenti/core/check.h"

namespace zhsenti::nn {
namespace {

// The gate kernel's arguments at this step as far as the view decides them: every buffer
// indexed by packed row at the step's rows (cur) and the previous step's (prev, only when
// rows have a previous state). The gates are the task's own step_gates when the step
// multiplies its input itself, none when a table supplies the input rows, else the pass's
// gates_buf. What a step computes itself (hh, lstm's dc) its cell sets.
CellStepArgs step_args(const CellView& v, const StepRows& s) {
  const int hd = v.hidden, g = v.gates, st = v.stride;
  const bool own = v.x != nullptr, prev = s.prev_rows > 0;
  CellStepArgs a;
  a.rows = s.rows;
  a.prev_rows = s.prev_rows;
  a.hidden = hd;
  a.gates = own ? v.step_gates : v.x_rows != nullptr ? nullptr : v.gates_buf + s.cur * g;
  a.ld_gates = own ? g : g * st;
  a.ld_hh = g;
  a.bias = v.bias;
  a.b_hh = v.b_hh;
  if (v.c != nullptr) {
    a.c_prev = prev ? v.c + s.prev * hd : nullptr;
    a.c = v.c + s.cur * hd;
  }
  a.ld_c_prev = a.ld_c = hd * st;
  a.h_prev = prev ? v.out + s.prev * v.ld_out : nullptr;
  a.h = v.out + s.cur * v.ld_out;
  a.ld_h_prev = a.ld_h = v.ld_out * st;
  a.hn = v.hn != nullptr ? v.hn + s.cur * hd : nullptr;
  a.ld_hn = hd * st;
  if (v.dout != nullptr) {
    a.dh = v.dout + s.cur * v.ld_dout;
    a.dh_prev = prev ? v.dout + s.prev * v.ld_dout : nullptr;
  }
  a.ld_dh = a.ld_dh_prev = v.ld_dout * st;
  a.dgh = v.dgh != nullptr ? v.dgh + s.cur * g : nullptr;
  a.ld_dgh = g * st;
  a.inference = v.inference;
  a.x_rows = v.x_rows != nullptr ? v.x_rows + s.cur : nullptr;
  a.x_rows_step = st;
  return a;
}

// acc (rows, G; ld_acc) = h (rows, H; ld_h) W_hh^T + beta acc, in the view's precision.
// m_spare: as for gemm_bf16 (acc rows past `rows` that are scratch).
void hidden_product(const CellView& v, int rows, const float* h, long ld_h, float beta, float* acc,
                    long ld_acc, int m_spare = 0) {
  if (v.w_hh_i8 != nullptr) {
    ZHSENTI_CHECK_INTERNAL(beta == 0.0f);  // int8 products always land in a buffer of their own
    const long kp = v.w_hh_i8->kp;
    quantize_rows_i8(rows, v.hidden, h, ld_h, v.h_i8, kp, v.h_scales);
    gemm_i8(rows, v.h_i8, kp, v.h_scales, *v.w_hh_i8, acc, ld_acc);
    return;
  }
  if (v.w_hh_bf16 != nullptr) {
    const long kp = v.w_hh_bf16->kp;
    convert_rows_bf16(rows, v.hidden, h, ld_h, v.h_bf16, kp);
    gemm_bf16(rows, v.h_bf16, kp, *v.w_hh_bf16, beta, acc, ld_acc, m_spare);
    return;
  }
  gemm_packed(rows, h, static_cast<int>(ld_h), *v.w_hh, beta, acc, static_cast<int>(ld_acc));
}

// gates (rows, G) = x_t W_ih^T [+ h_{t-1} W_hh^T when w_in_bf16 is stacked], bf16 or int8,
// for the step's rows; rows without a previous state have h_{t-1} = 0.
void step_product(const CellView& v, const StepRows& s, float* gates) {
  if (v.w_in_i8 != nullptr) {
    const long kp = v.w_in_i8->kp;
    quantize_rows_i8(s.rows, v.input, v.x + s.cur * v.ld_x, v.ld_x * v.stride, v.a_i8, kp,
                     v.a_scales);
    gemm_i8(s.rows, v.a_i8, kp, v.a_scales, *v.w_in_i8, gates, v.gates);
    return;
  }
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

// bf16 or int8, hoisted input products (lstm/rnn): h_{t-1} W_hh^T (prev_rows, G) into the task's
// step_gates, for the gate kernel to add to the hoisted rows; null without previous states.
// In the task's own buffer, with room for whole 16-row blocks, the product runs on AMX
// tiles however few rows the step has (in gates_buf the rows past the step's are the next
// step's), and nothing is copied or accumulated through memory.
const float* hoisted_hidden_product(const CellView& v, const StepRows& s) {
  if (s.prev_rows == 0) return nullptr;
  if (v.w_hh_i8 != nullptr) {
    hidden_product(v, s.prev_rows, v.out + s.prev * v.ld_out, v.ld_out * v.stride, 0.0f,
                   v.step_gates, v.gates);
    return v.step_gates;
  }
  const long kp = v.w_hh_bf16->kp;
  convert_rows_bf16(s.prev_rows, v.hidden, v.out + s.prev * v.ld_out, v.ld_out * v.stride, v.h_bf16,
                    kp);
  gemm_bf16(s.prev_rows, v.h_bf16, kp, *v.w_hh_bf16, 0.0f, v.step_gates, v.gates,
            v.step_rows - s.prev_rows);
  return v.step_gates;
}

// fp32 h_{t-1} W_hh^T of a hoisted step: accumulated into the gates rows, or with a table
// (whose rows are read only) into the task's step_gates, returned for the gate kernel to add.
const float* hidden_into_gates_or_step(const CellView& v, const StepRows& s, float* gates,
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

// The products of an lstm or rnn forward step into a's gates and hh: the step's own bf16
// input product, or h_{t-1} W_hh^T on top of the hoisted input rows (bf16, fp32, or kept
// apart from a table's read-only rows).
void lstm_rnn_products(const CellView& v, const StepRows& s, CellStepArgs& a) {
  if (v.x != nullptr) {
    step_product(v, s, a.gates);
    // int8 multiplies x_t and h_{t-1} apart (no stacked int8 matrix): h W_hh^T in scratch.
    if (v.w_in_i8 != nullptr && s.prev_rows > 0) {
      hidden_product(v, s.prev_rows, a.h_prev, a.ld_h_prev, 0.0f, v.scratch, v.gates);
      a.hh = v.scratch;
    }
  } else if (v.w_hh_bf16 != nullptr || v.w_hh_i8 != nullptr) {
    a.hh = hoisted_hidden_product(v, s);
  } else if (s.prev_rows > 0) {
    a.hh = hidden_into_gates_or_step(v, s, a.gates, a.ld_gates);
  }
}

void (*gate_kernel(CellType cell, bool forward))(const CellStepArgs&) {
  const KernelTable& k = kernels();
  switch (cell) {
    case CellType::kRnn:
      return forward ? k.rnn_forward : k.rnn_backward;
    case CellType::kGru:
      return forward ? k.gru_forward : k.gru_backward;
    case CellType::kLstm:
      break;
  }
  return forward ? k.lstm_forward : k.lstm_backward;
}

}  // namespace

void step_forward(const CellView& v, const StepRows& s) {
  CellStepArgs a = step_args(v, s);
  if (v.cell == CellType::kGru) {
    // r multiplies the n part of h_{t-1} W_hh^T, so the whole product stays apart from the
    // gates, in the task's scratch.
    if (s.prev_rows > 0) {
      hidden_product(v, s.prev_rows, a.h_prev, a.ld_h_prev, 0.0f, v.scratch, v.gates,
                     v.step_rows > s.prev_rows ? v.step_rows - s.prev_rows : 0);
    }
    if (v.x != nullptr) step_product(v, s, a.gates);
    a.hh = v.scratch;
  } else {
    lstm_rnn_products(v, s, a);
  }
  gate_kernel(v.cell, true)(a);
}

void step_backward(const CellView& v, const StepRows& s) {
  CellStepArgs a = step_args(v, s);
  if (v.cell == CellType::kLstm) {
    // dc: task row i at row i, dense (B, H); rows that fed no later step start from zero.
    a.dc = v.scratch;
    a.ld_dc = v.hidden;
    if (s.next_rows < s.rows) {
      std::memset(a.dc + static_cast<long>(s.next_rows) * v.hidden, 0,
                  sizeof(float) * static_cast<std::size_t>(s.rows - s.next_rows) * v.hidden);
    }
  }
  gate_kernel(v.cell, false)(a);
  if (s.prev_rows > 0) {
    // gru: its hidden-side d pre-activations (r scales the n part); else the gates'.
    const bool gru = v.cell == CellType::kGru;
    gemm_packed(s.prev_rows, gru ? a.dgh : a.gates, gru ? a.ld_dgh : a.ld_gates, *v.w_hh, 1.0f,
                a.dh_prev, a.ld_dh_prev);
  }
}

}  // namespace zhsenti::nn
