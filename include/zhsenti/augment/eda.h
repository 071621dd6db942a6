#pragma once
// The four EDA operations (Wei & Zou 2019, "EDA: Easy Data Augmentation Techniques for
// Boosting Performance on Text Classification Tasks") on a segmented text, under the roles of
// protection.h. Each returns a new token sequence and the number of edits it made; with L the
// number of word tokens (every role but kPunct):
//
//   synonym replacement  n = edit_count(alpha_sr, L) distinct kFree tokens that have synonyms
//                        each become one of their synonyms (uniform among them)
//   random insertion     n = edit_count(alpha_ri, L) times: a synonym of a random kFree token
//                        that has synonyms goes into a random gap, never right after a
//                        negator or degree word (it would take over the word they govern)
//   random swap          n = edit_count(alpha_rs, L) times: two distinct movable tokens trade
//                        places (fixed and punctuation tokens keep their index)
//   random deletion      each movable token goes with probability p_rd; at least one word
//                        token always remains, and a one-word text is left alone
//
// Fewer edits happen when fewer tokens qualify. All randomness comes from the Rng passed in.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/augment/protection.h"
#include "zhsenti/augment/synonyms.h"
#include "zhsenti/core/rng.h"

namespace zhsenti::augment {

enum class EdaOp : std::uint8_t { kSynonymReplace, kRandomInsert, kRandomSwap, kRandomDelete };
inline constexpr int kEdaOps = 4;

// "sr" | "ri" | "rs" | "rd"
std::string_view op_name(EdaOp op);

// EDA's count: max(1, floor(alpha * words)) for alpha > 0, else 0.
int edit_count(double alpha, std::size_t words);

struct EdaResult {
  std::vector<std::string> tokens;
  int edits = 0;
};

// `roles` holds ProtectionPolicy::roles(tokens).
EdaResult synonym_replace(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                          const SynonymTable& synonyms, int n, Rng& rng);
EdaResult random_insert(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                        const ProtectionPolicy& policy, const SynonymTable& synonyms, int n,
                        Rng& rng);
EdaResult random_swap(std::span<const std::string> tokens, std::span<const TokenRole> roles, int n,
                      Rng& rng);
EdaResult random_delete(std::span<const std::string> tokens, std::span<const TokenRole> roles,
                        double p, Rng& rng);

// Word tokens (roles other than kPunct).
std::size_t word_count(std::span<const TokenRole> roles);

}  // namespace zhsenti::augment
