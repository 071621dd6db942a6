#pragma once
// Tokens -> int32 ids, and a corpus of encoded sequences stored back to back.
//
// Every encoded sequence has length >= 1 (the RNN needs at least one step): an empty token
// list becomes the single id kPadId. <pad> is chosen over <unk> because it carries no
// evidence (the embedding layer can keep its row at zero), whereas <unk> is trained on rare
// words and would bias an empty text; OovStats also does not count it as a token.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zhsenti/core/enum_names.h"

#include "zhsenti/vocab/vocab.h"

namespace zhsenti::vocab {

enum class Truncation {
  kHead,      // keep the first max_len tokens (default: reviews state their verdict early)
  kTail,      // keep the last max_len tokens
  kHeadTail,  // keep the first ceil(max_len/2) and the last floor(max_len/2)
};

struct EncodeOptions {
  std::size_t max_len = 0;  // 0 = no limit
  Truncation truncation = Truncation::kHead;
};

}  // namespace zhsenti::vocab

namespace zhsenti {

// config.json's tokenizer "truncation": "head" | "tail" | "head_tail".
template <>
struct EnumNames<vocab::Truncation> {
  static constexpr std::array<std::pair<vocab::Truncation, std::string_view>, 3> kTable = {
      {{vocab::Truncation::kHead, "head"},
       {vocab::Truncation::kTail, "tail"},
       {vocab::Truncation::kHeadTail, "head_tail"}}};
};

}  // namespace zhsenti

namespace zhsenti::vocab {

// Sequences stored contiguously: sequence i is ids[offsets[i], offsets[i+1]).
struct EncodedCorpus {
  std::vector<std::int32_t> ids;
  std::vector<std::size_t> offsets{0};
  std::size_t num_truncated = 0;  // sequences cut by max_len

  std::size_t size() const { return offsets.size() - 1; }
  std::int32_t length(std::size_t i) const {
    return static_cast<std::int32_t>(offsets[i + 1] - offsets[i]);
  }
  std::span<const std::int32_t> sequence(std::size_t i) const {
    return {ids.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
  // Appends one already-encoded sequence (must be non-empty).
  void push_back(std::span<const std::int32_t> sequence);
};

class Encoder {
 public:
  explicit Encoder(const Vocab& vocab, EncodeOptions options = {});

  // Appends the ids of one text to `out` and returns how many were appended (>= 1).
  std::size_t encode_into(std::span<const std::string> tokens, std::vector<std::int32_t>& out) const;
  std::size_t encode_into(std::span<const std::string_view> tokens, std::vector<std::int32_t>& out) const;

  std::vector<std::int32_t> encode(std::span<const std::string> tokens) const;
  std::vector<std::int32_t> encode(std::span<const std::string_view> tokens) const;

  // Appends one text to a corpus, counting truncation.
  void append(std::span<const std::string> tokens, EncodedCorpus& corpus) const;
  void append(std::span<const std::string_view> tokens, EncodedCorpus& corpus) const;

  const Vocab& vocab() const { return *vocab_; }
  const EncodeOptions& options() const { return options_; }

 private:
  template <typename Token>
  std::size_t encode_impl(std::span<const Token> tokens, std::vector<std::int32_t>& out) const;

  const Vocab* vocab_;
  EncodeOptions options_;
};

// Out-of-vocabulary statistics over encoded ids: <unk> ids over all non-<pad> ids.
struct OovStats {
  std::int64_t tokens = 0;   // ids other than kPadId
  std::int64_t unknown = 0;  // ids equal to kUnkId

  void add(std::span<const std::int32_t> ids);
  void merge(const OovStats& other) {
    tokens += other.tokens;
    unknown += other.unknown;
  }
  // unknown / tokens, 0 when there are no tokens.
  double rate() const { return tokens == 0 ? 0.0 : static_cast<double>(unknown) / static_cast<double>(tokens); }
};

OovStats oov_stats(std::span<const std::int32_t> ids);

}  // namespace zhsenti::vocab
