#pragma once
// Pre-training without a vector file (train --pretrain-epochs): skip-gram vectors of the
// model's tokens and of their adjacent pairs (the hashed bigram table's entries), trained on
// the training texts themselves and on any --unlabelled texts, then loaded like a vector file
// (pretrained.h). The word2vec settings are those the gain was measured with on ChnSentiCorp
// (docs/BENCHMARKS.md); only the epochs are a flag.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

#include "prepared_data.h"
#include "zhsenti/embed/word_vectors.h"
#include "zhsenti/train/train_config.h"

namespace zhsenti::train {

struct SelfPretrainStats {
  std::size_t texts = 0;          // training sequences and unlabelled texts read
  std::int64_t tokens = 0;        // their tokens
  std::size_t token_vectors = 0;  // tokens seen at least twice
  std::size_t pair_vectors = 0;   // adjacent pairs seen at least twice
  double seconds = 0;             // both word2vec models
  nlohmann::json to_json() const;
};

// Below this many training tokens (and without --unlabelled texts) word2vec's vectors stay
// near their start, about zero, and embeddings frozen at zero stall the first epochs; such
// runs start from random embeddings instead. A round number, not tuned: ChnSentiCorp's train
// split has 0.94 M character tokens.
inline constexpr std::size_t kMinPretrainTokens = 100000;

// The settings ask for it: --pretrain-epochs > 0, no --pretrained file, not fine-tuning (the
// base model's embedding is the start).
bool self_pretraining_asked(const TrainConfig& config);
// True when train pre-trains its own vectors: asked for, and enough text. A function of the
// settings and the training data only, so a resumed run agrees with the run it continues.
bool self_pretraining(const TrainConfig& config, std::size_t training_tokens);

// The vectors of data.train's token sequences (<unk> ends a sentence: its neighbours are not
// adjacent in the text) and of config.unlabelled's texts, tokenized as the model does.
// Errors in an unlabelled file name the file and line.
embed::WordVectors self_pretrain(const TrainConfig& config, const PreparedData& data,
                                 bool show_progress, SelfPretrainStats& stats);

}  // namespace zhsenti::train
