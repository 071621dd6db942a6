#include "base_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"
#include "zhsenti/predict/tokenizer_section.h"
#include "zhsenti/predict/predictor.h"
#include "zhsenti/train/finetune.h"

namespace zhsenti::train {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEmbedding = "embedding.weight";

bool is_head(std::string_view name) { return name.starts_with("head."); }

bool is_embedding(std::string_view name) {
  return name.starts_with("embedding.") || name.starts_with("ngram_embedding.");
}

// The settings the base was trained with. Its config.json holds each value once: the
// architecture in "architecture", tokenization in "tokenizer", the other settings in
// "training.config". Files written before that repeat the first two in "training.config";
// the sections win there too, being what the weights and the vocabulary fit.
TrainConfig training_config(const modelfile::ModelDir& dir, const nn::ClassifierConfig& arch,
                            const predict::TokenizerSection& tokenization) {
  TrainConfig c;
  const auto training = dir.config.extra.find("training");
  if (training != dir.config.extra.end() && training->contains("config")) {
    try {
      c = TrainConfig::from_json(training->at("config"));
    } catch (const Error& e) {
      throw Error(ErrorCode::kFormat,
                  fmt::format("{}: training.config: {}",
                              (dir.path / modelfile::kConfigFile).string(), e.what()));
    }
  }
  c.model = arch;
  c.tokenizer = tokenization.tokenizer;
  c.max_len = static_cast<int>(tokenization.encode.max_len);
  c.pretrained.clear();
  return c;
}

}  // namespace

BaseModel load_base_model(const fs::path& dir) {
  modelfile::ModelDir files = modelfile::read_model_dir(dir);
  nn::Classifier model = predict::load_classifier(files);
  vocab::Vocab vocab = vocab::Vocab::parse(files.vocab, files.vocab_path());
  if (static_cast<int>(vocab.size()) != model.config().vocab_size) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: {} entries but the model's embedding has {} rows",
                            files.vocab_path(), vocab.size(), model.config().vocab_size));
  }
  predict::TokenizerSection section = predict::parse_tokenizer_section(files.config.tokenizer);
  TrainConfig training = training_config(files, model.config(), section);
  return BaseModel{dir,
                   std::move(model),
                   std::move(vocab),
                   files.config.labels,
                   std::move(section.tokenizer),
                   section.encode,
                   std::move(training)};
}

nn::ClassifierConfig finetune_architecture(const BaseModel& base, const TrainConfig& config,
                                           std::size_t vocab_size, std::size_t classes) {
  nn::ClassifierConfig arch = base.model.config();
  arch.vocab_size = static_cast<int>(vocab_size);
  arch.num_classes = static_cast<int>(classes);
  arch.dropout = config.model.dropout;
  arch.embed_dropout = config.model.embed_dropout;
  return arch;
}

std::size_t transfer_weights(const nn::Classifier& base, nn::Classifier& model, bool keep_head) {
  const nn::ParamStore& from = base.params();
  nn::ParamStore& to = model.params();
  std::size_t copied = 0;
  for (const auto& info : to.infos()) {
    if (is_head(info.name) && !keep_head) continue;
    const auto source = from.find(info.name);
    if (source < 0) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("fine-tuning: the base model has no tensor '{}'", info.name));
    }
    const auto& source_info = from.info(source);
    const std::span<const float> src = from.value(source);
    const std::span<float> dst = to.value(to.id(info.name));
    if (info.name == kEmbedding && source_info.shape[1] == info.shape[1] &&
        source_info.shape[0] <= info.shape[0]) {
      // The extended vocabulary appends rows: the base's rows keep their ids.
      std::copy(src.begin(), src.end(), dst.begin());
    } else if (source_info.shape == info.shape) {
      std::copy(src.begin(), src.end(), dst.begin());
    } else {
      throw Error(
          ErrorCode::kInvalidArgument,
          fmt::format("fine-tuning: tensor '{}' has another shape in the base model", info.name));
    }
    ++copied;
  }
  return copied;
}

void freeze_encoder(nn::ParamStore& params) {
  for (const auto& info : params.infos()) {
    if (!is_embedding(info.name) && !is_head(info.name)) {
      params.set_trainable(params.id(info.name), false);
    }
  }
}

TrainConfig finetune_config(const fs::path& model_dir) {
  TrainConfig c = load_base_model(model_dir).training;
  c.init_model = model_dir.string();
  c.lr /= kFinetuneLrDivisor;
  c.train_path.clear();
  c.dev_path.clear();
  c.text_col.clear();
  c.label_col.clear();
  c.freeze_embeddings = false;
  c.unfreeze_after = 0;
  c.unlabelled.clear();
  return c;
}

}  // namespace zhsenti::train
