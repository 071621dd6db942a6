#include "zhsenti/train/train_config.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <type_traits>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/nn/models/classifier_config.h"

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

// One table of fields drives both directions of the JSON mapping, so a new setting cannot be
// saved without also being loadable.
template <typename F>
void for_each_field(TrainConfig& c, F&& f) {
  f("train", c.train_path);
  f("dev", c.dev_path);
  f("validation_split", c.validation_split);
  f("text_col", c.text_col);
  f("label_col", c.label_col);
  f("skip_bad_rows", c.skip_bad_rows);
  f("tokens", c.tokenizer.mode);
  f("min_count", c.min_count);
  f("max_vocab", c.max_vocab);
  f("max_len", c.max_len);
  f("hmm", c.tokenizer.hmm);
  f("user_dicts", c.tokenizer.user_dicts);
  f("stopwords", c.tokenizer.stopwords);
  f("clean", c.tokenizer.clean);
  f("cell", c.model.cell);
  f("bidirectional", c.model.bidirectional);
  f("layers", c.model.layers);
  f("embed_dim", c.model.embed_dim);
  f("hidden", c.model.hidden);
  f("dropout", c.model.dropout);
  f("embed_dropout", c.model.embed_dropout);
  f("ngram_buckets", c.model.ngram_buckets);
  f("ngram_order", c.model.ngram_order);
  f("norm", c.model.norm);
  f("pool", c.model.pool);
  f("pretrained", c.pretrained);
  f("pretrained_rescale", c.pretrained_rescale);
  f("pretrain_epochs", c.pretrain_epochs);
  f("unlabelled", c.unlabelled);
  f("freeze_embeddings", c.freeze_embeddings);
  f("unfreeze_after", c.unfreeze_after);
  f("init_model", c.init_model);
  f("extend_vocab", c.extend_vocab);
  f("new_labels", c.new_labels);
  f("freeze_encoder", c.freeze_encoder);
  f("epochs", c.epochs);
  f("batch_size", c.batch_size);
  f("optimizer", c.optimizer);
  f("lr", c.lr);
  f("weight_decay", c.weight_decay);
  f("clip", c.clip);
  f("schedule", c.schedule);
  f("warmup", c.warmup);
  f("class_weights", c.class_weights);
  f("oversample", c.oversample);
  f("logit_adjust", c.logit_adjust);
  f("label_smoothing", c.label_smoothing);
  f("focal_gamma", c.focal_gamma);
  f("ema_decay", c.ema_decay);
  f("early_stopping", c.early_stopping);
  f("metric", c.metric);
  f("calibrate", c.calibrate);
  f("skew_defaults", c.skew_defaults);
  f("seed", c.seed);
  f("threads", c.threads);
}

// The settings a model's config.json holds in its "tokenizer" section (as TokenizerConfig
// and max_len), which "training.config" therefore leaves out.
constexpr std::array<std::string_view, 6> kTokenizerSectionKeys = {
    "tokens", "max_len", "hmm", "user_dicts", "stopwords", "clean"};

void check_member(const std::string& name, const std::string& value,
                  std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return;
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw Error(ErrorCode::kInvalidArgument,
              fmt::format("{} must be one of {}, got '{}'", name, list, value));
}

}  // namespace

json TrainConfig::to_json() const {
  json j = json::object();
  TrainConfig copy = *this;
  for_each_field(copy, [&](const char* key, const auto& value) {
    if constexpr (NamedEnum<std::decay_t<decltype(value)>>) {
      j[key] = name_of(value);
    } else {
      j[key] = value;
    }
  });
  return j;
}

json TrainConfig::run_settings_json() const {
  json j = to_json();
  // "architecture" is model.to_json(): every key it has is stored there.
  const json architecture = model.to_json();
  for (const auto& item : architecture.items()) j.erase(item.key());
  for (const std::string_view key : kTokenizerSectionKeys) j.erase(std::string(key));
  return j;
}

