#pragma once
// Model outputs over a whole encoded corpus, in input order: length-sorted batches inside
// windows (little RNN work wasted) with results written back to each text's position.

#include <cstdint>
#include <span>
#include <vector>

#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/workspace.h"
#include "zhsenti/vocab/encoder.h"

namespace zhsenti::predict {

// Probabilities (N, C) row-major into out, row i for corpus sequence i.
void predict_corpus(const nn::Classifier& model, const vocab::EncodedCorpus& corpus,
                    nn::Workspace& ws, std::size_t batch_size, std::span<float> out);

// Arg-max label id of each row of probabilities (N, C).
std::vector<std::int32_t> argmax_rows(std::span<const float> probabilities, int num_classes);

}  // namespace zhsenti::predict
