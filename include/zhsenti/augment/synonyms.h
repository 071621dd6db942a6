#pragma once
// Synonyms from word vectors: for each word of the input's vocabulary, its k nearest vector
// words by cosine similarity at or above a threshold, computed once before any text is
// augmented (a text then costs one hash lookup per word, not a scan of the vectors).
//
// Candidates are the vector words the ProtectionPolicy lets be substituted (never a negator,
// degree word or negated word), optionally only the first max_vocab rows of the file (vector
// files list frequent words first; rare rows are mostly typos and noise). Similarities are
// embed/nearest.h's search (a GEMM of unit vectors, its shortlist re-scored in double
// precision), so the table does not depend on BLAS rounding or the number of threads.
//
// Word2vec neighbours are words used in the same contexts, which includes antonyms (贵 and
// 便宜); a high threshold keeps fewer of them, it cannot rule them out.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zhsenti/augment/protection.h"
#include "zhsenti/embed/nearest.h"
#include "zhsenti/embed/word_vectors.h"

namespace zhsenti {
class ThreadPool;
}

namespace zhsenti::augment {

struct SynonymOptions {
  int k = 5;                    // synonyms kept per word
  float min_similarity = 0.6f;  // cosine threshold, in [-1, 1]
  std::size_t max_vocab = 0;    // candidates from the first N rows of the file only (0: all)

  // Throws Error(kInvalidArgument) naming the bad setting.
  void validate() const;
};

using Synonym = embed::Neighbor;

struct SynonymStats {
  std::size_t vector_rows = 0;    // rows read from the file
  std::size_t candidates = 0;     // vector words allowed as substitutes
  std::size_t queries = 0;        // input words asked for
  std::size_t queries_found = 0;  // ... that have a vector
  std::size_t with_synonyms = 0;  // ... with at least one synonym above the threshold
  std::size_t synonyms = 0;       // entries in the table
};

class SynonymTable {
 public:
  SynonymTable() = default;

  // queries: the words to find synonyms for (duplicates allowed). `vectors` rows with zero
  // norm are ignored. pool: null runs on the calling thread.
  static SynonymTable build(const embed::WordVectors& vectors, std::span<const std::string> queries,
                            const ProtectionPolicy& policy, const SynonymOptions& options,
                            ThreadPool* pool = nullptr);

  // The same, streaming a vector file and keeping only candidate and query rows. Errors
  // name the file (and line) as the vector reader does.
  static SynonymTable from_file(const std::filesystem::path& path,
                                std::span<const std::string> queries,
                                const ProtectionPolicy& policy, const SynonymOptions& options,
                                ThreadPool* pool = nullptr,
                                std::optional<embed::VectorFormat> format = {});

  // Most similar first (ties by word); empty for unknown words.
  std::span<const Synonym> find(std::string_view word) const;
  bool has(std::string_view word) const { return !find(word).empty(); }

  const SynonymStats& stats() const { return stats_; }
  // Every entry, words sorted (for --dump-synonyms and tests).
  std::vector<std::pair<std::string, std::vector<Synonym>>> entries() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Keeps the non-empty lists (lists[i] belongs to words[i]) and counts them.
  void add_lists(const std::vector<std::string>& words, std::vector<std::vector<Synonym>> lists);

  std::unordered_map<std::string, std::vector<Synonym>, Hash, std::equal_to<>> table_;
  SynonymStats stats_;
};

}  // namespace zhsenti::augment
