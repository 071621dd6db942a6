#pragma once
// `zhsenti finetune`: continue training a model directory on new data. The run is an ordinary
// train_model run whose config names the base model in init_model; what is kept of the base
// (tokenizer, vocabulary rows, encoder, output layer) is described in src/train/base_model.h.

#include <filesystem>

#include "zhsenti/train/train_config.h"

namespace zhsenti::train {

// Fine-tuning divides the base's learning rate by this: its weights are already a good start.
// Chosen on waimai_10k dev from a ChnSentiCorp model (docs/BENCHMARKS.md): with 10 % of the
// data, dev accuracy 0.8631 at the full rate, 0.8598 at half, 0.8456 at a quarter (scratch
// 0.8514); a quarter held the model too close to the other domain.
inline constexpr float kFinetuneLrDivisor = 2.0f;

// The settings to fine-tune `model_dir` with: its own training settings (architecture and
// tokenizer as stored), init_model set, the learning rate divided by kFinetuneLrDivisor, and
// the data files, columns, pre-trained vectors and freezing cleared.
TrainConfig finetune_config(const std::filesystem::path& model_dir);

}  // namespace zhsenti::train
