#include "zhsenti/predict/explain.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"

namespace zhsenti::predict {
namespace {

// Indices of the tokens an encoder with `options` keeps of n (its truncation, in order).
std::vector<std::size_t> read_window(std::size_t n, const vocab::EncodeOptions& options) {
  const std::size_t keep = options.max_len == 0 ? n : std::min(n, options.max_len);
  std::size_t head = keep;
  if (keep < n) {
    switch (options.truncation) {
      case vocab::Truncation::kHead: head = keep; break;
      case vocab::Truncation::kTail: head = 0; break;
      case vocab::Truncation::kHeadTail: head = (keep + 1) / 2; break;
    }
  }
  std::vector<std::size_t> read;
  read.reserve(keep);
  for (std::size_t i = 0; i < head; ++i) read.push_back(i);
  for (std::size_t i = n - (keep - head); i < n; ++i) read.push_back(i);
  return read;
}

}  // namespace

Occlusion occlusion_variants(const Predictor& predictor, std::string_view text) {
  Occlusion o;
  predictor.tokenizer().tokenize(text, o.tokens);
  if (o.tokens.empty()) return o;
  const vocab::Encoder& encoder = predictor.encoder();
  o.read = read_window(o.tokens.size(), encoder.options());
  // A variant is truncated exactly as a real input would be, so leaving out a token the model
  // reads lets the next unread one in. Only the read tokens and one neighbour on each side of
  // a cut can ever be read, so the variants are built from those alone: the cost follows
  // max_len, not the text's length.
  std::vector<std::size_t> reachable;
  reachable.reserve(o.read.size() + 2);
  for (std::size_t k = 0; k < o.read.size(); ++k) {
    const std::size_t i = o.read[k];
    if (k > 0 && i != o.read[k - 1] + 1) {  // the head/tail cut
      reachable.push_back(o.read[k - 1] + 1);
      if (i - 1 != o.read[k - 1] + 1) reachable.push_back(i - 1);
    } else if (k == 0 && i > 0) {
      reachable.push_back(i - 1);  // tail truncation: the token before the window
    }
    reachable.push_back(i);
  }
  if (!o.read.empty() && o.read.back() + 1 < o.tokens.size())
    reachable.push_back(o.read.back() + 1);  // head truncation: the token after the window

  std::vector<std::string_view> variant;
  variant.reserve(reachable.size());
  const auto append = [&](std::size_t skip) {
    variant.clear();
    for (const std::size_t i : reachable) {
      if (i != skip) variant.emplace_back(o.tokens[i]);
    }
    encoder.append(std::span<const std::string_view>(variant), o.variants);
  };
  append(o.tokens.size());  // skips nothing: the text itself
  for (const std::size_t i : o.read) append(i);
  return o;
}

std::vector<TokenAttribution> occlusion_attributions(Occlusion occlusion,
                                                     std::span<const float> probs, int classes,
                                                     int label) {
  if (label < 0 || label >= classes) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("explain: label {} out of range [0, {})", label, classes));
  }
  const auto c = static_cast<std::size_t>(classes);
  if (probs.size() != occlusion.variants.size() * c) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("explain: {} probabilities for {} variants of {} classes",
                            probs.size(), occlusion.variants.size(), classes));
  }
  std::vector<TokenAttribution> out(occlusion.tokens.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i].token = std::move(occlusion.tokens[i]);
  if (out.empty()) return out;
  const auto l = static_cast<std::size_t>(label);
  const float full = probs[l];
  for (std::size_t k = 0; k < occlusion.read.size(); ++k)
    out[occlusion.read[k]].weight = full - probs[(k + 1) * c + l];
  return out;
}

std::vector<TokenAttribution> occlusion_attributions(const Predictor& predictor,
                                                     std::string_view text, int label,
                                                     nn::Workspace& ws) {
  if (label < 0 || label >= predictor.num_classes()) {
    throw Error(ErrorCode::kInvalidArgument, fmt::format("explain: label {} out of range [0, {})",
                                                         label, predictor.num_classes()));
  }
  Occlusion o = occlusion_variants(predictor, text);
  std::vector<float> probs(o.variants.size() * static_cast<std::size_t>(predictor.num_classes()));
  if (o.variants.size() > 0) predictor.predict_encoded(o.variants, ws, probs);
  return occlusion_attributions(std::move(o), probs, predictor.num_classes(), label);
}

}  // namespace zhsenti::predict
