#include "zhsenti/nn/models/classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "layers/packed_weights.h"
#include "zhsenti/core/check.h"
#include "zhsenti/nn/layers/dropout.h"
#include "zhsenti/nn/layers/ngram_hash.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/threads.h"

namespace zhsenti::nn {

// Everything forward() leaves for backward(), in the workspace. Pointers are arena blocks.
struct Classifier::Cache : Workspace::Cache {
  const Classifier* owner = nullptr;
  bool train = false;
  PackedBatch pb;
  int32_t* packed_ids = nullptr;     // (N)
  int32_t* packed_ngrams = nullptr;  // (N) bigram buckets, when the model has them
  int32_t* packed_trigrams = nullptr;  // (N) trigram buckets, when ngram_order is 3
  float* x = nullptr;                // (N, E) embeddings, after embed dropout
  DropoutCache embed_drop;
  std::vector<RecurrentLayer::Cache> layer;
  std::vector<float*> out;               // (N, F) output of each layer
  std::vector<DropoutCache> layer_drop;  // dropout between layer l and l + 1
  PoolCache pool;
  AdditiveAttention::Cache attention;
  LayerNorm::Cache layer_norm;
  BatchNorm1d::Cache batch_norm;
  float* head_in = nullptr;  // (B, F) input of the output layer
  DropoutCache head_drop;
  Tensor logits;

