#pragma once
// A small char-level model directory with random weights, written in a test's temp dir:
// enough for the predictor and the server to load, predict and explain without training.

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/predict/tokenizer_section.h"
#include "zhsenti/text/tokenizer.h"
#include "zhsenti/text/utf8.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::testing {

inline std::filesystem::path fresh_temp_dir(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("zhsenti_" + std::string(name) + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Characters of `alphabet` become the vocabulary; `seed` draws the weights.
inline void write_tiny_model(const std::filesystem::path& dir, std::uint64_t seed = 1,
                             std::string_view alphabet = "好坏很差棒一般服务酒店不错失望",
                             std::vector<std::string> labels = {"neg", "pos"},
                             vocab::EncodeOptions enc = {.max_len = 64}) {
  vocab::TokenCounter counts;
  for (char32_t cp : utf8::decode(alphabet)) counts.add(utf8::encode(std::u32string(1, cp)));
  const vocab::Vocab v = vocab::Vocab::build(counts);
  nn::ClassifierConfig arch;
  arch.vocab_size = static_cast<int>(v.size());
  arch.embed_dim = 8;
  arch.hidden = 8;
  arch.cell = nn::CellType::kGru;
  arch.pool = nn::PoolType::kMean;
  arch.ngram_buckets = 0;
  arch.num_classes = static_cast<int>(labels.size());
  nn::Classifier model(arch, seed);

  modelfile::ModelFiles files;
  files.config.architecture = arch.to_json();
  text::TokenizerConfig tok;
  tok.mode = text::TokenMode::kChar;
  files.config.tokenizer = predict::tokenizer_section(tok, enc);
  files.config.labels = labels;
  files.config.training_data = {"0", 1, "tiny"};
  const nn::ParamStore& params = model.params();
  for (const auto& info : params.infos())
    files.weights.add_f32(info.name, info.shape, params.value(params.id(info.name)));
  files.vocab = v.to_text();
  modelfile::write_model_dir(dir, files);
}

}  // namespace zhsenti::testing
