#pragma once
// The ids an exported graph takes for one text: exactly what the predictor feeds its
// network, from its own tokenizer and encoder (cleaning, segmentation, vocabulary,
// truncation) and the classifier's own n-gram hashing. `zhsenti encode` prints them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "zhsenti/predict/predictor.h"

namespace zhsenti::exporter {

struct GraphInputs {
  std::vector<int32_t> ids;          // token ids, length >= 1
  std::vector<int32_t> bigram_ids;   // n-gram table rows of each position (table models)
  std::vector<int32_t> trigram_ids;  // also for ngram_order 3
};

// Throws the tokenizer's Error(kParse) on invalid UTF-8.
GraphInputs graph_inputs(const predict::Predictor& model, std::string_view text);

// {"ids": [...], ["bigram_ids": [...], ["trigram_ids": [...],]] "length": n}
nlohmann::json to_json(const GraphInputs& inputs);

}  // namespace zhsenti::exporter
