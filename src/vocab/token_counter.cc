#include <algorithm>

#include "token_hash.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::vocab {

std::size_t TokenCounter::Hash::operator()(std::string_view s) const noexcept {
  return static_cast<std::size_t>(detail::token_hash(s));
}

void TokenCounter::add(std::string_view token, std::int64_t n) {
  const auto it = counts_.find(token);
  if (it != counts_.end()) {
    it->second += n;
  } else {
    counts_.emplace(std::string(token), n);
  }
  total_ += n;
}

void TokenCounter::add(std::span<const std::string> tokens) {
  for (const auto& t : tokens) add(std::string_view(t));
}

void TokenCounter::add(std::span<const std::string_view> tokens) {
  for (const auto t : tokens) add(t);
}

void TokenCounter::merge(const TokenCounter& other) {
  for (const auto& [token, n] : other.counts_) add(token, n);
}

std::int64_t TokenCounter::count(std::string_view token) const {
  const auto it = counts_.find(token);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::pair<std::string, std::int64_t>> TokenCounter::sorted() const {
  std::vector<std::pair<std::string, std::int64_t>> out(counts_.begin(), counts_.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace zhsenti::vocab
