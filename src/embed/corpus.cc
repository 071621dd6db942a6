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
  ZHSENTI_CHECK_ARG(min_count >= 1, "min count must be >= 1, got {}", min_count);
  std::vector<std::int32_t> order;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    if (counts_[i] >= min_count) order.push_back(static_cast<std::int32_t>(i));
  }
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const auto ca = counts_[static_cast<std::size_t>(a)], cb = counts_[static_cast<std::size_t>(b)];
    return ca != cb ? ca > cb
                    : words_[static_cast<std::size_t>(a)] < words_[static_cast<std::size_t>(b)];
  });
  std::vector<std::int32_t> remap(words_.size(), -1);
  Corpus out;
  out.words.reserve(order.size());
  out.counts.reserve(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto old = static_cast<std::size_t>(order[r]);
    remap[old] = static_cast<std::int32_t>(r);
    out.words.push_back(words_[old]);
    out.counts.push_back(counts_[old]);
  }
  out.ids.reserve(ids_.size());
  for (std::size_t s = 0; s + 1 < offsets_.size(); ++s) {
    for (std::size_t i = offsets_[s]; i < offsets_[s + 1]; ++i) {
      const std::int32_t id = remap[static_cast<std::size_t>(ids_[i])];
      if (id >= 0) out.ids.push_back(id);
    }
    // Sentences left with nothing to train on are dropped.
    if (out.ids.size() > out.offsets.back()) out.offsets.push_back(out.ids.size());
  }
  out.raw_words = raw_words_;
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
