#pragma once
// Hyper-parameters of the recurrent text classifier. Its defaults are the project's one set
// (chosen on ChnSentiCorp dev, see docs/BENCHMARKS.md): `zhsenti train` starts from them, and
// TrainConfig holds this struct rather than copies of its fields. validate_settings() is the
// one check of each value. A model's config.json "architecture" is to_json().

#include <nlohmann/json_fwd.hpp>

#include "zhsenti/core/setting_check.h"
#include "zhsenti/nn/layer_kinds.h"

namespace zhsenti::nn {

// Stacked recurrent layers a model may have: what config.json accepts and what train may ask.
inline constexpr int kMaxLayers = 16;

struct ClassifierConfig {
  static constexpr int kMaxNgramBuckets = 1 << 24;

  int vocab_size = 0;  // from the data (the vocabulary)
  int embed_dim = 128;
  // > 0: each token's embedding also adds a row of a second table picked by hashing the
  // (previous id, id) pair into this many buckets: bigram features without a bigram
  // vocabulary (fastText's word n-gram trick), which the first recurrent layer sees directly.
  int ngram_buckets = 100000;
  int ngram_order = 2;  // 3: each token also adds the row of its (id[t-2], id[t-1], id[t]) trigram
  int padding_id = 0;  // -1: no padding row
  CellType cell = CellType::kGru;  // rnn (tanh) | lstm | gru
  int hidden = 128;
  int layers = 1;
  bool bidirectional = true;
  float dropout = 0.5f;        // before the output layer; also between stacked layers
  float embed_dropout = 0.2f;  // on the embeddings
  NormType norm = NormType::kNone;  // none | layer | batch, on the pooled features
  PoolType pool = PoolType::kMax;   // last | mean | max | attention (additive)
  int attention_dim = 0;       // attention: size of the scoring layer (0: hidden)
  int num_classes = 2;         // from the data (the label set)
  InitScheme init = InitScheme::kPytorch;  // orthogonal: orthogonal w_hh blocks

  // Throws Error(kInvalidArgument) naming the first bad hyper-parameter as `names` spells
  // it. The sizes that come from the data (vocab_size, padding_id, num_classes) are not
  // checked: a training run validates its settings before it has read the data.
  void validate_settings(SettingNames names) const;
  // validate_settings() and the data's sizes: a complete model, named by its JSON keys.
  void validate() const;
  // The recurrent output and so the pooled features: F = feature_dim().
  StateLayout states() const { return {hidden, bidirectional ? 2 : 1}; }
  int feature_dim() const { return states().width(); }

  nlohmann::json to_json() const;
  // Rejects unknown keys, wrong types and bad values with an Error naming them. vocab_size is
  // required; other missing keys read as in the first config.json files (see the .cc).
  static ClassifierConfig from_json(const nlohmann::json& j);
};

}  // namespace zhsenti::nn