TrainConfig TrainConfig::from_json(const json& j) {
  ZHSENTI_CHECK_ARG(j.is_object(), "a training config must be a JSON object, got {}",
                    j.type_name());
  TrainConfig c;
  std::set<std::string> known;
  for_each_field(c, [&](const char* key, auto& value) {
    known.insert(key);
    const auto it = j.find(key);
    if (it == j.end()) return;
    try {
      using T = std::decay_t<decltype(value)>;
      if constexpr (NamedEnum<T>) {
        value = parse_setting<T>(it->template get<std::string>(), SettingNames::kJsonKeys, key);
      } else {
        it->get_to(value);
      }
    } catch (const json::exception& e) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("config key '{}': wrong type ({})", key, it->type_name()));
    }
  });
  for (const auto& [key, _] : j.items()) {
    ZHSENTI_CHECK_ARG(known.count(key) > 0, "unknown config key '{}'", key);
  }
  return c;
}

void TrainConfig::validate() const {
  ZHSENTI_CHECK_ARG(!train_path.empty(), "--train is required");
  ZHSENTI_CHECK_ARG(validation_split > 0 && validation_split < 1,
                    "--validation-split must be in (0, 1), got {}", validation_split);
  check_member("--optimizer", optimizer, {"sgd", "adam", "adamw"});
  check_member("--schedule", schedule, {"constant", "step", "cosine", "plateau"});
  check_member("--class-weights", class_weights, {"none", "auto"});
  check_member("--metric", metric, {"accuracy", "macro_f1"});
  ZHSENTI_CHECK_ARG(min_count >= 1, "--min-count must be >= 1, got {}", min_count);
  ZHSENTI_CHECK_ARG(max_vocab >= 0, "--max-vocab must be >= 0, got {}", max_vocab);
  ZHSENTI_CHECK_ARG(max_len >= 1, "--max-len must be >= 1, got {}", max_len);
  model.validate_settings(SettingNames::kFlags);
  ZHSENTI_CHECK_ARG(epochs >= 1, "--epochs must be >= 1, got {}", epochs);
  ZHSENTI_CHECK_ARG(batch_size >= 1, "--batch-size must be >= 1, got {}", batch_size);
  ZHSENTI_CHECK_ARG(lr > 0, "--lr must be positive, got {}", lr);
  ZHSENTI_CHECK_ARG(weight_decay >= 0, "--weight-decay must be >= 0, got {}", weight_decay);
  ZHSENTI_CHECK_ARG(clip >= 0, "--clip must be >= 0, got {}", clip);
  ZHSENTI_CHECK_ARG(warmup >= 0 && warmup < 1, "--warmup must be in [0, 1), got {}", warmup);
  ZHSENTI_CHECK_ARG(label_smoothing >= 0 && label_smoothing < 1,
                    "--label-smoothing must be in [0, 1), got {}", label_smoothing);
  ZHSENTI_CHECK_ARG(logit_adjust >= 0 && logit_adjust <= 10,
                    "--logit-adjust must be in [0, 10], got {}", logit_adjust);
  ZHSENTI_CHECK_ARG(focal_gamma >= 0 && focal_gamma <= 10,
                    "--focal-gamma must be in [0, 10], got {}", focal_gamma);
  ZHSENTI_CHECK_ARG(ema_decay >= 0 && ema_decay < 1, "--ema-decay must be in [0, 1), got {}",
                    ema_decay);
  ZHSENTI_CHECK_ARG(early_stopping >= 0, "--early-stopping must be >= 0, got {}", early_stopping);
  ZHSENTI_CHECK_ARG(threads >= 0, "--threads must be >= 0, got {}", threads);
  ZHSENTI_CHECK_ARG(unfreeze_after >= 0, "--unfreeze-after must be >= 0, got {}", unfreeze_after);
  ZHSENTI_CHECK_ARG(pretrain_epochs >= 0 && pretrain_epochs <= 1000,
                    "--pretrain-epochs must be in [0, 1000], got {}", pretrain_epochs);
  ZHSENTI_CHECK_ARG(unlabelled.empty() || pretrain_epochs > 0,
                    "--unlabelled needs --pretrain-epochs > 0 (its texts are only pre-trained on)");
  ZHSENTI_CHECK_ARG(init_model.empty() || pretrained.empty(),
                    "--pretrained cannot be combined with fine-tuning: the base model's embedding "
                    "is the starting point");
  ZHSENTI_CHECK_ARG(!init_model.empty() || (!new_labels && !freeze_encoder),
                    "--new-labels and --freeze-encoder apply to fine-tuning only");
}

}  // namespace zhsenti::train
