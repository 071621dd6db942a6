#include "zhsenti/augment/augmenter.h"

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::augment {

void AugmentOptions::validate() const {
  ZHSENTI_CHECK_ARG(n_aug >= 1 && n_aug <= 1000, "--n-aug must be in [1, 1000], got {}", n_aug);
  const std::pair<const char*, double> rates[] = {{"--alpha-sr", alpha_sr},
                                                  {"--alpha-ri", alpha_ri},
                                                  {"--alpha-rs", alpha_rs},
                                                  {"--p-rd", p_rd}};
  for (const auto& [name, value] : rates) {
    ZHSENTI_CHECK_ARG(std::isfinite(value) && value >= 0 && value <= 1,
                      "{} must be in [0, 1], got {}", name, value);
  }
}

Augmenter::Augmenter(const ProtectionPolicy& policy, const SynonymTable* synonyms,
                     AugmentOptions options)
    : policy_(policy), synonyms_(synonyms), options_(options), base_(options.seed) {
  options_.validate();
  const bool have_synonyms = synonyms_ != nullptr && synonyms_->stats().with_synonyms > 0;
  if (options_.alpha_sr > 0 && have_synonyms) ops_.push_back(EdaOp::kSynonymReplace);
  if (options_.alpha_ri > 0 && have_synonyms) ops_.push_back(EdaOp::kRandomInsert);
  if (options_.alpha_rs > 0) ops_.push_back(EdaOp::kRandomSwap);
  if (options_.p_rd > 0) ops_.push_back(EdaOp::kRandomDelete);
  ZHSENTI_CHECK_ARG(!ops_.empty(), "no augmentation is on: --alpha-rs and --p-rd are 0, {}",
                    have_synonyms ? "and so are --alpha-sr and --alpha-ri"
                                  : "and synonym replacement and insertion need synonyms");
}

EdaResult Augmenter::apply(EdaOp op, std::span<const std::string> tokens,
                           std::span<const TokenRole> roles, Rng& rng) const {
  const std::size_t words = word_count(roles);
  switch (op) {
    case EdaOp::kSynonymReplace:
      return synonym_replace(tokens, roles, *synonyms_, edit_count(options_.alpha_sr, words), rng);
    case EdaOp::kRandomInsert:
      return random_insert(tokens, roles, policy_, *synonyms_, edit_count(options_.alpha_ri, words),
                           rng);
    case EdaOp::kRandomSwap:
      return random_swap(tokens, roles, edit_count(options_.alpha_rs, words), rng);
    case EdaOp::kRandomDelete:
      return random_delete(tokens, roles, options_.p_rd, rng);
  }
  return {};
}

std::vector<Augmentation> Augmenter::augment(std::span<const std::string> tokens,
                                             std::uint64_t index) const {
  std::vector<Augmentation> out;
  if (tokens.empty()) return out;
  Rng rng = base_.fork(index);
  const std::vector<TokenRole> roles = policy_.roles(tokens);
  const std::size_t start = static_cast<std::size_t>(rng.uniform_int(ops_.size()));
  const int attempts = 3 * options_.n_aug;
  for (int a = 0; a < attempts && static_cast<int>(out.size()) < options_.n_aug; ++a) {
    const EdaOp op = ops_[(start + static_cast<std::size_t>(a)) % ops_.size()];
    EdaResult r = apply(op, tokens, roles, rng);
    if (r.edits == 0 ||
        std::equal(r.tokens.begin(), r.tokens.end(), tokens.begin(), tokens.end())) {
      continue;
    }
    const bool repeat = std::any_of(out.begin(), out.end(),
                                    [&](const Augmentation& x) { return x.tokens == r.tokens; });
    if (!repeat) out.push_back({std::move(r.tokens), op, r.edits});
  }
  return out;
}

}  // namespace zhsenti::augment
