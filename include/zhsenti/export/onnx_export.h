#pragma once
// A trained model directory as an ONNX model (docs/export.md): standard operators of opset
// 17 only, so ONNX Runtime and other runtimes run it without zhsenti.
//
// Graph inputs: token_ids int64 [batch, time]; bigram_ids (and trigram_ids) int64
// [batch, time] when the model has the hashed n-gram table; lengths int64 [batch], each
// >= 1. Positions past a length may hold any valid id: they never reach the output.
// Output: probabilities float [batch, classes], in the order of the "labels" metadata
// entry, with the model's decision.json applied as `zhsenti predict` does. The ids are what
// `zhsenti encode` prints (graph_inputs.h).

#include <filesystem>
#include <string>

#include "zhsenti/predict/predictor.h"

namespace zhsenti::exporter {

inline constexpr int kOnnxOpset = 17;

// The serialized ModelProto, after onnx::checker accepted it. Throws Error(kInvalidArgument)
// naming a model part the exporter cannot express.
std::string onnx_model_bytes(const predict::Predictor& model);

// Loads the model directory (the reader's usual errors), then writes `out` atomically.
// Refuses an `out` that exists and is not an ONNX model, so a typo never replaces a
// stranger's file.
void export_onnx(const std::filesystem::path& model_dir, const std::filesystem::path& out);

}  // namespace zhsenti::exporter
