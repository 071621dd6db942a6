#include "zhsenti/predict/predictor.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/modelfile/sparse_weights.h"
#include "zhsenti/modelfile/tensor_check.h"
#include "zhsenti/nn/workspace.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/predict/quantize.h"
#include "zhsenti/predict/tokenizer_section.h"

namespace zhsenti::predict {

namespace {

constexpr std::size_t kBatchSize = 64;

nn::Workspace& thread_workspace() {
  thread_local nn::Workspace ws(1);
  return ws;
}

}  // namespace

nn::Classifier load_classifier(const modelfile::ModelDir& dir) {
  nn::ClassifierConfig arch;
  try {
    arch = nn::ClassifierConfig::from_json(dir.config.architecture);
  } catch (const Error& e) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: architecture: {}", (dir.path / modelfile::kConfigFile).string(),
                            e.what()));
  }
  if (arch.num_classes != static_cast<int>(dir.config.labels.size())) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: architecture has {} classes but {} labels are listed",
                            (dir.path / modelfile::kConfigFile).string(), arch.num_classes,
                            dir.config.labels.size()));
  }
  nn::Classifier model(arch, 0);
  nn::ParamStore& params = model.params();
  // A quantised model (quantize.h) stores every matrix as I8 with its rows' scales.
  const bool quantized = is_quantized(dir.config);
  const auto int8 = [&](const nn::ParamInfo& info) { return quantized && info.shape.size() == 2; };
  std::vector<modelfile::ExpectedTensor> expected;
  for (const auto& info : params.infos()) {
    if (int8(info)) {
      expected.push_back({info.name, info.shape, modelfile::DType::kI8});
      expected.push_back({info.name + std::string(kScaleSuffix), {info.shape[0]}});
    } else {
      expected.push_back({info.name, info.shape});
    }
  }
  modelfile::check_tensors(dir.weights, expected);
  for (const auto& info : params.infos()) {
    const nn::ParamStore::Id id = params.id(info.name);
    if (!int8(info)) {
      modelfile::copy_weight(dir.weights, info.name, params.value(id));
      continue;
    }
    nn::QuantizedRows q{static_cast<int>(info.shape[0]), static_cast<int>(info.shape[1]),
                        std::vector<std::int8_t>(info.size),
                        dir.weights.to_f32(info.name + std::string(kScaleSuffix))};
    dir.weights.copy_bytes(info.name, modelfile::DType::kI8,
                           std::as_writable_bytes(std::span(q.values)));
    for (const std::int8_t v : q.values) {
      if (v == -128) {
        throw Error(ErrorCode::kFormat,
                    fmt::format("{}: {} holds -128, outside the symmetric int8 range [-127, 127]",
                                dir.weights.source(), info.name));
      }
    }
    model.set_quantized(id, std::move(q));
  }
  return model;
}

Predictor::Predictor(std::filesystem::path path, modelfile::ModelConfig config,
                     nn::Classifier model, vocab::Vocab vocab, text::Tokenizer tokenizer,
                     vocab::EncodeOptions encode)
    : path_(std::move(path)),
      config_(std::move(config)),
      model_(std::move(model)),
      vocab_(std::move(vocab)),
      tokenizer_(std::move(tokenizer)),
      encoder_(vocab_, encode) {}

std::shared_ptr<const Predictor> Predictor::load(const std::filesystem::path& dir) {
  return load(dir, LoadOptions{});
}

std::shared_ptr<const Predictor> Predictor::load(const std::filesystem::path& dir,
                                                 const LoadOptions& options) {
  modelfile::ModelDir files = modelfile::read_model_dir(dir);
  nn::Classifier model = load_classifier(files);
  // A quantised model runs its int8 weights as they are unless asked otherwise.
  model.set_inference_precision(options.precision.value_or(
      model.is_quantized() ? nn::Precision::kInt8 : nn::default_inference_precision()));
  if (options.inference_table_max_bytes > 0) {
    model.prepare_inference(options.inference_table_max_bytes);
  }
  vocab::Vocab vocab = vocab::Vocab::parse(files.vocab, files.vocab_path());
  if (static_cast<int>(vocab.size()) != model.config().vocab_size) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: {} entries but the model's embedding has {} rows",
                            files.vocab_path(), vocab.size(), model.config().vocab_size));
  }
  TokenizerSection section = parse_tokenizer_section(files.config.tokenizer);
  text::Tokenizer tokenizer(section.tokenizer);
  // Not make_shared: the constructor is private.
  auto* p = new Predictor(dir, std::move(files.config), std::move(model), std::move(vocab),
                          std::move(tokenizer), section.encode);
  p->reference_ = std::move(files.reference);
  if (options.apply_decision_rule) p->decision_ = read_decision_rule(dir, p->labels());
  return std::shared_ptr<const Predictor>(p);
}

void Predictor::encode(std::string_view text, std::vector<std::int32_t>& ids) const {
  thread_local std::vector<std::string> tokens;
  tokenizer_.tokenize(text, tokens);
  ids.clear();
  encoder_.encode_into(std::span<const std::string>(tokens), ids);
  release_if_large(tokens);
}

void Predictor::encode_all(std::span<const std::string> texts, vocab::EncodedCorpus& corpus) const {
  std::vector<std::int32_t> ids;
  for (const auto& t : texts) {
    encode(t, ids);
    corpus.push_back(ids);
  }
}

void Predictor::predict_encoded(const vocab::EncodedCorpus& corpus, std::span<float> out) const {
  predict_encoded(corpus, thread_workspace(), out);
}

void Predictor::predict_encoded(const vocab::EncodedCorpus& corpus, nn::Workspace& ws,
                                std::span<float> out) const {
  predict_corpus(model_, corpus, ws, kBatchSize, out);
  if (decision_) decision_->apply(out);
}

void Predictor::predict_proba(std::span<const std::string> texts, std::span<float> out) const {
  vocab::EncodedCorpus corpus;
  encode_all(texts, corpus);
  predict_encoded(corpus, out);
}

void predict_parallel(const Predictor& predictor, std::span<const std::string> texts,
                      ThreadPool& pool, std::span<float> out) {
  const auto classes = static_cast<std::size_t>(predictor.num_classes());
  // Chunks of a few batches: large enough to keep batches full, small enough to balance.
  constexpr std::size_t kChunk = 4 * kBatchSize;
  pool.parallel_for(texts.size(), kChunk, [&](std::size_t begin, std::size_t end, std::size_t) {
    predictor.predict_proba(texts.subspan(begin, end - begin),
                            out.subspan(begin * classes, (end - begin) * classes));
  });
}

}  // namespace zhsenti::predict
