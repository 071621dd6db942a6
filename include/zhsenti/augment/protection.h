#pragma once
// Which tokens text augmentation may touch, and how.
//
// EDA's edits are blind to meaning; in sentiment data a few words carry the label's polarity
// in a way a random edit destroys: deleting 不 from "不 好", swapping 很 away from 贵, or
// replacing 好 with its nearest vector 差 (antonyms share contexts, so word2vec puts them
// close). The rule here is simple and checkable:
//
//   kFixed  the project's polarity list (text::is_sentiment_protected: negators, degree
//           adverbs, adversatives, ...; English ones in any case), the caller's extra words,
//           and the token right after a negator or degree word (the word it governs). Never
//           deleted, replaced or moved: swaps only exchange movable tokens, so a fixed token
//           keeps its index under a swap; deletions and insertions keep the fixed tokens'
//           order, and nothing is inserted between a negator or degree word and the word it
//           governs.
//   kPunct  no CJK character and no ASCII letter or digit (punctuation, emoji, symbols):
//           kept in place as well, so clause boundaries survive; not counted as a word.
//   kKeep   a word that may be deleted or moved but is never replaced: a negator or degree
//           word fused with what it modifies (jieba keeps 不好, 没用, 很好, 太贵, 非常满意 as
//           one token; their nearest vectors are often their antonyms, 很好 -> 很差), and
//           words without CJK or ASCII letters (numbers).
//   kFree   any edit.
//
// The same test decides which vector words may be *inserted or substituted*: only words that
// would be kFree in isolation, so no negator, degree word or fused form of one is ever added.
// Being conservative costs some variety (最后, 超市 count as fused forms of 最, 超).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace zhsenti::augment {

enum class TokenRole : std::uint8_t { kFree, kKeep, kFixed, kPunct };

// Deleted and moved freely (kFree, kKeep).
inline bool is_movable(TokenRole r) { return r == TokenRole::kFree || r == TokenRole::kKeep; }

class ProtectionPolicy {
 public:
  // extra_words: protected like the built-in list; ASCII letters match in any case.
  explicit ProtectionPolicy(std::vector<std::string> extra_words = {});

  // On the built-in list or the extra words.
  bool is_protected(std::string_view word) const;
  // A negator or degree word: the token after it is kFixed.
  bool governs_next(std::string_view word) const;
  // The role of `word` ignoring its neighbours.
  TokenRole role_alone(std::string_view word) const;
  // May be replaced, or be a replacement or an inserted word.
  bool may_substitute(std::string_view word) const { return role_alone(word) == TokenRole::kFree; }

  // Roles of a token sequence (context applied: the token after a governing word is fixed).
  std::vector<TokenRole> roles(std::span<const std::string> tokens) const;

  std::size_t extra_size() const { return extra_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> extra_;
};

// Reads extra protected words, one per line (trimmed; blank lines and lines starting with '#'
// skipped). Errors name the file and line.
std::vector<std::string> read_word_list(const std::string& path);

}  // namespace zhsenti::augment
