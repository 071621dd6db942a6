#pragma once
// One recurrent layer (Elman tanh RNN, LSTM or GRU; one or two directions) over a packed
// batch, with PyTorch's parameters, gate orders and equations (nn.RNN/LSTM/GRU):
//   <prefix>.<forward|backward>.w_ih (G x in), .w_hh (G x H), .b_ih (G), .b_hh (G),
//   G = H (rnn), 4H (lstm: i f g o), 3H (gru: r z n).
// x (N x in) -> out (N x D*H): the forward direction in columns [0, H), the backward
// direction in [H, 2H). The backward direction starts at each sequence's own last step.
//
// Speed: x W_ih^T (+ biases) for all steps is one GEMM per direction (marian-style
// hoisting); each step does one GEMM h W_hh^T over its active rows plus one fused gate
// kernel. Backward mirrors it: per step one fused kernel and one GEMM for dh_{t-1}; dW_ih,
// dW_hh and dX are one GEMM each after the loop. With a multi-threaded Workspace the
// directions and interleaved row groups run as independent recurrences.

#include <span>
#include <string>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/layer_kinds.h"
#include "zhsenti/nn/layers/packed_batch.h"
#include "zhsenti/nn/param_store.h"
#include "zhsenti/nn/quantized.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

// The forward weights in the kernels' layout (defined inside the engine).
struct PackedRecurrentWeights;

int gate_count(CellType cell);  // 1, 4, 3

class RecurrentLayer {
 public:
  static constexpr int kMaxDirections = 2;

  // Adds the parameters to the store (zero; call init_*).
  RecurrentLayer(ParamStore& store, const std::string& prefix, CellType cell, int input_dim,
                 int hidden, bool bidirectional);

  // PyTorch default: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)).
  void init_pytorch(ParamStore& store, Rng& rng) const;
  // Xavier-uniform w_ih; w_hh orthogonal per gate block (orthogonal) or Xavier; zero biases.
  void init_xavier(ParamStore& store, Rng& rng, bool orthogonal_recurrent) const;

  CellType cell() const { return cell_; }
  int input_dim() const { return input_; }
  int hidden() const { return hidden_; }
  int directions() const { return dirs_; }
  StateLayout output_layout() const { return {hidden_, dirs_}; }
  int output_dim() const { return output_layout().width(); }

  struct Direction {
    ParamStore::Id w_ih, w_hh, b_ih, b_hh;
  };
  const Direction& direction(int d) const { return params_[d]; }

  // Forward results kept for backward (all arena pointers, rows are packed rows).
  struct Cache {
    const float* x = nullptr;
    int ld_x = 0;
    float* out = nullptr;               // (N, D*H)
    float* gates[kMaxDirections] = {};  // (N, G) activations
    float* c[kMaxDirections] = {};      // lstm (N, H) cell states
    float* hn[kMaxDirections] = {};     // gru (N, H) W_hn h + b_hn, train only
    bool train = false;
  };

  // Work done ahead of a forward pass (inference).
  struct Precomputed {
    // The forward weights from pack_forward_weights() on the current values.
    const PackedRecurrentWeights* packed = nullptr;
    // x W_ih^T of input rows [0, table_rows), per direction ((table_rows, G) tables, see
    // input_projection()), with ids[r] selecting the table row of packed row r. x is then
    // the input rows by id (the embedding matrix), read only for ids not in the table.
    const float* input_table[kMaxDirections] = {};
    const int32_t* ids = nullptr;
    int32_t table_rows = 0;
  };

  // x: (N, ld_x >= in) packed rows; out: (N, D*H) contiguous.
  void forward(const ParamStore& store, const PackedBatch& pb, const float* x, int ld_x, float* out,
               bool train, Cache& cache, Workspace& ws, const Precomputed* pre = nullptr) const;

  // table (rows, G) = inputs (rows, in) W_ih^T of direction d, for Precomputed::input_table.
  void input_projection(const ParamStore& store, int d, int rows, const float* inputs, float* table,
                        Workspace& ws) const;

  // Inference reuses packed forward weights across calls: floats needed (64-byte aligned
  // buffer), and the packing of the store's current values into it. With bf16 the forward
  // pass runs its products in bfloat16, with int8 in int8 (kernels/precision.h); int8 takes
  // a weight's stored quantisation from quantized[id] (a quantised model's; indexed by
  // parameter id, empty values: none) and otherwise quantises its fp32 values.
  std::size_t packed_weights_size(Precision precision = Precision::kFp32) const;
  void pack_forward_weights(const ParamStore& store, float* buffer, PackedRecurrentWeights& out,
                            Precision precision = Precision::kFp32,
                            std::span<const QuantizedRows> quantized = {}) const;
  // dout: (N, D*H) gradient of out; consumed (used as scratch). Accumulates parameter
  // gradients; writes dx (N, in) unless dx is null.
  void backward(ParamStore& store, const PackedBatch& pb, float* dout, float* dx,
                const Cache& cache, Workspace& ws) const;

 private:
  CellType cell_;
  int input_, hidden_, dirs_;
  Direction params_[kMaxDirections] = {};
};

}  // namespace zhsenti::nn
