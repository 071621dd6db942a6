#pragma once
// A trained model loaded for inference: raw text in, probabilities out. Immutable after
// load and thread-safe: every calling thread uses its own workspace (fastText's
// Model::State idea), so `eval`, `predict` and the server share one instance lock-free.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/predict/decision_rule.h"
#include "zhsenti/text/tokenizer.h"
#include "zhsenti/vocab/encoder.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::predict {

class Predictor {
 public:
  struct LoadOptions {
    // The first layer's input projection per vocabulary row replaces the largest GEMM of
    // inference (nn::Classifier::prepare_inference) for the most frequent words up to this
    // size (a character model's whole vocabulary: ~12 MB). 0: never.
    std::size_t inference_table_max_bytes = std::size_t{64} << 20;
    // Recurrent products in fp32, bf16 or int8 (nn/kernels/precision.h). Unset: int8 for a
    // quantised model (quantize.h), else nn::default_inference_precision() (bf16 where the
    // CPU has bf16 instructions, unless ZHSENTI_PRECISION says otherwise).
    std::optional<nn::Precision> precision;
    // The model directory's decision.json (prior/threshold correction), when it has one.
    bool apply_decision_rule = true;
  };

  // Reads and validates the model directory (every tensor's name and shape).
  static std::shared_ptr<const Predictor> load(const std::filesystem::path& dir);
  static std::shared_ptr<const Predictor> load(const std::filesystem::path& dir,
                                               const LoadOptions& options);

  const std::vector<std::string>& labels() const { return config_.labels; }
  int num_classes() const { return static_cast<int>(config_.labels.size()); }
  const modelfile::ModelConfig& config() const { return config_; }
  const std::filesystem::path& path() const { return path_; }
  const nn::Classifier& model() const { return model_; }
  const vocab::Vocab& vocab() const { return vocab_; }
  const text::Tokenizer& tokenizer() const { return tokenizer_; }
  const vocab::Encoder& encoder() const { return encoder_; }
  // reference.json of the model directory (monitoring distributions), when it has one.
  const std::optional<nlohmann::json>& reference() const { return reference_; }
  // The decision rule every prediction goes through (decision_rule.h), if any.
  const std::optional<DecisionRule>& decision_rule() const { return decision_; }

  // Tokens -> ids as in training (length >= 1).
  void encode(std::string_view text, std::vector<std::int32_t>& ids) const;
  void encode_all(std::span<const std::string> texts, vocab::EncodedCorpus& corpus) const;

  // Probabilities (n, C) row-major, in input order.
  void predict_proba(std::span<const std::string> texts, std::span<float> out) const;
  void predict_encoded(const vocab::EncodedCorpus& corpus, std::span<float> out) const;
  // Same with the caller's workspace: a server whose model can be swapped keeps one
  // workspace per thread and model, so packed-weight caches never outlive their model.
  void predict_encoded(const vocab::EncodedCorpus& corpus, nn::Workspace& ws,
                       std::span<float> out) const;

 private:
  Predictor(std::filesystem::path path, modelfile::ModelConfig config, nn::Classifier model,
            vocab::Vocab vocab, text::Tokenizer tokenizer, vocab::EncodeOptions encode);

  std::filesystem::path path_;
  modelfile::ModelConfig config_;
  nn::Classifier model_;
  vocab::Vocab vocab_;
  text::Tokenizer tokenizer_;
  vocab::Encoder encoder_;
  std::optional<nlohmann::json> reference_;
  std::optional<DecisionRule> decision_;
};

// predictor.predict_proba over texts on all threads of `pool`, chunk by chunk; out (n, C).
void predict_parallel(const Predictor& predictor, std::span<const std::string> texts,
                      ThreadPool& pool, std::span<float> out);

// The classifier described by a model directory, weights loaded and checked; a quantised
// model's matrices come as their dequantised values plus the int8 rows (Classifier::quantized).
nn::Classifier load_classifier(const modelfile::ModelDir& dir);

}  // namespace zhsenti::predict
