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

// The arguments of one step of every cell's gate kernels, forward and backward: each
// kernel reads the fields its cell and direction name below and ignores the rest, so a
// step fills one struct however many cell types there are.
struct CellStepArgs {
  int rows = 0, prev_rows = 0, hidden = 0;
  // (rows, G). lstm [i f g o] and gru [r z n] forward: in the pre-activations less bias
  // (x W_ih^T), out the activations; backward: in the activations, out the (input-side, for
  // gru) d pre-activations. rnn forward: in the pre-activations less bias; backward: out
  // the d pre-activations.
  float* gates = nullptr;
  int ld_gates = 0;
  // Forward: (prev_rows, G) h_{t-1} W_hh^T without bias. lstm/rnn: kept apart from gates
  // (bf16 steps multiply into a scratch of whole tile rows) and added here, null when gates
  // include it; gru: always apart, as r multiplies its n part.
  const float* hh = nullptr;
  int ld_hh = 0;
  const float* bias = nullptr;    // forward: lstm/rnn b_ih + b_hh (G), gru b_ih (G)
  const float* b_hh = nullptr;    // gru forward (G)
  const float* c_prev = nullptr;  // lstm (prev_rows, H)
  int ld_c_prev = 0;
  // lstm (rows, H): forward out the new cell state; backward in, where tanh(c_t) is
  // recomputed rather than cached (a sixth of the layer's training activations for one
  // tanh per element).
  float* c = nullptr;
  int ld_c = 0;
  const float* h_prev = nullptr;  // gru (prev_rows, H)
  int ld_h_prev = 0;
  // gru (rows, H) W_hn h_prev + b_hn: forward out (kept for backward; may be null), backward in.
  float* hn = nullptr;
  int ld_hn = 0;
  float* h = nullptr;  // (rows, H): forward out; rnn backward in
  int ld_h = 0;
  const float* dh = nullptr;  // backward: total dL/dh_t
  int ld_dh = 0;
  float* dc = nullptr;  // lstm backward: in dL/dc_t from later steps, out dL/dc_{t-1}
  int ld_dc = 0;
  float* dgh = nullptr;  // gru backward: out hidden-side d pre-activations [dr dz dn*r] (rows, G)
  int ld_dgh = 0;
  float* dh_prev = nullptr;  // gru backward (prev_rows, H): += dh * z
  int ld_dh_prev = 0;
  // Forward at inference: tanh and sigmoid by a rational fit (|error| < 4e-7) instead of
  // the ~1-ulp functions, and the gate activations are not stored (no backward pass
  // follows). Training keeps the exact functions, so trained models do not depend on the fit.
  bool inference = false;
  // Inference from a first-layer table: row r's x W_ih^T is x_rows[r * x_rows_step] (read
  // only) and gates is unused; null: it is the gates row.
  const float* const* x_rows = nullptr;
  int x_rows_step = 0;
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
  void (*lstm_forward)(const CellStepArgs&);
  void (*lstm_backward)(const CellStepArgs&);
  void (*gru_forward)(const CellStepArgs&);
  void (*gru_backward)(const CellStepArgs&);
  void (*rnn_forward)(const CellStepArgs&);
  void (*rnn_backward)(const CellStepArgs&);
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