  // Inference: the recurrent weights in kernel layout, kept across calls while the model,
  // its arena and its values (ParamStore::version) stay the same.
  const Classifier* packed_owner = nullptr;
  const float* packed_values = nullptr;
  uint64_t packed_version = 0;
  Precision packed_precision = Precision::kFp32;
  AlignedBuffer<float> packed_buffer;
  std::vector<PackedRecurrentWeights> packed;
};

Classifier::Classifier(const ClassifierConfig& config, uint64_t seed) : config_(config) {
  config_.validate();
  const ClassifierConfig& c = config_;
  const int f = c.feature_dim();
  embedding_ =
      std::make_unique<Embedding>(params_, "embedding", c.vocab_size, c.embed_dim, c.padding_id);
  if (c.ngram_buckets > 0) {
    ngram_embedding_ = std::make_unique<Embedding>(params_, "ngram_embedding", c.ngram_buckets,
                                                   c.embed_dim, /*padding_id=*/-1);
  }
  layers_.reserve(static_cast<std::size_t>(c.layers));
  for (int l = 0; l < c.layers; ++l) {
    layers_.emplace_back(params_, fmt::format("encoder.{}.{}", name_of(c.cell), l), c.cell,
                         l == 0 ? c.embed_dim : f, c.hidden, c.bidirectional);
  }
  if (c.pool == PoolType::kAttention) {
    attention_ = std::make_unique<AdditiveAttention>(
        params_, "pool.attention", f, c.attention_dim > 0 ? c.attention_dim : c.hidden);
  }
  if (c.norm == NormType::kLayer) layer_norm_ = std::make_unique<LayerNorm>(params_, "norm", f);
  if (c.norm == NormType::kBatch) batch_norm_ = std::make_unique<BatchNorm1d>(params_, "norm", f);
  head_ = std::make_unique<Linear>(params_, "head", f, c.num_classes);
  init(seed);
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

void Classifier::init(uint64_t seed) {
  Rng rng(seed);
  const bool pytorch = config_.init == InitScheme::kPytorch;
  embedding_->init_pytorch(params_, rng);
  if (ngram_embedding_) ngram_embedding_->init_pytorch(params_, rng);
  for (const auto& layer : layers_) {
    if (pytorch) {
      layer.init_pytorch(params_, rng);
    } else {
      layer.init_xavier(params_, rng, config_.init == InitScheme::kOrthogonal);
    }
  }
  if (attention_) attention_->init_pytorch(params_, rng);
  if (layer_norm_) layer_norm_->init(params_);
  if (batch_norm_) batch_norm_->init(params_);
  if (pytorch) {
    head_->init_pytorch(params_, rng);
  } else {
    head_->init_xavier(params_, rng);
  }
}

void Classifier::prepare_packed_weights(Cache& c) const {
  if (c.packed_owner == this && c.packed_values == params_.values().data() &&
      c.packed_version == params_.version() && c.packed_precision == precision_) {
    return;
  }
  std::size_t total = 0;
  for (const auto& layer : layers_) total += layer.packed_weights_size(precision_);
  if (c.packed_buffer.size() < total) c.packed_buffer.allocate(total);
  c.packed.resize(layers_.size());
  float* buffer = c.packed_buffer.data();
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    layers_[l].pack_forward_weights(params_, buffer, c.packed[l], precision_, quantized_);
    buffer += layers_[l].packed_weights_size(precision_);
  }
  c.packed_owner = this;
  c.packed_values = params_.values().data();
  c.packed_version = params_.version();
  c.packed_precision = precision_;
}

const Tensor& Classifier::run_forward(const Batch& batch, Workspace& ws, bool train, Rng* rng,
                                      ParamStore* stats) const {
  const ClassifierConfig& cfg = config_;
  ZHSENTI_CHECK_ARG(!train || rng != nullptr || (cfg.dropout == 0.0f && cfg.embed_dropout == 0.0f),
                    "a training forward pass with dropout needs a random generator");
  ws.reset();
  Cache& c = ws.cache<Cache>();
  c.owner = this;
  c.train = train;
  c.pb = pack_batch(batch.lengths, ws);
  const PackedBatch& pb = c.pb;
  ZHSENTI_CHECK_ARG(static_cast<int64_t>(batch.ids.size()) == pb.rows,
                    "batch has {} ids but its lengths sum to {}", batch.ids.size(), pb.rows);
  embedding_->check_ids(batch.ids);
  const int n = pb.rows, b = pb.batch, e = cfg.embed_dim, f = cfg.feature_dim();
  const auto nf = static_cast<std::size_t>(n) * f;

  c.packed_ids = ws.ints(static_cast<std::size_t>(n));
  pack_ids(pb, batch.ids, c.packed_ids);
  // With the table the first layer reads embedding rows by id, and only for ids outside it.
  const bool use_table = !train && inference_table_ready();
  c.x = nullptr;
  if (!use_table) {
    c.x = ws.floats(static_cast<std::size_t>(n) * e);
    embedding_->forward(params_, {c.packed_ids, static_cast<std::size_t>(n)}, c.x, e);
  }
  c.packed_ngrams = nullptr;
  c.packed_trigrams = nullptr;
  if (ngram_embedding_) {
    ZHSENTI_CHECK_INTERNAL(!use_table);  // prepare_inference() builds none: x depends on bigrams
    const auto rows = static_cast<std::size_t>(n);
    int32_t* buckets = ws.ints(rows);
    hash_bigrams(batch.ids, batch.lengths, cfg.ngram_buckets, buckets);
    c.packed_ngrams = ws.ints(rows);
    pack_ids(pb, {buckets, rows}, c.packed_ngrams);
    ngram_embedding_->forward_add(params_, {c.packed_ngrams, rows}, c.x, e);
    if (cfg.ngram_order >= 3) {
      hash_trigrams(batch.ids, batch.lengths, cfg.ngram_buckets, buckets);
      c.packed_trigrams = ws.ints(rows);
      pack_ids(pb, {buckets, rows}, c.packed_trigrams);
      ngram_embedding_->forward_add(params_, {c.packed_trigrams, rows}, c.x, e);
    }
  }
  c.embed_drop = {};
  if (train && cfg.embed_dropout > 0.0f) {
    const auto ne = static_cast<std::size_t>(n) * e;
    dropout_forward(cfg.embed_dropout, ne, c.x, c.x, ws.floats(ne), *rng, c.embed_drop);
  }

  const std::size_t layers = layers_.size();
  c.layer.resize(layers);
  c.out.resize(layers);
  c.layer_drop.resize(layers);
  if (!train) prepare_packed_weights(c);
  const float* in = use_table ? params_.value(embedding_->weight()).data() : c.x;
  int ld_in = e;
  for (std::size_t l = 0; l < layers; ++l) {
    c.out[l] = ws.floats(nf);
    RecurrentLayer::Precomputed pre;
    if (!train) pre.packed = &c.packed[l];
    if (use_table && l == 0) {
      const std::size_t floats =
          static_cast<std::size_t>(table_rows_) * cfg.hidden * gate_count(layers_[0].cell());
      for (int d = 0; d < layers_[0].directions(); ++d) {
        pre.input_table[d] = input_table_.data() + d * floats;
      }
      pre.ids = c.packed_ids;
      pre.table_rows = table_rows_;
    }
    layers_[l].forward(params_, pb, in, ld_in, c.out[l], train, c.layer[l], ws,
                       train ? nullptr : &pre);
    in = c.out[l];
    ld_in = f;
    c.layer_drop[l] = {};
    if (train && l + 1 < layers && cfg.dropout > 0.0f) {
      float* dropped = ws.floats(nf);
      dropout_forward(cfg.dropout, nf, c.out[l], dropped, ws.floats(nf), *rng, c.layer_drop[l]);
      in = dropped;
    }
  }

  const auto bf = static_cast<std::size_t>(b) * f;
  float* feat = ws.floats(bf);
  if (attention_) {
    attention_->forward(params_, pb, in, feat, c.attention, ws);
  } else {
    pool_forward(cfg.pool, pb, layers_.back().output_layout(), in, feat, c.pool, ws);
  }
  if (layer_norm_) {
    float* normed = ws.floats(bf);
    layer_norm_->forward(params_, b, feat, normed, c.layer_norm, ws);
    feat = normed;
  }
  if (batch_norm_) {
    float* normed = ws.floats(bf);
    if (train) {
      ZHSENTI_CHECK_INTERNAL(stats != nullptr);
      batch_norm_->forward_train(*stats, b, feat, normed, c.batch_norm, ws);
    } else {
      batch_norm_->forward_eval(params_, b, feat, normed, c.batch_norm, ws);
    }
    feat = normed;
  }
  c.head_in = feat;
  c.head_drop = {};
  if (train && cfg.dropout > 0.0f) {
    c.head_in = ws.floats(bf);
    dropout_forward(cfg.dropout, bf, feat, c.head_in, ws.floats(bf), *rng, c.head_drop);
  }
  c.logits.resize({b, cfg.num_classes});
  head_->forward(params_, b, c.head_in, c.logits.data());
  return c.logits;
}

const Tensor& Classifier::forward(const Batch& batch, Workspace& ws, bool train, Rng* dropout_rng) {
  return run_forward(batch, ws, train, dropout_rng, &params_);
}

const Tensor& Classifier::logits(const Batch& batch, Workspace& ws) const {
  return run_forward(batch, ws, false, nullptr, nullptr);
}

void Classifier::predict_proba(const Batch& batch, Workspace& ws, std::span<float> out) const {
  const Tensor& z = logits(batch, ws);
  ZHSENTI_CHECK_ARG(out.size() == static_cast<std::size_t>(z.size()),
                    "probability buffer has {} floats, need {} ({} x {})", out.size(), z.size(),
                    z.dim(0), z.dim(1));
  softmax_rows(z.data(), out.data(), static_cast<int>(z.dim(0)), static_cast<int>(z.dim(1)));
}

void Classifier::backward(const Batch& batch, const Tensor& dlogits, Workspace& ws) {
  Cache& c = ws.cache<Cache>();
  ZHSENTI_CHECK_ARG(c.owner == this && c.train,
                    "backward needs a forward(train=true) of this model on this workspace");
  const PackedBatch& pb = c.pb;
  ZHSENTI_CHECK_ARG(static_cast<int>(batch.lengths.size()) == pb.batch &&
                        static_cast<int64_t>(batch.ids.size()) == pb.rows,
                    "backward batch ({} sequences, {} ids) is not the forward batch ({}, {})",
                    batch.lengths.size(), batch.ids.size(), pb.batch, pb.rows);
  ZHSENTI_CHECK_ARG(
      dlogits.rank() == 2 && dlogits.dim(0) == pb.batch && dlogits.dim(1) == config_.num_classes,
      "dlogits must be ({}, {})", pb.batch, config_.num_classes);
  const int n = pb.rows, b = pb.batch, e = config_.embed_dim, f = config_.feature_dim();
  const auto bf = static_cast<std::size_t>(b) * f;

  float* dfeat = ws.floats(bf);
  head_->backward(params_, b, c.head_in, dlogits.data(), dfeat);
  dropout_backward(bf, dfeat, dfeat, c.head_drop);
  if (layer_norm_) layer_norm_->backward(params_, dfeat, dfeat, c.layer_norm);
  if (batch_norm_) batch_norm_->backward(params_, dfeat, dfeat, c.batch_norm);

  float* dh = ws.floats(static_cast<std::size_t>(n) * f);
  if (attention_) {
    attention_->backward(params_, pb, dfeat, dh, c.attention, ws);
  } else {
    pool_backward(config_.pool, pb, layers_.back().output_layout(), dfeat, dh, c.pool);
  }
  // Frozen embeddings (not trainable) get no gradient; when no embedding trains, the first
  // layer also skips its input gradient.
  const bool embedding_trainable = params_.info(embedding_->weight()).trainable;
  const bool ngram_trainable =
      ngram_embedding_ && params_.info(ngram_embedding_->weight()).trainable;
  const bool input_grad = embedding_trainable || ngram_trainable;
  for (std::size_t l = layers_.size(); l-- > 0;) {
    const int in_dim = l > 0 ? f : e;
    float* dx = l > 0 || input_grad ? ws.floats(static_cast<std::size_t>(n) * in_dim) : nullptr;
    layers_[l].backward(params_, pb, dh, dx, c.layer[l], ws);
    if (dx == nullptr) break;
    if (l > 0) {
      dropout_backward(static_cast<std::size_t>(n) * f, dx, dx, c.layer_drop[l - 1]);
      dh = dx;
    } else {
      dropout_backward(static_cast<std::size_t>(n) * e, dx, dx, c.embed_drop);
      if (embedding_trainable) {
        embedding_->backward(params_, {c.packed_ids, static_cast<std::size_t>(n)}, dx, e);
      }
      if (ngram_trainable) {
        ngram_embedding_->backward(params_, {c.packed_ngrams, static_cast<std::size_t>(n)}, dx, e);
        if (c.packed_trigrams != nullptr) {
          ngram_embedding_->backward(params_, {c.packed_trigrams, static_cast<std::size_t>(n)}, dx,
                                     e);
        }
      }
    }
  }
}

std::size_t Classifier::inference_table_row_bytes() const {
  const RecurrentLayer& first = layers_.front();
  return sizeof(float) * first.directions() * gate_count(first.cell()) *
         static_cast<std::size_t>(first.hidden());
}

std::size_t Classifier::inference_table_bytes() const {
  return inference_table_row_bytes() * static_cast<std::size_t>(config_.vocab_size);
}

bool Classifier::inference_table_ready() const {
  return input_table_.size() > 0 && table_values_ == params_.values().data() &&
         table_version_ == params_.version();
}

bool Classifier::prepare_inference(std::size_t max_bytes) {
  input_table_.allocate(0);
  table_rows_ = 0;
  const auto rows = static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(config_.vocab_size), max_bytes / inference_table_row_bytes()));
  if (rows < std::min(config_.vocab_size, kMinTableRows) || ngram_embedding_) return false;
  const ParamStore& store = params_;  // const views: reading does not advance the version
  const RecurrentLayer& first = layers_.front();
  const std::size_t per_dir = static_cast<std::size_t>(rows) * gate_count(first.cell()) *
                              static_cast<std::size_t>(first.hidden());
  input_table_.allocate(per_dir * first.directions());
  Workspace ws(default_threads());
  for (int d = 0; d < first.directions(); ++d) {
    first.input_projection(store, d, rows, store.value(embedding_->weight()).data(),
                           input_table_.data() + d * per_dir, ws);
  }
  table_rows_ = rows;
  table_values_ = store.values().data();
  table_version_ = store.version();
  return true;
}

