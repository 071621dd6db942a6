#pragma once
// Pre-trained word vectors into a new model's embedding tables (train --pretrained).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <span>

#include "zhsenti/embed/word_vectors.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

struct PretrainedReport {
  std::size_t rows = 0;           // vocabulary rows other than <pad> and <unk>
  std::size_t found = 0;          // of those, rows set from the file
  std::int64_t tokens = 0;        // training tokens of those rows (vocabulary counts)
  std::int64_t tokens_found = 0;  // training tokens whose row was set from the file
  std::size_t file_vectors = 0;   // vectors read from the file
  std::size_t bigram_rows = 0;    // bigram-embedding rows set from the file's bigram entries
  float token_scale = 1;          // factor applied to the file's token vectors
  float bigram_scale = 1;         // ... and to its bigram vectors

  double row_coverage() const {
    return rows ? static_cast<double>(found) / static_cast<double>(rows) : 0;
  }
  double token_coverage() const {
    return tokens ? static_cast<double>(tokens_found) / static_cast<double>(tokens) : 0;
  }
  nlohmann::json to_json() const;
};

// The tables a vector file can initialise: `embedding` is vocab.size() x dim; `bigrams` is
// the hashed bigram embedding (buckets x dim), empty when the model has none.
struct PretrainedTargets {
  std::span<float> embedding;
  std::span<float> bigrams;
  int buckets = 0;
  int dim = 0;
  // Rescale the file's vectors to unit root-mean-square components, the scale of the random
  // N(0, 1) rows beside them (word2vec's are ~6x smaller). Off by default: over six seeds on
  // ChnSentiCorp dev the file's own scale did better (0.9238 vs 0.9208, docs/BENCHMARKS.md).
  bool rescale = false;
};

// Streams the vector file once, copying the vector of every vocabulary word into its row of
// the embedding and, for bigram entries ("a▁b", embed/bigram_entry.h) of two vocabulary
// tokens, into the bigram bucket the model hashes (a, b) to; the first entry of a bucket
// wins (vector files list frequent words first). Other rows keep their values. Only the
// wanted vectors are parsed, so a large file costs reading time, not memory. A file of
// another dimension is Error(kFormat) naming both dimensions; a malformed file is
// Error(kParse) with file:line.
PretrainedReport load_pretrained(const std::filesystem::path& path, const vocab::Vocab& vocab,
                                 const PretrainedTargets& targets);
// The same from vectors in memory (train --pretrain-epochs); a dimension other than the
// model's is Error(kInvalidArgument).
PretrainedReport load_pretrained(const embed::WordVectors& vectors, const vocab::Vocab& vocab,
                                 const PretrainedTargets& targets);

}  // namespace zhsenti::train
