#include "zhsenti/embed/corpus.h"

#include <algorithm>
#include <numeric>

#include "zhsenti/core/check.h"

namespace zhsenti::embed {

std::size_t CorpusBuilder::Hash::operator()(std::string_view s) const noexcept {
  return std::hash<std::string_view>{}(s);
}

std::int32_t CorpusBuilder::intern(std::string_view token) {
  const auto it = index_.find(token);
  if (it != index_.end()) {
    ++counts_[static_cast<std::size_t>(it->second)];
    return it->second;
  }
  ZHSENTI_CHECK_ARG(words_.size() < (std::size_t{1} << 31) - 1, "more than 2^31 distinct words");
  const auto id = static_cast<std::int32_t>(words_.size());
  words_.emplace_back(token);
  counts_.push_back(1);
  index_.emplace(words_.back(), id);
  return id;
}

void CorpusBuilder::add_sentence(std::span<const std::string> tokens) {
  for (const auto& t : tokens) ids_.push_back(intern(t));
  raw_words_ += static_cast<std::int64_t>(tokens.size());
  offsets_.push_back(ids_.size());
}

void CorpusBuilder::add_sentence(std::span<const std::string_view> tokens) {
  for (const auto t : tokens) ids_.push_back(intern(t));
  raw_words_ += static_cast<std::int64_t>(tokens.size());
  offsets_.push_back(ids_.size());
}

Corpus CorpusBuilder::build(std::int64_t min_count) const {
  auto [words, counts] = vocabulary_of(words_, counts_, min_count);
  return build_over(std::move(words), std::move(counts), raw_words_);
}

Corpus CorpusBuilder::build_over(std::vector<std::string> words, std::vector<std::int64_t> counts,
                                 std::int64_t raw_words) const {
  ZHSENTI_CHECK_ARG(words.size() == counts.size(), "{} words but {} counts", words.size(),
                    counts.size());
  std::unordered_map<std::string_view, std::int32_t> position;
  position.reserve(words.size());
  for (std::size_t i = 0; i < words.size(); ++i)
    position.emplace(words[i], static_cast<std::int32_t>(i));
  std::vector<std::int32_t> remap(words_.size(), -1);
  for (std::size_t i = 0; i < words_.size(); ++i) {
    if (const auto it = position.find(words_[i]); it != position.end()) remap[i] = it->second;
  }
  Corpus out;
  out.words = std::move(words);
  out.counts = std::move(counts);
  out.ids.reserve(ids_.size());
  for (std::size_t s = 0; s + 1 < offsets_.size(); ++s) {
    for (std::size_t i = offsets_[s]; i < offsets_[s + 1]; ++i) {
      const std::int32_t id = remap[static_cast<std::size_t>(ids_[i])];
      if (id >= 0) out.ids.push_back(id);
    }
    // Sentences left with nothing to train on are dropped.
    if (out.ids.size() > out.offsets.back()) out.offsets.push_back(out.ids.size());
  }
  out.raw_words = raw_words;
  return out;
}

std::pair<std::vector<std::string>, std::vector<std::int64_t>> vocabulary_of(
    const std::vector<std::string>& words, const std::vector<std::int64_t>& counts,
    std::int64_t min_count) {
  ZHSENTI_CHECK_ARG(min_count >= 1, "min count must be >= 1, got {}", min_count);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (counts[i] >= min_count) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : words[a] < words[b];
  });
  std::pair<std::vector<std::string>, std::vector<std::int64_t>> out;
  out.first.reserve(order.size());
  out.second.reserve(order.size());
  for (const std::size_t i : order) {
    out.first.push_back(words[i]);
    out.second.push_back(counts[i]);
  }
  return out;
}

void split_whitespace(std::string_view text, std::vector<std::string_view>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
}

}  // namespace zhsenti::embed
