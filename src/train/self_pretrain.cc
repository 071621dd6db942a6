#include "self_pretrain.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zhsenti/core/log.h"
#include "zhsenti/embed/bigram_entry.h"
#include "zhsenti/embed/corpus.h"
#include "zhsenti/embed/word2vec.h"

namespace zhsenti::train {
namespace {

// Skip-gram, window 5, 5 negatives, words seen at least twice: `embed train`'s settings in
// the measurement that made pre-training a default.
embed::Word2VecOptions word2vec_options(const TrainConfig& config) {
  embed::Word2VecOptions o;
  o.model = "skipgram";
  o.dim = config.model.embed_dim;
  o.window = 5;
  o.negative = 5;
  o.min_count = 2;
  o.epochs = config.pretrain_epochs;
  o.threads = config.threads;
  o.seed = config.seed;
  return o;
}

// Adds one run of known tokens as a sentence and, when pairs are wanted, its adjacent pairs
// as a sentence of bigram entries.
void add_run(const std::vector<std::string_view>& run, embed::CorpusBuilder& tokens,
             embed::CorpusBuilder* pairs, std::vector<std::string>& entries) {
  if (run.empty()) return;
  tokens.add_sentence(std::span<const std::string_view>(run));
  if (pairs == nullptr) return;
  embed::bigram_entries(run, entries);
  if (!entries.empty()) pairs->add_sentence(std::span<const std::string>(entries));
}

}  // namespace

nlohmann::json SelfPretrainStats::to_json() const {
  return {{"texts", texts},
          {"tokens", tokens},
          {"token_vectors", token_vectors},
          {"pair_vectors", pair_vectors},
          {"seconds", seconds}};
}

bool self_pretraining_asked(const TrainConfig& config) {
  return config.pretrain_epochs > 0 && config.pretrained.empty() && config.init_model.empty();
}

bool self_pretraining(const TrainConfig& config, std::size_t training_tokens) {
  return self_pretraining_asked(config) &&
         (training_tokens >= kMinPretrainTokens || !config.unlabelled.empty());
}

embed::WordVectors self_pretrain(const TrainConfig& config, const PreparedData& data,
                                 bool show_progress, SelfPretrainStats& stats) {
  const auto t0 = std::chrono::steady_clock::now();
  // Pairs only when the model has a bigram table to put them in.
  embed::CorpusBuilder tokens, pair_builder;
  embed::CorpusBuilder* pairs = config.model.ngram_buckets > 0 ? &pair_builder : nullptr;
  std::vector<std::string_view> run;
  std::vector<std::string> entries;
  const vocab::EncodedCorpus& train = data.train.corpus;
  for (std::size_t i = 0; i < train.size(); ++i) {
    run.clear();
    for (const std::int32_t id : train.sequence(i)) {
      if (id < vocab::kNumSpecials) {
        add_run(run, tokens, pairs, entries);
        run.clear();
      } else {
        run.push_back(data.vocab.token(id));
      }
    }
    add_run(run, tokens, pairs, entries);
  }
  stats.texts = train.size();
  embed::CorpusReadOptions read;
  read.tokenizer = data.tokenizer;
  read.threads = config.threads;
  read.show_progress = show_progress;
  for (const auto& path : config.unlabelled) {
    stats.texts += embed::read_corpus_file(path, read, tokens, pairs);
  }
  stats.tokens = tokens.raw_words();
  const embed::Word2VecOptions options = word2vec_options(config);
  const embed::Corpus token_corpus = tokens.build(options.min_count);
  const embed::Corpus pair_corpus = pair_builder.build(options.min_count);
  const bool with_pairs = !pair_corpus.words.empty();
  stats.token_vectors = token_corpus.words.size();
  stats.pair_vectors = with_pairs ? pair_corpus.words.size() : 0;
  if (token_corpus.words.empty()) {
    log::warn("pre-training skipped: no token occurs {} times in the training texts",
              options.min_count);
    return embed::WordVectors{options.dim, {}, {}};
  }
  log::info("pre-training: {} texts, {} tokens; vectors for {} tokens and {} pairs seen at least "
            "{} times, {} epochs",
            stats.texts, stats.tokens, stats.token_vectors, stats.pair_vectors, options.min_count,
            options.epochs);
  embed::WordVectors vectors =
      with_pairs
          ? embed::train_token_and_pair_vectors(token_corpus, pair_corpus, options, show_progress)
          : embed::train_word2vec(token_corpus, options, show_progress);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return vectors;
}

}  // namespace zhsenti::train
