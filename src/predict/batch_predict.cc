#include "zhsenti/predict/batch_predict.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"
#include "zhsenti/vocab/batcher.h"

namespace zhsenti::predict {

void predict_corpus(const nn::Classifier& model, const vocab::EncodedCorpus& corpus,
                    nn::Workspace& ws, std::size_t batch_size, std::span<float> out) {
  const auto classes = static_cast<std::size_t>(model.config().num_classes);
  if (out.size() != corpus.size() * classes) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("predict: output has {} floats, expected {} x {}", out.size(),
                            corpus.size(), classes));
  }
  thread_local std::vector<float> batch_probs;
  vocab::OrderedBatcher batcher(corpus, {}, batch_size);
  vocab::Batch batch;
  while (batcher.next(batch)) {
    batch_probs.resize(batch.size() * classes);
    model.predict_proba(nn::Batch{batch.ids, batch.lengths}, ws, batch_probs);
    for (std::size_t b = 0; b < batch.size(); ++b) {
      std::copy_n(batch_probs.data() + b * classes, classes, out.data() + batch.indices[b] * classes);
    }
  }
}

std::vector<std::int32_t> argmax_rows(std::span<const float> probabilities, int num_classes) {
  const auto c = static_cast<std::size_t>(num_classes);
  std::vector<std::int32_t> out(probabilities.size() / c);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const float* row = probabilities.data() + i * c;
    out[i] = static_cast<std::int32_t>(std::max_element(row, row + c) - row);
  }
  return out;
}

}  // namespace zhsenti::predict
