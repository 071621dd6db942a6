#pragma once
// Vector-file entries for token bigrams, so pre-trained vectors can also initialise a model's
// hashed bigram embedding (train --ngram-buckets). A bigram entry is its two tokens joined by
// U+2581 '▁' (the mark SentencePiece uses for word boundaries): "好▁吃". Tokens never contain
// whitespace, so the entry is one field of a word2vec/GloVe/fastText file.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zhsenti::embed {

inline constexpr std::string_view kBigramJoiner = "\xE2\x96\x81";

inline std::string bigram_entry(std::string_view first, std::string_view second) {
  std::string entry;
  entry.reserve(first.size() + kBigramJoiner.size() + second.size());
  entry.append(first).append(kBigramJoiner).append(second);
  return entry;
}

// out = the entries of tokens' adjacent pairs, in order (none for fewer than two tokens).
template <class Token>
void bigram_entries(const std::vector<Token>& tokens, std::vector<std::string>& out) {
  out.clear();
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    out.push_back(bigram_entry(tokens[i - 1], tokens[i]));
  }
}

// The first split of entry at a joiner (left to right) into non-empty halves that
// accept(first, second) takes; a token that itself contains '▁' allows several splits.
template <class Accept>
std::optional<std::pair<std::string_view, std::string_view>> split_bigram(std::string_view entry,
                                                                          Accept accept) {
  for (auto at = entry.find(kBigramJoiner); at != std::string_view::npos;
       at = entry.find(kBigramJoiner, at + 1)) {
    const auto rest = at + kBigramJoiner.size();
    if (at == 0 || rest >= entry.size()) continue;
    const auto first = entry.substr(0, at), second = entry.substr(rest);
    if (accept(first, second)) return std::pair{first, second};
  }
  return std::nullopt;
}

}  // namespace zhsenti::embed
