#include "zhsenti/vocab/encoder.h"

#include "zhsenti/core/check.h"

namespace zhsenti::vocab {

void EncodedCorpus::push_back(std::span<const std::int32_t> sequence) {
  ZHSENTI_CHECK_ARG(!sequence.empty(), "encoded sequence {} is empty (length must be >= 1)", size());
  ids.insert(ids.end(), sequence.begin(), sequence.end());
  offsets.push_back(ids.size());
}

Encoder::Encoder(const Vocab& vocab, EncodeOptions options) : vocab_(&vocab), options_(options) {}

template <typename Token>
std::size_t Encoder::encode_impl(std::span<const Token> tokens, std::vector<std::int32_t>& out) const {
  const std::size_t n = tokens.size();
  if (n == 0) {
    out.push_back(kPadId);
    return 1;
  }
  const std::size_t keep = options_.max_len == 0 ? n : std::min(n, options_.max_len);
  // [0, head) from the front and [n - tail, n) from the back.
  std::size_t head = keep;
  if (keep < n) {
    switch (options_.truncation) {
      case Truncation::kHead: head = keep; break;
      case Truncation::kTail: head = 0; break;
      case Truncation::kHeadTail: head = (keep + 1) / 2; break;
    }
  }
  const std::size_t tail = keep - head;
  for (std::size_t i = 0; i < head; ++i) out.push_back(vocab_->id(tokens[i]));
  for (std::size_t i = n - tail; i < n; ++i) out.push_back(vocab_->id(tokens[i]));
  return keep;
}

std::size_t Encoder::encode_into(std::span<const std::string> tokens, std::vector<std::int32_t>& out) const {
  return encode_impl(tokens, out);
}

std::size_t Encoder::encode_into(std::span<const std::string_view> tokens,
                                 std::vector<std::int32_t>& out) const {
  return encode_impl(tokens, out);
}

std::vector<std::int32_t> Encoder::encode(std::span<const std::string> tokens) const {
  std::vector<std::int32_t> out;
  encode_impl(tokens, out);
  return out;
}

std::vector<std::int32_t> Encoder::encode(std::span<const std::string_view> tokens) const {
  std::vector<std::int32_t> out;
  encode_impl(tokens, out);
  return out;
}

void Encoder::append(std::span<const std::string> tokens, EncodedCorpus& corpus) const {
  encode_impl(tokens, corpus.ids);
  corpus.offsets.push_back(corpus.ids.size());
  if (options_.max_len != 0 && tokens.size() > options_.max_len) ++corpus.num_truncated;
}

void Encoder::append(std::span<const std::string_view> tokens, EncodedCorpus& corpus) const {
  encode_impl(tokens, corpus.ids);
  corpus.offsets.push_back(corpus.ids.size());
  if (options_.max_len != 0 && tokens.size() > options_.max_len) ++corpus.num_truncated;
}

void OovStats::add(std::span<const std::int32_t> ids) {
  for (const std::int32_t id : ids) {
    tokens += id != kPadId;
    unknown += id == kUnkId;
  }
}

OovStats oov_stats(std::span<const std::int32_t> ids) {
  OovStats s;
  s.add(ids);
  return s;
}

}  // namespace zhsenti::vocab
