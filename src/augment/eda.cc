#include "zhsenti/augment/eda.h"

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::augment {
namespace {

void check_sizes(std::span<const std::string> tokens, std::span<const TokenRole> roles) {
  ZHSENTI_CHECK_ARG(tokens.size() == roles.size(), "{} tokens but {} roles", tokens.size(),
                    roles.size());
}

std::size_t pick(Rng& rng, std::size_t n) { return static_cast<std::size_t>(rng.uniform_int(n)); }

// Positions of kFree tokens that have at least one synonym.
std::vector<std::size_t> replaceable(std::span<const std::string> tokens,
                                     std::span<const TokenRole> roles,
                                     const SynonymTable& synonyms) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (roles[i] == TokenRole::kFree && synonyms.has(tokens[i])) out.push_back(i);
  }
  return out;
}

const std::string& random_synonym(const SynonymTable& synonyms, std::string_view word, Rng& rng) {
  const auto list = synonyms.find(word);
  return list[pick(rng, list.size())].word;
}

}  // namespace

std::string_view op_name(EdaOp op) {
  switch (op) {
    case EdaOp::kSynonymReplace:
      return "sr";
    case EdaOp::kRandomInsert:
      return "ri";
    case EdaOp::kRandomSwap:
      return "rs";
    case EdaOp::kRandomDelete:
      return "rd";
  }
  return "?";
}

int edit_count(double alpha, std::size_t words) {
  if (!(alpha > 0)) return 0;
  return std::max(1, static_cast<int>(std::floor(alpha * static_cast<double>(words))));
}

std::size_t word_count(std::span<const TokenRole> roles) {
  return static_cast<std::size_t>(std::count_if(
      roles.begin(), roles.end(), [](TokenRole r) { return r != TokenRole::kPunct; }));
}

EdaResult synonym_replace(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                          const SynonymTable& synonyms, int n, Rng& rng) {
  check_sizes(tokens, roles);
  EdaResult r{{tokens.begin(), tokens.end()}, 0};
  std::vector<std::size_t> positions = replaceable(tokens, roles, synonyms);
  rng.shuffle(std::span<std::size_t>(positions));
  const std::size_t edits = std::min(positions.size(), static_cast<std::size_t>(std::max(n, 0)));
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t i = positions[e];
    r.tokens[i] = random_synonym(synonyms, tokens[i], rng);
  }
  r.edits = static_cast<int>(edits);
  return r;
}

EdaResult random_insert(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                        const ProtectionPolicy& policy, const SynonymTable& synonyms, int n,
                        Rng& rng) {
  check_sizes(tokens, roles);
  EdaResult r{{tokens.begin(), tokens.end()}, 0};
  const std::vector<std::size_t> sources = replaceable(tokens, roles, synonyms);
  if (sources.empty() || n <= 0) return r;
  // governs[i]: r.tokens[i] is a negator or degree word, so gap i + 1 is closed. Inserted
  // words never govern (synonyms are never protected words).
  std::vector<char> governs(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) governs[i] = policy.governs_next(tokens[i]);
  std::vector<std::size_t> gaps;
  for (int e = 0; e < n; ++e) {
    const std::string& word =
        random_synonym(synonyms, tokens[sources[pick(rng, sources.size())]], rng);
    gaps.clear();
    for (std::size_t g = 0; g <= r.tokens.size(); ++g) {
      if (g == 0 || !governs[g - 1]) gaps.push_back(g);
    }
    const std::size_t g = gaps[pick(rng, gaps.size())];
    r.tokens.insert(r.tokens.begin() + static_cast<std::ptrdiff_t>(g), word);
    governs.insert(governs.begin() + static_cast<std::ptrdiff_t>(g), 0);
    ++r.edits;
  }
  return r;
}

EdaResult random_swap(std::span<const std::string> tokens, std::span<const TokenRole> roles, int n,
                      Rng& rng) {
  check_sizes(tokens, roles);
  EdaResult r{{tokens.begin(), tokens.end()}, 0};
  std::vector<std::size_t> movable;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (is_movable(roles[i])) movable.push_back(i);
  }
  if (movable.size() < 2) return r;
  for (int e = 0; e < n; ++e) {
    const std::size_t a = pick(rng, movable.size());
    std::size_t b = pick(rng, movable.size() - 1);
    if (b >= a) ++b;
    std::swap(r.tokens[movable[a]], r.tokens[movable[b]]);
    ++r.edits;
  }
  return r;
}

EdaResult random_delete(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                        double p, Rng& rng) {
  check_sizes(tokens, roles);
  EdaResult r;
  if (word_count(roles) <= 1 || !(p > 0)) {
    r.tokens.assign(tokens.begin(), tokens.end());
    return r;
  }
  std::vector<char> gone(tokens.size(), 0);
  std::vector<std::size_t> deleted;
  bool word_left = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (is_movable(roles[i]) && rng.uniform_double() < p) {
      gone[i] = 1;
      deleted.push_back(i);
    } else if (roles[i] != TokenRole::kPunct) {
      word_left = true;
    }
  }
  // As in EDA, deleting every word would leave nothing to learn from: one comes back.
  if (!word_left) {
    const std::size_t back = pick(rng, deleted.size());
    gone[deleted[back]] = 0;
    deleted.erase(deleted.begin() + static_cast<std::ptrdiff_t>(back));
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!gone[i]) r.tokens.push_back(tokens[i]);
  }
  r.edits = static_cast<int>(deleted.size());
  return r;
}

}  // namespace zhsenti::augment
