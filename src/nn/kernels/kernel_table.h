#pragma once
// The engine's SIMD kernels behind one dispatch point. Each ISA has its own translation unit
// (kernels_generic.cc, kernels_avx2.cc, kernels_avx512.cc) compiled with its own target flags
// from the same source (kernels_impl.inc), so the default build runs on any x86-64.
//
// Row-block kernels take a block of `rows` rows, each with its own leading dimension, so the
// recurrent driver can hand them a step of a packed sequence or an interleaved subset of it.
// Rows in [prev_rows, rows) have no previous state (zero h and c): those sequences start here.

#include <cstddef>

#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::nn {

struct LstmForwardArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  float* gates = nullptr;  // (rows, 4H): in pre-activations less bias, out activations [i f g o]
  int ld_gates = 0;
  // (prev_rows, 4H) h_{t-1} W_hh^T kept apart from gates (bf16 steps multiply into a
  // scratch of whole tile rows), added here; null: gates include it.
  const float* hh = nullptr;
  int ld_hh = 0;
  const float* bias = nullptr;    // (4H) b_ih + b_hh
  const float* c_prev = nullptr;  // (prev_rows, H)
  int ld_c_prev = 0;
  float* c = nullptr;  // (rows, H) new cell state
  int ld_c = 0;
  float* h = nullptr;  // (rows, H)
  int ld_h = 0;
  // Inference: tanh and sigmoid by a rational fit (|error| < 4e-7) instead of the ~1-ulp
  // functions, and the gate activations are not stored (no backward pass follows). Training
  // keeps the exact functions, so trained models do not depend on the fit.
  bool inference = false;
  // Inference from a first-layer table: row r's x W_ih^T is x_rows[r * x_rows_step] (read
  // only) and gates is unused; null: it is the gates row.
  const float* const* x_rows = nullptr;
  int x_rows_step = 0;
};

struct LstmBackwardArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  float* gates = nullptr;  // in activations [i f g o], out d pre-activations
  int ld_gates = 0;
  const float* c_prev = nullptr;  // (prev_rows, H)
  int ld_c_prev = 0;
  // (rows, H) c_t: tanh(c_t) is recomputed rather than cached, which saves a sixth of the
  // layer's training activations for one tanh per element.
  const float* c = nullptr;
  int ld_c = 0;
  const float* dh = nullptr;  // total dL/dh_t
  int ld_dh = 0;
  float* dc = nullptr;  // in dL/dc_t from later steps, out dL/dc_{t-1}
  int ld_dc = 0;
};

struct GruForwardArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  float* gates = nullptr;  // in x W_ih^T [r z n], out activations [r z n]
  int ld_gates = 0;
  const float* b_ih = nullptr;  // (3H)
  const float* hh = nullptr;    // (prev_rows, 3H) h_prev W_hh^T (no bias)
  int ld_hh = 0;
  const float* b_hh = nullptr;    // (3H)
  const float* h_prev = nullptr;  // (prev_rows, H)
  int ld_h_prev = 0;
  float* hn = nullptr;  // (rows, H) W_hn h_prev + b_hn, kept for backward; may be null
  int ld_hn = 0;
  float* h = nullptr;
  int ld_h = 0;
  bool inference = false;                // as in LstmForwardArgs
  const float* const* x_rows = nullptr;  // as in LstmForwardArgs
  int x_rows_step = 0;
};

struct GruBackwardArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  float* gates = nullptr;  // in activations [r z n], out input-side d pre-activations
  int ld_gates = 0;
  float* dgh = nullptr;  // out hidden-side d pre-activations [dr dz dn*r] (rows, 3H)
  int ld_dgh = 0;
  const float* hn = nullptr;
  int ld_hn = 0;
  const float* h_prev = nullptr;  // (prev_rows, H)
  int ld_h_prev = 0;
  const float* dh = nullptr;
  int ld_dh = 0;
  float* dh_prev = nullptr;  // (prev_rows, H): += dh * z
  int ld_dh_prev = 0;
};

struct RnnForwardArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  const float* pre = nullptr;  // (rows, H) pre-activation less bias
  int ld_pre = 0;
  const float* hh = nullptr;  // as in LstmForwardArgs: (prev_rows, H) or null
  int ld_hh = 0;
  const float* bias = nullptr;  // (H) b_ih + b_hh
  float* h = nullptr;           // tanh(pre)
  int ld_h = 0;
  bool inference = false;                // as in LstmForwardArgs
  const float* const* x_rows = nullptr;  // as in LstmForwardArgs
  int x_rows_step = 0;
};

struct RnnBackwardArgs {
  int rows = 0, hidden = 0;
  const float* h = nullptr;
  int ld_h = 0;
  const float* dh = nullptr;
  int ld_dh = 0;
  float* dpre = nullptr;
  int ld_dpre = 0;
};

struct AdamArgs {
  std::size_t n = 0;
  float* param = nullptr;
  const float* grad = nullptr;
  float* m = nullptr;
  float* v = nullptr;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float step_size = 0.0f;     // lr / (1 - beta1^t)
  float bias2_sqrt = 1.0f;    // sqrt(1 - beta2^t)
  float l2 = 0.0f;            // Adam weight decay: g += l2 * p
  float decay_factor = 1.0f;  // AdamW: p *= 1 - lr * weight_decay, before the update
};

// C (m x n) = op(A) (m x k) B + beta C (beta 0 or 1), B read as column panels of the
// kernel's width: B(p, q * width + j) = panels[q * panel_stride + p * row_stride + j]
// (packed copies or a row-major matrix in place; loads past n are masked).
// op(A)(r, p) = a[r * lda + p], or a[p * lda + r] when a_trans.
struct PackedGemmArgs {
  int m = 0, n = 0, k = 0;
  const float* a = nullptr;
  long lda = 0;
  bool a_trans = false;
  const float* panels = nullptr;
  long row_stride = 0;
  long panel_stride = 0;
  float beta = 0.0f;
  float* c = nullptr;
  long ldc = 0;
};

struct KernelTable {
  Isa isa;
  // Packed-panel GEMM micro-kernel and its panel width; null and 0 in the generic build.
  void (*gemm_packed)(const PackedGemmArgs&);
  int gemm_panel;
  void (*lstm_forward)(const LstmForwardArgs&);
  void (*lstm_backward)(const LstmBackwardArgs&);
  void (*gru_forward)(const GruForwardArgs&);
  void (*gru_backward)(const GruBackwardArgs&);
  void (*rnn_forward)(const RnnForwardArgs&);
  void (*rnn_backward)(const RnnBackwardArgs&);
  void (*adam)(const AdamArgs&);
  // Element-wise activations over n floats (in may equal out); exposed for tests.
  void (*sigmoid)(const float* in, float* out, std::size_t n);
  void (*tanh)(const float* in, float* out, std::size_t n);
};

// The kernels of the active ISA (cpu_isa.h).
const KernelTable& kernels();
// The kernels of one ISA; throws if the CPU does not support it.
const KernelTable& kernels_for(Isa isa);

const KernelTable& generic_kernel_table();
const KernelTable& avx2_kernel_table();
const KernelTable& avx512_kernel_table();

}  // namespace zhsenti::nn
