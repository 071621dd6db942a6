#pragma once
// Pre-trained word vectors into a new model's embedding table (train --pretrained).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <span>

#include "zhsenti/vocab/vocab.h"

namespace zhsenti::train {

struct PretrainedReport {
  std::size_t rows = 0;           // vocabulary rows other than <pad> and <unk>
  std::size_t found = 0;          // of those, rows set from the file
  std::int64_t tokens = 0;        // training tokens of those rows (vocabulary counts)
  std::int64_t tokens_found = 0;  // training tokens whose row was set from the file
  std::size_t file_vectors = 0;   // vectors read from the file

  double row_coverage() const {
    return rows ? static_cast<double>(found) / static_cast<double>(rows) : 0;
  }
  double token_coverage() const {
    return tokens ? static_cast<double>(tokens_found) / static_cast<double>(tokens) : 0;
  }
  nlohmann::json to_json() const;
};

// Streams the vector file once, copying the vector of every vocabulary word into its row of
// `weight` (vocab.size() x dim); other rows keep their values. Only the vocabulary's vectors
// are parsed, so a large file costs reading time, not memory. A file of another dimension is
// Error(kFormat) naming both dimensions; a malformed file is Error(kParse) with file:line.
PretrainedReport load_pretrained(const std::filesystem::path& path, const vocab::Vocab& vocab,
                                 std::span<float> weight, int dim);

}  // namespace zhsenti::train
