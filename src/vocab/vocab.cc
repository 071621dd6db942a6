#include "zhsenti/vocab/vocab.h"

#include "token_hash.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"

namespace zhsenti::vocab {

namespace {

constexpr std::int32_t kEmpty = -1;

}  // namespace

void check_token(std::string_view token, std::string_view where) {
  ZHSENTI_CHECK_ARG(!token.empty(), "{}: empty token", where);
  const auto bad = token.find_first_of("\t\n\r");
  ZHSENTI_CHECK_ARG(bad == std::string_view::npos,
                    "{}: token {:?} contains a tab or line break (byte {}); vocab.txt cannot "
                    "store it",
                    where, token, bad);
}

Vocab::Vocab() {
  rehash(16);
  append(std::string(kPadToken), 0);
  append(std::string(kUnkToken), 0);
}

void Vocab::rehash(std::size_t capacity) {
  slots_.assign(capacity, kEmpty);
  const std::size_t mask = capacity - 1;
  for (std::size_t id = 0; id < tokens_.size(); ++id) {
    std::size_t i = hashes_[id] & mask;
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = static_cast<std::int32_t>(id);
  }
}

void Vocab::append(std::string token, std::int64_t count) {
  ZHSENTI_CHECK_ARG(tokens_.size() < static_cast<std::size_t>(INT32_MAX),
                    "vocabulary larger than {} entries", INT32_MAX);
  // Load factor <= 1/2 keeps linear-probing chains short.
  if ((tokens_.size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
  const std::uint64_t h = detail::token_hash(token);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (slots_[i] != kEmpty) i = (i + 1) & mask;
  slots_[i] = static_cast<std::int32_t>(tokens_.size());
  hashes_.push_back(h);
  tokens_.push_back(std::move(token));
  counts_.push_back(count);
}

std::optional<std::int32_t> Vocab::find(std::string_view token) const {
  const std::uint64_t h = detail::token_hash(token);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::int32_t id = slots_[i];
    if (id == kEmpty) return std::nullopt;
    const auto u = static_cast<std::size_t>(id);
    if (hashes_[u] == h && tokens_[u] == token) return id;
  }
}

const std::string& Vocab::token(std::int32_t id) const {
  ZHSENTI_CHECK_ARG(id >= 0 && static_cast<std::size_t>(id) < tokens_.size(),
                    "token id {} out of range [0, {})", id, tokens_.size());
  return tokens_[static_cast<std::size_t>(id)];
}

std::int64_t Vocab::count(std::int32_t id) const {
  ZHSENTI_CHECK_ARG(id >= 0 && static_cast<std::size_t>(id) < tokens_.size(),
                    "token id {} out of range [0, {})", id, tokens_.size());
  return counts_[static_cast<std::size_t>(id)];
}

Vocab Vocab::build(const TokenCounter& counts, const BuildOptions& options) {
  Vocab v;
  v.extend(counts, options);
  return v;
}

std::size_t Vocab::extend(const TokenCounter& counts, const BuildOptions& options) {
  ZHSENTI_CHECK_ARG(options.min_count >= 1, "min_count must be >= 1, got {}", options.min_count);
  ZHSENTI_CHECK_ARG(options.max_size == 0 || options.max_size >= static_cast<std::size_t>(kNumSpecials),
                    "max_size must be 0 (unlimited) or >= {} (the specials), got {}",
                    kNumSpecials, options.max_size);
  const std::size_t before = tokens_.size();
  std::int64_t cut = 0;
  for (auto& [token, n] : counts.sorted()) {
    if (contains(token)) continue;  // includes literal <pad>/<unk>
    check_token(token, "vocabulary");
    const bool full = options.max_size != 0 && tokens_.size() >= options.max_size;
    if (n < options.min_count || full) {
      cut += n;
      continue;
    }
    append(std::move(token), n);
  }
  counts_[kUnkId] += cut;
  return tokens_.size() - before;
}

}  // namespace zhsenti::vocab
