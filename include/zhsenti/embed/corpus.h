#pragma once
// The training corpus of word2vec: a vocabulary (words seen at least min_count times, by
// count descending, ties by bytes ascending, so a build does not depend on hashing) and
// every sentence as a sequence of vocabulary ids. Words under min_count are dropped from the
// sentences, as word2vec and gensim do, but still counted as raw words (the unit of speed).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "zhsenti/text/tokenizer.h"

namespace zhsenti::embed {

struct Corpus {
  // Under MPI (build_agreed): every rank's vocabulary and counts, this rank's sentences.
  std::vector<std::string> words;
  std::vector<std::int64_t> counts;     // per word, >= min_count
  std::vector<std::int32_t> ids;        // in-vocabulary tokens, sentence after sentence
  std::vector<std::size_t> offsets{0};  // sentence i is ids[offsets[i], offsets[i+1])
  std::int64_t raw_words = 0;           // every token read (by all ranks), rare ones included

  std::size_t num_sentences() const { return offsets.size() - 1; }
  std::span<const std::int32_t> sentence(std::size_t i) const {
    return {ids.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
};

// Collects sentences (ids assigned on first sight), then fixes the vocabulary.
class CorpusBuilder {
 public:
  void add_sentence(std::span<const std::string> tokens);
  void add_sentence(std::span<const std::string_view> tokens);
  std::int64_t raw_words() const { return raw_words_; }
  std::size_t num_sentences() const { return offsets_.size() - 1; }

  // Drops words seen fewer than min_count times and renumbers the rest.
  Corpus build(std::int64_t min_count) const;
  // The sentences over a vocabulary chosen elsewhere (build_agreed: from every rank's counts),
  // whose ids are its positions; words outside it are dropped. raw_words is the caller's.
  Corpus build_over(std::vector<std::string> words, std::vector<std::int64_t> counts,
                    std::int64_t raw_words) const;

  // Every distinct token added, with its count, in order of first sight.
  const std::vector<std::string>& words() const { return words_; }
  const std::vector<std::int64_t>& counts() const { return counts_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept;
  };
  std::int32_t intern(std::string_view token);

  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
  std::vector<std::string> words_;
  std::vector<std::int64_t> counts_;
  std::vector<std::int32_t> ids_;
  std::vector<std::size_t> offsets_{0};
  std::int64_t raw_words_ = 0;
};

struct CorpusReadOptions {
  // true: texts are already segmented, tokens separated by ASCII whitespace. false: texts go
  // through the tokenizer (cleaning + segmentation, as a model's training does).
  bool pre_segmented = false;
  text::TokenizerConfig tokenizer;
  std::string text_col;  // data files: the text column (empty: the usual names)
  int threads = 0;       // tokenization threads, 0: all cores
  bool show_progress = false;
  // One rank's shard under MPI: text k of a file (counted from 0 in file order: data rows,
  // bad ones included, or non-blank lines) is read only when k % shard_count == shard_index,
  // so a bad text is found, and reported, by the one rank that holds it.
  std::size_t shard_index = 0;
  std::size_t shard_count = 1;
};

// The words counted at least min_count times with their counts, by count descending, ties by
// bytes ascending.
std::pair<std::vector<std::string>, std::vector<std::int64_t>> vocabulary_of(
    const std::vector<std::string>& words, const std::vector<std::int64_t>& counts,
    std::int64_t min_count);

// The corpus of this rank's texts over the vocabulary one process would build from every
// rank's texts (counts summed over ranks, min_count applied to the sums, same order), with
// raw_words summed too. build(min_count) in a world of one.
Corpus build_agreed(const CorpusBuilder& mine, std::int64_t min_count);

// Adds every text of a file: .tsv/.csv/.jsonl/.ndjson/.json files are read as data sets (the
// text column; labels optional), anything else as plain text, one text per line (blank
// lines skipped). With `bigrams`, each text's adjacent-token pairs go there as one sentence
// of bigram entries (bigram_entry.h): a corpus of their own, because trained together with
// the tokens, the tokens' negative samples would mostly be bigrams that never share their
// contexts. Returns the number of texts that gave at least one token. Errors name the file
// and line.
std::size_t read_corpus_file(const std::filesystem::path& path, const CorpusReadOptions& options,
                             CorpusBuilder& builder, CorpusBuilder* bigrams = nullptr);

// Splits on ASCII whitespace.
void split_whitespace(std::string_view text, std::vector<std::string_view>& tokens);

}  // namespace zhsenti::embed
