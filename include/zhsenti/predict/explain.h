#pragma once
// Per-token attributions by occlusion: how much the probability of a label drops when one
// token is left out of the text. Model-agnostic (works for every cell and pooling) and exact
// for what the user sees: each number is a real prediction on a real variant of the text.
// Costs one extra sequence per token, run as one batch.

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

// Tokens of `text` as the model sees them (after cleaning, segmentation and stop words), each
// with its attribution towards `label`. Tokens cut by max_len get weight 0 when leaving them
// out changes nothing. Throws Error(kInvalidArgument) for a label out of range.
std::vector<TokenAttribution> occlusion_attributions(const Predictor& predictor,
                                                     std::string_view text, int label,
                                                     nn::Workspace& ws);

}  // namespace zhsenti::predict
