#pragma once
// The recurrent text classifier:
//   ids -> Embedding [+ hashed bigram Embedding] -> [embed dropout] -> RNN/LSTM/GRU x layers
//   (uni/bi, dropout between layers) -> pooling (last | mean | max | attention) -> [LayerNorm |
//   BatchNorm1d]
//   -> dropout -> Linear -> logits (B, C)
// over ragged batches (no padding is computed: packed sequences, see packed_batch.h).
//
// Parameters (ParamStore names, PyTorch shapes):
//   embedding.weight (V, E)
//   ngram_embedding.weight (K, E)                 K = ngram_buckets > 0
//   encoder.<cell>.<l>.<forward|backward>.<w_ih|w_hh|b_ih|b_hh>
//   pool.attention.<w|b|v>                        (pool = attention)
//   norm.<weight|bias> [, norm.running_mean, norm.running_var]   (norm != none)
//   head.weight (C, F), head.bias (C)             F = hidden * directions
//
// Training step:
//   ws.set_threads(...) once;  params().zero_grad();
//   const Tensor& logits = model.forward(batch, ws, /*train=*/true, &rng);
//   double loss = cross_entropy(logits.span(), labels, C, opts, dlogits.span());
//   model.backward(batch, dlogits, ws);  optimizer.step(model.params());
// forward() keeps what backward() needs in the workspace; backward() must follow the
// forward(train=true) of the same batch on the same workspace.
// Inference: predict_proba()/logits() are const and thread-safe; one Workspace per thread.
// Each workspace keeps the recurrent weights in kernel layout between calls and re-packs
// them when ParamStore::version() says the values changed (or the precision did).

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/aligned_buffer.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/layers/attention.h"
#include "zhsenti/nn/layers/batch_norm.h"
#include "zhsenti/nn/layers/embedding.h"
#include "zhsenti/nn/layers/layer_norm.h"
#include "zhsenti/nn/layers/linear.h"
#include "zhsenti/nn/layers/pooling.h"
#include "zhsenti/nn/layers/recurrent.h"
#include "zhsenti/nn/models/classifier_config.h"
#include "zhsenti/nn/param_store.h"
#include "zhsenti/nn/quantized.h"
#include "zhsenti/nn/tensor.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

// A ragged batch: the ids of all B sequences concatenated; lengths[b] >= 1, summing to
// ids.size().
struct Batch {
  std::span<const int32_t> ids;
  std::span<const int32_t> lengths;
};

class Classifier {
 public:
  // Validates the config; initialises per config.init from the seed (PyTorch defaults).
  Classifier(const ClassifierConfig& config, uint64_t seed);
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;

  const ClassifierConfig& config() const { return config_; }
  ParamStore& params() { return params_; }
  const ParamStore& params() const { return params_; }

  // Re-draws every parameter (and resets norm statistics) from a seed.
  void init(uint64_t seed);

  // Logits (B, C), owned by the workspace. train: dropout on (dropout_rng required when any
  // dropout is > 0), batch norm uses and updates batch statistics.
  const Tensor& forward(const Batch& batch, Workspace& ws, bool train, Rng* dropout_rng);
  // Accumulates parameter gradients for dlogits (B, C) = dL/dlogits of the last forward.
  void backward(const Batch& batch, const Tensor& dlogits, Workspace& ws);

  // Inference (no dropout, running norm statistics). Thread-safe; one Workspace per thread.
  const Tensor& logits(const Batch& batch, Workspace& ws) const;
  // Softmax probabilities into out (B * C, row-major).
  void predict_proba(const Batch& batch, Workspace& ws, std::span<float> out) const;

  // Optional inference speed-up: precomputes the first recurrent layer's input projection
  // E[v] W_ih^T for vocabulary rows v and both directions (D x G floats per row, e.g. 4 KB
  // for a bidirectional LSTM of 128), so inference copies one row per token instead of
  // running the largest GEMM. Vocabularies are ordered by frequency, so a table capped at
  // max_bytes holds the most frequent words, most of the tokens (docs/BENCHMARKS.md,
  // Serving); the other tokens take the GEMM. Used while the parameters stay as they
  // were at the call (ParamStore::version); call it again after training or loading.
  // Returns false and keeps nothing if fewer than min(V, kMinTableRows) rows fit or the
  // model has n-gram embeddings (the input then depends on token pairs, not on one row).
  bool prepare_inference(std::size_t max_bytes = std::size_t{512} << 20);
  static constexpr int kMinTableRows = 1024;
  std::size_t inference_table_row_bytes() const;
  std::size_t inference_table_bytes() const;  // the whole vocabulary's table
  int inference_table_rows() const { return inference_table_ready() ? table_rows_ : 0; }
  // Whether inference currently uses the table.
  bool inference_table_ready() const;

  // Precision of inference (logits, predict_proba): fp32 (the default, as trained) or bf16
  // recurrent products (kernels/precision.h; e.g. default_inference_precision()). Training
  // passes are always fp32. Not thread-safe: set it before predicting.
  void set_inference_precision(Precision precision) { precision_ = precision; }
  Precision inference_precision() const { return precision_; }

  // Post-training int8 (nn/quantized.h, `zhsenti quantize`): a parameter's int8 rows and
  // scales. The parameter's values become their dequantisation (what every fp32 part of the
  // model computes with), and int8 inference packs the stored rows as they are. Not
  // thread-safe: call it before predicting.
  void set_quantized(ParamStore::Id id, QuantizedRows rows);
  // The parameter's stored int8 rows, or null.
  const QuantizedRows* quantized(ParamStore::Id id) const;
  // Whether any parameter is stored as int8.
  bool is_quantized() const { return !quantized_.empty(); }

  // Attention weights of the last forward on ws, per token in ids order (out.size() ==
  // ids.size()). Throws unless pool == attention.
  void attention_weights(const Workspace& ws, std::span<float> out) const;

 private:
  struct Cache;
  void prepare_packed_weights(Cache& c) const;
  const Tensor& run_forward(const Batch& batch, Workspace& ws, bool train, Rng* rng,
                            ParamStore* stats) const;

  ClassifierConfig config_;
  ParamStore params_;
  std::unique_ptr<Embedding> embedding_;
  std::unique_ptr<Embedding> ngram_embedding_;
  std::vector<RecurrentLayer> layers_;
  std::unique_ptr<AdditiveAttention> attention_;
  std::unique_ptr<LayerNorm> layer_norm_;
  std::unique_ptr<BatchNorm1d> batch_norm_;
  std::unique_ptr<Linear> head_;

  Precision precision_ = Precision::kFp32;
  // Indexed by parameter id; empty values: not quantised. Empty: no parameter is.
  std::vector<QuantizedRows> quantized_;

  // prepare_inference(): (table_rows_, G) per direction, and the values it was computed from.
  AlignedBuffer<float> input_table_;
  int table_rows_ = 0;
  const float* table_values_ = nullptr;
  uint64_t table_version_ = 0;
};

}  // namespace zhsenti::nn
