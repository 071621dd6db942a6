#pragma once
// `zhsenti quantize`: a model directory with its weight matrices stored as int8 (post-training,
// per-row symmetric scales, nn/quantized.h). Every 2-D parameter (token and n-gram
// embeddings, the recurrent input and hidden matrices, attention and output matrices) becomes
//   <name>        I8  [rows, cols]
//   <name>.scale  F32 [rows]
// in model.safetensors; vectors (biases, norm parameters) stay F32. config.json gets
//   "quantization": {"dtype": "int8", "scheme": "symmetric per-row", "activations": "dynamic int8"}
// and the loader (load_classifier) reads such a model transparently, running its recurrent
// products in int8 by default (Predictor::LoadOptions::precision).

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::predict {

inline constexpr std::string_view kQuantizationKey = "quantization";
inline constexpr std::string_view kScaleSuffix = ".scale";

// Whether config.json says the weights are quantised.
bool is_quantized(const modelfile::ModelConfig& config);

struct QuantizeSummary {
  std::uintmax_t fp32_bytes = 0, int8_bytes = 0;  // model.safetensors before and after
  int matrices = 0;                               // tensors stored as int8
};

// Reads `in`, writes the quantised model to `out` (model_out.h's rules: a new path or a
// model directory; staged and swapped in atomically, so a failure leaves `out` as it was).
// Throws Error(kInvalidArgument) for an already quantised model, naming it.
QuantizeSummary quantize_model_dir(const std::filesystem::path& in,
                                   const std::filesystem::path& out);

}  // namespace zhsenti::predict
