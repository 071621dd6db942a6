#pragma once
// A data set turned into what the engine trains on: token ids per text (ragged) and a label
// id per text. Tokenization runs on all cores; it is the slow part of preparing data.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/data/dataset.h"
#include "zhsenti/text/tokenizer.h"
#include "zhsenti/vocab/encoder.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

using TokenLists = std::vector<std::vector<std::string>>;

// Tokens of every example, in order. Errors name the data file and line of the bad text.
TokenLists tokenize_examples(const text::Tokenizer& tokenizer, const data::Dataset& dataset,
                             int threads, bool show_progress);

struct LabelledCorpus {
  vocab::EncodedCorpus corpus;
  std::vector<std::int32_t> labels;  // ids into the model's label list

  std::size_t size() const { return labels.size(); }
};

// Label id of every example; a label outside `labels` is an Error naming file and line.
std::vector<std::int32_t> label_ids(const data::Dataset& dataset,
                                    std::span<const std::string> labels);

LabelledCorpus encode_corpus(const vocab::Encoder& encoder, const TokenLists& tokens,
                             std::vector<std::int32_t> labels);

}  // namespace zhsenti::train