void Classifier::set_quantized(ParamStore::Id id, QuantizedRows rows) {
  const ParamInfo& info = params_.info(id);
  auto value = params_.value(id);
  ZHSENTI_CHECK_ARG(rows.values.size() == value.size() &&
                        rows.scales.size() == static_cast<std::size_t>(rows.rows),
                    "{}: int8 rows {} x {} with {} scales for {} values", info.name, rows.rows,
                    rows.cols, rows.scales.size(), value.size());
  dequantize_rows(rows, value);
  quantized_.resize(params_.count());
  quantized_[static_cast<std::size_t>(id)] = std::move(rows);
}

const QuantizedRows* Classifier::quantized(ParamStore::Id id) const {
  const auto index = static_cast<std::size_t>(id);
  return index < quantized_.size() && !quantized_[index].values.empty() ? &quantized_[index]
                                                                        : nullptr;
}

void Classifier::attention_weights(const Workspace& ws, std::span<float> out) const {
  const Cache* c = ws.find_cache<Cache>();
  ZHSENTI_CHECK_ARG(attention_ != nullptr, "the model does not use attention pooling");
  ZHSENTI_CHECK_ARG(c != nullptr && c->owner == this,
                    "no forward pass of this model on the workspace");
  const PackedBatch& pb = c->pb;
  ZHSENTI_CHECK_ARG(static_cast<int64_t>(out.size()) == pb.rows,
                    "attention buffer has {} floats, the batch has {} tokens", out.size(), pb.rows);
  const float* alpha = AdditiveAttention::weights(c->attention);
  for (int b = 0; b < pb.batch; ++b) {
    for (int t = 0; t < pb.lengths[b]; ++t)
      out[static_cast<std::size_t>(pb.starts[b] + t)] = alpha[pb.row(b, t)];
  }
}

}  // namespace zhsenti::nn
