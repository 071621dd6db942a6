#pragma once
// Per-token attributions by occlusion: how much the probability of a label drops when one
// token is left out of the text. Model-agnostic (works for every cell and pooling) and exact
// for what the user sees: each number is a real prediction on a real variant of the text.
//
// Only the tokens the model reads (at most max_len, after truncation) are left out in turn:
// leaving out any other one changes nothing, so it gets weight 0 without a model call. The
// cost is therefore at most max_len + 1 sequences however long the text, and the two phases
// let a server run those sequences wherever it runs its model (its batch workers).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/nn/workspace.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::predict {

struct TokenAttribution {
  std::string token;
  // p(label | text) - p(label | text without this token): > 0 pushed towards the label.
  float weight = 0.0f;
};

// What the model runs for one explanation: sequence 0 is the text, sequence 1 + k leaves out
// tokens[read[k]].
struct Occlusion {
  std::vector<std::string> tokens;  // the text's tokens as the model sees them (cleaned, segmented)
  std::vector<std::size_t> read;    // indices of the tokens the model reads, in order
  vocab::EncodedCorpus variants;
};

Occlusion occlusion_variants(const Predictor& predictor, std::string_view text);

// Attributions towards `label` from the variants' probabilities (variants.size() x classes).
// Throws Error(kInvalidArgument) for a label out of range or probabilities of the wrong size.
std::vector<TokenAttribution> occlusion_attributions(Occlusion occlusion,
                                                     std::span<const float> probs, int classes,
                                                     int label);

// Both phases, the model on `ws`. Tokens of `text` as the model sees them (after cleaning,
// segmentation and stop words), each with its attribution towards `label`.
std::vector<TokenAttribution> occlusion_attributions(const Predictor& predictor,
                                                     std::string_view text, int label,
                                                     nn::Workspace& ws);

}  // namespace zhsenti::predict
