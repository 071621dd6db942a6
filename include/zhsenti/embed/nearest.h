#pragma once
// Nearest words by cosine similarity: the one search behind `zhsenti embed neighbors`
// (neighbors.h) and augmentation's synonym table (augment/synonyms.h).
//
// Rows are kept at unit length, so a dot product is a cosine. Each block of queries is
// multiplied against all candidates at once (one GEMM); the float scores give a shortlist
// (slack below the threshold and in size, for rounding), which is re-scored in double
// precision, so the result does not depend on BLAS rounding or the number of threads.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti {
class ThreadPool;
}

namespace zhsenti::embed {

struct Neighbor {
  std::string word;
  float similarity = 0;
};

// Words with their vectors scaled to length 1.
struct UnitRows {
  int dim = 0;
  std::vector<std::string> words;
  std::vector<float> values;

  std::size_t size() const { return words.size(); }
  const float* row(std::size_t i) const {
    return values.data() + i * static_cast<std::size_t>(dim);
  }
  // Appends `v` scaled to length 1; false (nothing added) for the zero vector or a vector
  // with a non-finite length.
  bool add(std::string_view word, std::span<const float> v);
  void clear() {
    words.clear();
    values.clear();
  }
};

// For each query row, its k most similar candidate rows with a cosine at or above
// min_similarity, its own word excluded: most similar first, ties by word. pool: null runs
// on the calling thread.
std::vector<std::vector<Neighbor>> nearest(const UnitRows& candidates, const UnitRows& queries,
                                           int k, float min_similarity, ThreadPool* pool = nullptr);

// Merges the lists of the same queries over another block of candidates into `into`,
// keeping each query's k best in nearest()'s order.
void merge_nearest(std::vector<std::vector<Neighbor>>& into,
                   std::vector<std::vector<Neighbor>> block, int k);

}  // namespace zhsenti::embed
