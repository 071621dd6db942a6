#include "zhsenti/nn/models/classifier_config.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

void ClassifierConfig::validate_settings(SettingNames names) const {
  check_setting(embed_dim >= 1, names, "embed_dim", embed_dim, ">= 1");
  check_setting(ngram_buckets >= 0 && ngram_buckets <= kMaxNgramBuckets, names, "ngram_buckets",
                ngram_buckets, fmt::format("in [0, {}]", kMaxNgramBuckets));
  check_setting(ngram_order == 2 || ngram_order == 3, names, "ngram_order", ngram_order,
                "2 or 3");
  check_setting(hidden >= 1, names, "hidden", hidden, ">= 1");
  check_setting(layers >= 1 && layers <= kMaxLayers, names, "layers", layers,
                fmt::format("in [1, {}]", kMaxLayers));
  check_setting(dropout >= 0.0f && dropout < 1.0f, names, "dropout", dropout, "in [0, 1)");
  check_setting(embed_dropout >= 0.0f && embed_dropout < 1.0f, names, "embed_dropout",
                embed_dropout, "in [0, 1)");
  check_setting(attention_dim >= 0, names, "attention_dim", attention_dim, ">= 0");
}

void ClassifierConfig::validate() const {
  ZHSENTI_CHECK_ARG(vocab_size >= 1, "vocab_size {} must be >= 1", vocab_size);
  ZHSENTI_CHECK_ARG(padding_id >= -1 && padding_id < vocab_size,
                    "padding_id {} must be -1 or in [0, {})", padding_id, vocab_size);
  ZHSENTI_CHECK_ARG(num_classes >= 2, "num_classes {} must be >= 2", num_classes);
  validate_settings(SettingNames::kJsonKeys);
}

nlohmann::json ClassifierConfig::to_json() const {
  return nlohmann::json{{"vocab_size", vocab_size},
                        {"embed_dim", embed_dim},
                        {"ngram_buckets", ngram_buckets},
                        {"ngram_order", ngram_order},
                        {"padding_id", padding_id},
                        {"cell", name_of(cell)},
                        {"hidden", hidden},
                        {"layers", layers},
                        {"bidirectional", bidirectional},
                        {"dropout", dropout},
                        {"embed_dropout", embed_dropout},
                        {"norm", name_of(norm)},
                        {"pool", name_of(pool)},
                        {"attention_dim", attention_dim},
                        {"num_classes", num_classes},
                        {"init", name_of(init)}};
}

namespace {

// A key a config.json leaves out (written by hand or by another tool) reads as it did before
// the defaults became the training ones; tools/torch_import.py fills omitted keys the same way.
ClassifierConfig omitted_keys() {
  ClassifierConfig c;
  c.ngram_buckets = 0;
  c.cell = CellType::kLstm;
  c.embed_dropout = 0.0f;
  c.pool = PoolType::kLast;
  return c;
}

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

template <NamedEnum E>
void read_field(const nlohmann::json& value, const std::string& key, E& out) {
  check_type(value.is_string(), key, value, "a string");
  out = parse_setting<E>(value.get<std::string>(), SettingNames::kJsonKeys, key);
}

}  // namespace

ClassifierConfig ClassifierConfig::from_json(const nlohmann::json& j) {
  ZHSENTI_CHECK_ARG(j.is_object(), "classifier config must be a JSON object, got {}",
                    j.type_name());
  ZHSENTI_CHECK_ARG(j.contains("vocab_size"), "classifier config has no vocab_size");
  ClassifierConfig c = omitted_keys();
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
