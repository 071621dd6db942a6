#pragma once
// Reading, splitting, tokenizing and encoding the training data: everything before the
// first optimiser step.

#include <string>
#include <vector>

#include "base_model.h"
#include "shard.h"
#include "zhsenti/text/tokenizer.h"
#include "zhsenti/train/labelled_corpus.h"
#include "zhsenti/train/train_config.h"
#include "zhsenti/vocab/encoder.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

struct PreparedData {
  std::vector<std::string> labels;
  text::TokenizerConfig tokenizer;
  vocab::Vocab vocab;
  vocab::EncodeOptions encode;
  // Under MPI (shard.h) `train` is this rank's shard and `layout` lists every rank's rows;
  // `dev` is whole on every rank. In one process the layout is train's rows in order.
  LabelledCorpus train;
  TrainLayout layout;
  LabelledCorpus dev;
  std::string train_sha256;  // rank 0 only
  std::string dev_source;  // a path, or "hold-out of <train>"
};

// With a base model (fine-tuning) its tokenizer and labels are used and its vocabulary is
// extended (BaseModel); labels outside the base's are an error naming file and line unless
// config.new_labels.
PreparedData prepare_data(const TrainConfig& config, bool show_progress,
                          const BaseModel* base = nullptr);

}  // namespace zhsenti::train
