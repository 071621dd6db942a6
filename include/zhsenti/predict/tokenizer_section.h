#pragma once
// The "tokenizer" section of a model's config.json: how raw text becomes ids, shared by the
// trainer (which writes it) and the predictor (which must tokenize identically).
//   {"pipeline": TokenizerConfig JSON, "max_len": 256, "truncation": "head"}

#include <nlohmann/json.hpp>

#include "zhsenti/text/tokenizer.h"
#include "zhsenti/vocab/encoder.h"

namespace zhsenti::predict {

nlohmann::json tokenizer_section(const text::TokenizerConfig& tokenizer,
                                 const vocab::EncodeOptions& encode);

struct TokenizerSection {
  text::TokenizerConfig tokenizer;
  vocab::EncodeOptions encode;
};

// Throws Error(kFormat) naming the bad key.
TokenizerSection parse_tokenizer_section(const nlohmann::json& j);

}  // namespace zhsenti::predict
