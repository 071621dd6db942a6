#pragma once
// The per-part emitters of the ONNX graph (one file each) and what they share: the builder,
// the model's parameters and the graph-wide values every part may read.
//
// Layout inside the graph: time-major, as the ONNX recurrent operators want it. Sequence
// values are [time, batch, features]; pooled values [batch, features].

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "graph_builder.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/quantized.h"
#include "zhsenti/predict/decision_rule.h"

namespace zhsenti::exporter {

struct GraphContext {
  GraphBuilder& g;
  const nn::Classifier& model;
  const nn::ClassifierConfig& config;
  std::string lengths;  // int64 [batch] (graph input)
  std::string mask;     // bool [time, batch, 1]: step t is inside sequence b

  // The trained values of a parameter, by its ParamStore name (a quantised model's
  // dequantised values).
  std::span<const float> param(std::string_view name) const {
    return model.params().value(model.params().id(name));
  }
  // A quantised model's int8 rows of the parameter, or null.
  const nn::QuantizedRows* quantized(std::string_view name) const {
    return model.quantized(model.params().id(name));
  }
  // The parameter as a [rows, cols] matrix value of the graph: its int8 rows dequantised
  // by DequantizeLinear when the model is quantised, else its floats.
  std::string matrix(std::string_view name, int64_t rows, int64_t cols);
};

// Thrown for a model part the exporter cannot express: Error(kInvalidArgument) naming it.
[[noreturn]] void unsupported(std::string_view part, std::string_view value);

// Token (and n-gram) embedding rows summed as the classifier does: [time, batch, embed].
// ids_tb: token ids [time, batch]; ngram_tb: one [time, batch] id input per n-gram order.
std::string emit_embeddings(GraphContext& c, const std::string& ids_tb,
                            std::span<const std::string> ngram_tb);

struct EncoderOutput {
  std::string sequence;  // [time, batch, directions * hidden], zero past each length
  std::string last;      // [batch, directions * hidden]: each direction's final state
};
// The stacked recurrent layers as ONNX RNN/GRU/LSTM operators with sequence_lens.
EncoderOutput emit_encoder(GraphContext& c, std::string x);

// last | mean | max | attention over each sequence's own steps: [batch, features].
std::string emit_pooling(GraphContext& c, const EncoderOutput& encoded);

// Norm, output layer, the decision rule's offsets and softmax, into the graph output `out`.
void emit_head(GraphContext& c, std::string features,
               const std::optional<predict::DecisionRule>& rule, const std::string& out);

}  // namespace zhsenti::exporter
