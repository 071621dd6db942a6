#pragma once
// The two random tables of word2vec training.
//
// UnigramTable draws negative samples with P(w) proportional to count(w)^power (0.75 in
// word2vec) in O(1) by Vose's alias method: column c = uniform in [0, n), then c itself
// with probability threshold[c] / 2^32, else alias[c]. It is exact up to the 2^-32 rounding
// of the thresholds, and takes 8 bytes per word instead of word2vec's 400 MB fixed table.
//
// Frequent-word subsampling (Mikolov et al. 2013, as implemented by word2vec and gensim): a
// word of frequency f = count / total is kept with probability
//   min(1, (sqrt(f / sample) + 1) * sample / f);   sample == 0 keeps every word.

#include <cstdint>
#include <span>
#include <vector>

namespace zhsenti::embed {

class UnigramTable {
 public:
  // counts: one per word, each >= 1 (Error(kInvalidArgument) otherwise, or when empty).
  explicit UnigramTable(std::span<const std::int64_t> counts, double power = 0.75);

  // A word id from 64 uniform random bits.
  std::int32_t sample(std::uint64_t bits) const {
    const auto column = static_cast<std::size_t>(((bits & 0xFFFFFFFFu) * size_) >> 32);
    const Entry& e = entries_[column];
    return (bits >> 32) < e.threshold ? static_cast<std::int32_t>(column) : e.alias;
  }

  std::size_t size() const { return entries_.size(); }
  // The probability the table actually gives word i (for tests).
  double probability(std::size_t i) const;

 private:
  struct Entry {
    std::uint32_t threshold;  // keep the column when the high 32 bits are below it
    std::int32_t alias;
  };
  std::vector<Entry> entries_;
  std::uint64_t size_ = 0;
};

// Keep probability of a word seen `count` times among `total` words.
double subsample_keep_probability(std::int64_t count, std::int64_t total, double sample);

// The same as 32-bit thresholds: keep when 32 uniform random bits are below thresholds[i]
// (2^32 keeps always).
std::vector<std::uint64_t> subsample_thresholds(std::span<const std::int64_t> counts,
                                                double sample);

}  // namespace zhsenti::embed
