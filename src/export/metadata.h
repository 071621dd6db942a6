#pragma once
// The exported model's metadata_props: labels, tokenizer, vocabulary and n-gram hashing.

#include <onnx/onnx_pb.h>

#include "zhsenti/predict/predictor.h"

namespace zhsenti::exporter {

void add_metadata(onnx::ModelProto& model, const predict::Predictor& predictor);

}  // namespace zhsenti::exporter
