#include "zhsenti/nn/models/classifier_config.h"

#include <nlohmann/json.hpp>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void ClassifierConfig::validate() const {
  ZHSENTI_CHECK_ARG(vocab_size >= 1, "vocab_size {} must be >= 1", vocab_size);
  ZHSENTI_CHECK_ARG(embed_dim >= 1, "embed_dim {} must be >= 1", embed_dim);
  ZHSENTI_CHECK_ARG(ngram_buckets >= 0, "ngram_buckets {} must be >= 0", ngram_buckets);
  ZHSENTI_CHECK_ARG(ngram_order == 2 || ngram_order == 3, "ngram_order {} must be 2 or 3",
                    ngram_order);
  ZHSENTI_CHECK_ARG(padding_id >= -1 && padding_id < vocab_size,
                    "padding_id {} must be -1 or in [0, {})", padding_id, vocab_size);
  ZHSENTI_CHECK_ARG(cell == "rnn" || cell == "lstm" || cell == "gru",
                    "cell '{}' must be rnn, lstm or gru", cell);
  ZHSENTI_CHECK_ARG(hidden >= 1, "hidden {} must be >= 1", hidden);
  ZHSENTI_CHECK_ARG(layers >= 1 && layers <= kMaxLayers, "layers {} must be in [1, {}]", layers,
                    kMaxLayers);
  ZHSENTI_CHECK_ARG(dropout >= 0.0f && dropout < 1.0f, "dropout {} must be in [0, 1)", dropout);
  ZHSENTI_CHECK_ARG(embed_dropout >= 0.0f && embed_dropout < 1.0f,
                    "embed_dropout {} must be in [0, 1)", embed_dropout);
  ZHSENTI_CHECK_ARG(norm == "none" || norm == "layer" || norm == "batch",
                    "norm '{}' must be none, layer or batch", norm);
  ZHSENTI_CHECK_ARG(pool == "last" || pool == "mean" || pool == "max" || pool == "attention",
                    "pool '{}' must be last, mean, max or attention", pool);
  ZHSENTI_CHECK_ARG(attention_dim >= 0, "attention_dim {} must be >= 0", attention_dim);
  ZHSENTI_CHECK_ARG(num_classes >= 2, "num_classes {} must be >= 2", num_classes);
  ZHSENTI_CHECK_ARG(init == "pytorch" || init == "xavier" || init == "orthogonal",
                    "init '{}' must be pytorch, xavier or orthogonal", init);
}

nlohmann::json ClassifierConfig::to_json() const {
  return nlohmann::json{{"vocab_size", vocab_size},
                        {"embed_dim", embed_dim},
                        {"ngram_buckets", ngram_buckets},
                        {"ngram_order", ngram_order},
                        {"padding_id", padding_id},
                        {"cell", cell},
                        {"hidden", hidden},
                        {"layers", layers},
                        {"bidirectional", bidirectional},
                        {"dropout", dropout},
                        {"embed_dropout", embed_dropout},
                        {"norm", norm},
                        {"pool", pool},
                        {"attention_dim", attention_dim},
                        {"num_classes", num_classes},
                        {"init", init}};
}

namespace {

// Strict types: 1.5 is not an int and "true" is not a bool.
void check_type(bool ok, const std::string& key, const nlohmann::json& value, const char* want) {
  ZHSENTI_CHECK_ARG(ok, "classifier config: '{}' must be {}, got {}", key, want, value.dump());
}

void read_field(const nlohmann::json& value, const std::string& key, int& out) {
  check_type(value.is_number_integer(), key, value, "an integer");
  out = value.get<int>();
}

void read_field(const nlohmann::json& value, const std::string& key, float& out) {
  check_type(value.is_number(), key, value, "a number");
  out = value.get<float>();
}

void read_field(const nlohmann::json& value, const std::string& key, bool& out) {
  check_type(value.is_boolean(), key, value, "true or false");
  out = value.get<bool>();
}

void read_field(const nlohmann::json& value, const std::string& key, std::string& out) {
  check_type(value.is_string(), key, value, "a string");
  out = value.get<std::string>();
}

}  // namespace

ClassifierConfig ClassifierConfig::from_json(const nlohmann::json& j) {
  ZHSENTI_CHECK_ARG(j.is_object(), "classifier config must be a JSON object, got {}",
                    j.type_name());
  ZHSENTI_CHECK_ARG(j.contains("vocab_size"), "classifier config has no vocab_size");
  ClassifierConfig c;
  for (const auto& [key, value] : j.items()) {
    if (key == "vocab_size")
      read_field(value, key, c.vocab_size);
    else if (key == "embed_dim")
      read_field(value, key, c.embed_dim);
    else if (key == "ngram_buckets")
      read_field(value, key, c.ngram_buckets);
    else if (key == "ngram_order")
      read_field(value, key, c.ngram_order);
    else if (key == "padding_id")
      read_field(value, key, c.padding_id);
    else if (key == "cell")
      read_field(value, key, c.cell);
    else if (key == "hidden")
      read_field(value, key, c.hidden);
    else if (key == "layers")
      read_field(value, key, c.layers);
    else if (key == "bidirectional")
      read_field(value, key, c.bidirectional);
    else if (key == "dropout")
      read_field(value, key, c.dropout);
    else if (key == "embed_dropout")
      read_field(value, key, c.embed_dropout);
    else if (key == "norm")
      read_field(value, key, c.norm);
    else if (key == "pool")
      read_field(value, key, c.pool);
    else if (key == "attention_dim")
      read_field(value, key, c.attention_dim);
    else if (key == "num_classes")
      read_field(value, key, c.num_classes);
    else if (key == "init")
      read_field(value, key, c.init);
    else
      ZHSENTI_CHECK_ARG(false, "classifier config: unknown key '{}'", key);
  }
  c.validate();
  return c;
}

}  // namespace zhsenti::nn
