#pragma once
// Data-parallel training data (src/dist): each rank reads, tokenizes and encodes only its
// shard of the training rows; what must be identical everywhere is agreed by collectives so
// that the model is the one a single process would build:
//   - labels and token counts (the vocabulary) are merged over all ranks;
//   - TrainLayout lists every rank's training rows (length, label, owner) in the order one
//     process would hold them, so every rank plans the same global batches and takes its
//     own rows of each;
//   - the dev set, small, is gathered whole onto every rank (each rank scores a slice).
// In a world of one every function is the identity and the layout is rows 0..n-1 of rank 0.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zhsenti/train/labelled_corpus.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

struct TrainLayout {
  std::vector<std::int32_t> lengths;  // tokens of each row
  std::vector<std::int32_t> labels;   // label id of each row
  std::vector<std::int32_t> owner;    // rank holding the row
  std::vector<std::size_t> local;     // its index in that rank's LabelledCorpus
  std::int64_t tokens = 0;            // sum of lengths

  std::size_t size() const { return lengths.size(); }
};

// The layout of `train` when one process holds all rows (and after oversampling).
TrainLayout local_layout(const LabelledCorpus& train);

// Every rank's `train`; keys (one per row, unique over all ranks) give the single-process order.
TrainLayout gather_layout(const LabelledCorpus& train, const std::vector<std::uint64_t>& keys);

// Every rank's rows of `part` in the order of their keys, on every rank.
LabelledCorpus gather_corpus(const LabelledCorpus& part, const std::vector<std::uint64_t>& keys);

// The sorted union of every rank's labels (data::Dataset::labels()' order).
std::vector<std::string> agree_labels(const std::vector<std::string>& mine);

// Every rank's token counts summed (the vocabulary does not depend on the order of merging).
vocab::TokenCounter agree_counts(const vocab::TokenCounter& mine);

}  // namespace zhsenti::train
