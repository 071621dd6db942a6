#pragma once
// EDA per text: n_aug augmentations, each made by one operation (eda.h), the operations taken
// in turn from a random start so that each is used about n_aug / 4 times, as in EDA. An
// augmentation that changed nothing, or repeats the text or an earlier augmentation, is
// redrawn (with the next operation) up to 3 * n_aug times in all; a text may therefore get
// fewer than n_aug (a one-word text gets none).
//
// Text i draws from Rng(seed).fork(i), so the output depends on the seed and the text's
// index only, never on the number of threads or the order they run in.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/augment/eda.h"
#include "zhsenti/augment/protection.h"
#include "zhsenti/augment/synonyms.h"
#include "zhsenti/core/rng.h"

namespace zhsenti::augment {

struct AugmentOptions {
  int n_aug = 4;          // augmentations per text
  double alpha_sr = 0.1;  // share of words replaced by a synonym
  double alpha_ri = 0.1;  // share of words inserted
  double alpha_rs = 0.1;  // swaps per word
  double p_rd = 0.1;      // deletion probability per word
  std::uint64_t seed = 1;

  // Throws Error(kInvalidArgument) naming the bad setting (rates outside [0, 1], n_aug
  // outside [1, 1000]).
  void validate() const;
};

struct Augmentation {
  std::vector<std::string> tokens;
  EdaOp op = EdaOp::kRandomSwap;
  int edits = 0;
};

class Augmenter {  // immutable after construction, so one instance serves every thread
 public:
  // synonyms: null (or empty) turns synonym replacement and random insertion off. Throws
  // Error(kInvalidArgument) when no operation is left on. Both references must outlive it.
  Augmenter(const ProtectionPolicy& policy, const SynonymTable* synonyms, AugmentOptions options);

  std::vector<Augmentation> augment(std::span<const std::string> tokens, std::uint64_t index) const;

  const ProtectionPolicy& policy() const { return policy_; }
  const AugmentOptions& options() const { return options_; }
  // The operations in use, in EDA's order (sr, ri, rs, rd).
  const std::vector<EdaOp>& ops() const { return ops_; }

 private:
  EdaResult apply(EdaOp op, std::span<const std::string> tokens, std::span<const TokenRole> roles,
                  Rng& rng) const;

  const ProtectionPolicy& policy_;
  const SynonymTable* synonyms_;
  AugmentOptions options_;
  std::vector<EdaOp> ops_;
  Rng base_;
};

}  // namespace zhsenti::augment
