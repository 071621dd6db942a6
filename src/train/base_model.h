#pragma once
// The trained model a fine-tuning run starts from (`zhsenti finetune`, TrainConfig::init_model).
//
// Fine-tuning keeps what the base model knows and lets the new data add to it:
//   - tokenization (cleaning, segmentation, max length) is the base model's, unchanged;
//   - the vocabulary is the base's, extended at its end with the new data's tokens, so old
//     ids keep their embedding rows and new rows start from the usual initialisation;
//   - the output layer is kept when the new labels are a subset of the base's, and replaced
//     (fresh rows, the encoder kept) when the run asks for a new label set.

#include <filesystem>
#include <string>
#include <vector>

#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/text/tokenizer.h"
#include "zhsenti/train/train_config.h"
#include "zhsenti/vocab/encoder.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

struct BaseModel {
  std::filesystem::path path;
  nn::Classifier model;
  vocab::Vocab vocab;
  std::vector<std::string> labels;
  text::TokenizerConfig tokenizer;
  vocab::EncodeOptions encode;
  TrainConfig training;  // the settings it was trained with (config.json, each value once)
};

// Reads and validates the model directory (the same checks as prediction).
BaseModel load_base_model(const std::filesystem::path& dir);

// The architecture of a fine-tuned model: the base's, with the new vocabulary and label
// counts and the run's (training-only) dropout rates.
nn::ClassifierConfig finetune_architecture(const BaseModel& base, const TrainConfig& config,
                                           std::size_t vocab_size, std::size_t classes);

// Copies the base's weights into `model`: every tensor of the same name and shape, the
// embedding's first base.vocab.size() rows, and the output layer only when `keep_head`.
// Returns the number of tensors copied.
std::size_t transfer_weights(const nn::Classifier& base, nn::Classifier& model, bool keep_head);

// Freezes every tensor except the embeddings and the output layer.
void freeze_encoder(nn::ParamStore& params);

}  // namespace zhsenti::train
