#pragma once
// Hyper-parameters of the recurrent text classifier, serialisable to JSON (the model file's
// config.json embeds to_json()). from_json() rejects unknown keys and bad values with an
// Error naming them; missing keys keep their defaults, except vocab_size.

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace zhsenti::nn {

// Stacked recurrent layers a model may have: what config.json accepts and what train may ask.
inline constexpr int kMaxLayers = 16;

struct ClassifierConfig {
  int vocab_size = 0;
  int embed_dim = 128;
  // > 0: each token's embedding also adds a row of a second table picked by hashing the
  // (previous id, id) pair into this many buckets: bigram features without a bigram
  // vocabulary (fastText's word n-gram trick), which the first recurrent layer sees directly.
  int ngram_buckets = 0;
  int ngram_order = 2;  // 3: each token also adds the row of its (id[t-2], id[t-1], id[t]) trigram
  int padding_id = 0;  // -1: no padding row
  std::string cell = "lstm";  // rnn (tanh) | lstm | gru
  int hidden = 128;
  int layers = 1;
  bool bidirectional = true;
  float dropout = 0.5f;        // before the output layer; also between stacked layers
  float embed_dropout = 0.0f;  // on the embeddings
  std::string norm = "none";   // none | layer | batch, on the pooled features
  std::string pool = "last";   // last | mean | max | attention (additive)
  int attention_dim = 0;       // attention: size of the scoring layer (0: hidden)
  int num_classes = 2;
  std::string init = "pytorch";  // pytorch | xavier | orthogonal (orthogonal w_hh blocks)

  // Throws Error(kInvalidArgument) naming the first bad field.
  void validate() const;
  int feature_dim() const { return hidden * (bidirectional ? 2 : 1); }

  nlohmann::json to_json() const;
  static ClassifierConfig from_json(const nlohmann::json& j);
};

}  // namespace zhsenti::nn
