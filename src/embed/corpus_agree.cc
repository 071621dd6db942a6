// The vocabulary of an MPI job's word2vec: every rank's token counts summed, so each rank
// trains its shard over the vocabulary one process would build from all texts.

#include <cstring>
#include <unordered_map>

#include "zhsenti/core/error.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/embed/corpus.h"

namespace zhsenti::embed {
namespace {

// Per word: its byte length (u32), its bytes, its count (i64).
std::string pack_counts(const CorpusBuilder& mine) {
  std::string bytes;
  for (std::size_t i = 0; i < mine.words().size(); ++i) {
    const std::string& w = mine.words()[i];
    const auto n = static_cast<std::uint32_t>(w.size());
    const std::int64_t count = mine.counts()[i];
    bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
    bytes.append(w);
    bytes.append(reinterpret_cast<const char*>(&count), sizeof count);
  }
  return bytes;
}

void unpack_counts(std::string_view bytes, std::unordered_map<std::string, std::int64_t>& sums) {
  std::size_t pos = 0;
  const auto take = [&](void* out, std::size_t n) {
    if (n > bytes.size() - pos) throw Error(ErrorCode::kInternal, "a rank sent truncated counts");
    std::memcpy(out, bytes.data() + pos, n);
    pos += n;
  };
  while (pos < bytes.size()) {
    std::uint32_t n = 0;
    take(&n, sizeof n);
    std::string word(n, '\0');
    take(word.data(), n);
    std::int64_t count = 0;
    take(&count, sizeof count);
    sums[word] += count;
  }
}

}  // namespace

Corpus build_agreed(const CorpusBuilder& mine, std::int64_t min_count) {
  if (!dist::distributed()) return mine.build(min_count);
  std::unordered_map<std::string, std::int64_t> sums;
  for (const std::string& bytes : dist::allgather(pack_counts(mine))) unpack_counts(bytes, sums);
  std::vector<std::string> words;
  std::vector<std::int64_t> counts;
  words.reserve(sums.size());
  counts.reserve(sums.size());
  for (auto& [w, c] : sums) {
    words.push_back(w);
    counts.push_back(c);
  }
  std::int64_t raw_words = mine.raw_words();
  dist::allreduce_sum(std::span(&raw_words, 1));
  auto [vocab, vocab_counts] = vocabulary_of(words, counts, min_count);
  return mine.build_over(std::move(vocab), std::move(vocab_counts), raw_words);
}

}  // namespace zhsenti::embed
