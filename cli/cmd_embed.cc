// zhsenti embed train | neighbors: word2vec vectors from raw or segmented texts, and their
// nearest words.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "commands.h"
#include "enum_option.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/dist/same_settings.h"
#include "zhsenti/embed/corpus.h"
#include "zhsenti/embed/neighbors.h"
#include "zhsenti/embed/vector_io.h"
#include "zhsenti/embed/word2vec.h"

namespace zhsenti::cli {
namespace {

struct EmbedTrainArgs {
  std::vector<std::string> corpus;
  std::string out;
  std::string format;  // empty: from --out's extension
  embed::Word2VecOptions w2v;
  bool pre_segmented = false;
  bool bigrams = false;
  text::TokenMode tokens = text::TokenizerConfig{}.mode;
  bool hmm = true;
  bool clean = true;
  std::vector<std::string> user_dicts;
  std::string stopwords;
  std::string text_col;
  bool json = false;
};

// What every rank of an MPI job must agree on.
nlohmann::json settings_json(const EmbedTrainArgs& a) {
  const auto& w = a.w2v;
  return {{"corpus", a.corpus},     {"out", a.out},
          {"format", a.format},     {"model", w.model},
          {"dim", w.dim},           {"window", w.window},
          {"negative", w.negative}, {"min_count", w.min_count},
          {"sample", w.sample},     {"epochs", w.epochs},
          {"alpha", w.alpha},       {"min_alpha", w.min_alpha},
          {"threads", w.threads},   {"seed", w.seed},
          {"syncs_per_epoch", w.syncs_per_epoch},
          {"pre_segmented", a.pre_segmented}, {"bigrams", a.bigrams},
          {"tokens", a.tokens},     {"hmm", a.hmm},
          {"clean", a.clean},       {"user_dicts", a.user_dicts},
          {"stopwords", a.stopwords}, {"text_col", a.text_col}};
}

void run_train(const EmbedTrainArgs& a) {
  a.w2v.validate();
  embed::CorpusReadOptions read;
  read.pre_segmented = a.pre_segmented;
  read.tokenizer.mode = a.tokens;
  read.tokenizer.hmm = a.hmm;
  read.tokenizer.clean = a.clean;
  read.tokenizer.user_dicts = a.user_dicts;
  read.tokenizer.stopwords = a.stopwords;
  read.text_col = a.text_col;
  read.threads = a.w2v.threads;
  read.show_progress = true;
  // Under MPI each rank reads and trains its shard; rank 0 alone writes (docs/distributed.md).
  read.shard_index = static_cast<std::size_t>(dist::rank());
  read.shard_count = static_cast<std::size_t>(dist::size());
  const auto format =
      a.format.empty() ? embed::format_for_path(a.out) : embed::parse_format(a.format);
  dist::check_same_settings(settings_json(a));

  embed::CorpusBuilder builder, bigram_builder;
  std::int64_t counts[2] = {0, 0};  // texts, in-vocabulary words: over all ranks for the log
  for (const auto& path : a.corpus) {
    counts[0] += static_cast<std::int64_t>(
        embed::read_corpus_file(path, read, builder, a.bigrams ? &bigram_builder : nullptr));
  }
  const embed::Corpus corpus = embed::build_agreed(builder, a.w2v.min_count);
  counts[1] = static_cast<std::int64_t>(corpus.ids.size());
  dist::allreduce_sum(std::span(counts));
  const std::int64_t texts = counts[0];
  log::info("corpus: {} texts, {} words, vocabulary {} (min count {}), {} words trained per epoch{}",
            texts, corpus.raw_words, corpus.words.size(), a.w2v.min_count, counts[1],
            dist::distributed() ? fmt::format(" over {} ranks", dist::size()) : std::string());

  std::optional<embed::Corpus> pairs;
  if (a.bigrams) {
    pairs = embed::build_agreed(bigram_builder, a.w2v.min_count);
    log::info("bigrams: {}, vocabulary {} (min count {})", pairs->raw_words, pairs->words.size(),
              a.w2v.min_count);
  }
  embed::Word2VecStats stats, pair_stats;
  const embed::WordVectors vectors =
      pairs ? embed::train_token_and_pair_vectors(corpus, *pairs, a.w2v, true, &stats, &pair_stats)
            : embed::train_word2vec(corpus, a.w2v, true, &stats);
  nlohmann::json summary = {{"out", a.out},
                            {"format", embed::format_name(format)},
                            {"model", a.w2v.model},
                            {"dim", a.w2v.dim},
                            {"texts", texts},
                            {"corpus_words", corpus.raw_words},
                            {"epochs", a.w2v.epochs},
                            {"ranks", dist::size()},
                            {"threads", stats.threads},
                            {"train_seconds", stats.seconds},
                            {"raw_words", stats.raw_words},
                            {"trained_words", stats.trained_words},
                            {"raw_words_per_s", stats.raw_words_per_s()}};
  if (pairs) {
    summary["bigram_vocab"] = vectors.size() - corpus.words.size();
    summary["bigram_corpus_words"] = pairs->raw_words;
    summary["bigram_train_seconds"] = pair_stats.seconds;
  }
  summary["vocab"] = vectors.size();
  if (dist::rank() != 0) return;  // every rank holds the same vectors
  embed::save_vectors(a.out, vectors, format);

  if (a.json) {
    fmt::print("{}\n", summary.dump());
  } else {
    fmt::print(stderr, "{} vectors of dimension {} written to {} ({:.1f} s, {:.0f} words/s)\n",
               vectors.size(), vectors.dim, a.out, stats.seconds, stats.raw_words_per_s());
  }
}

struct NeighborArgs {
  std::string vectors;
  std::string format;
  std::vector<std::string> words;
  int k = 10;
  bool json = false;
};

void run_neighbors(const NeighborArgs& a) {
  std::optional<embed::VectorFormat> format;
  if (!a.format.empty()) format = embed::parse_format(a.format);
  const auto lists = embed::nearest_neighbors(a.vectors, a.words, a.k, format);
  bool missing = false;
  for (const auto& l : lists) {
    if (!l.found) {
      log::warn("'{}' is not in {}", l.query, a.vectors);
      missing = true;
    }
    if (a.json) {
      nlohmann::json n = nlohmann::json::array();
      for (const auto& e : l.neighbors)
        n.push_back({{"word", e.word}, {"similarity", e.similarity}});
      fmt::print("{}\n",
                 nlohmann::json{{"word", l.query}, {"found", l.found}, {"neighbors", n}}.dump());
    } else if (l.found) {
      fmt::print("{}\n", l.query);
      for (const auto& e : l.neighbors) fmt::print("  {:.4f}  {}\n", e.similarity, e.word);
    }
  }
  if (missing && !a.json) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("{}: some query words have no vector", a.vectors));
  }
}

}  // namespace

void add_embed_command(CLI::App& app) {
  auto* embed = app.add_subcommand("embed", "Word vectors: train word2vec, look up neighbours");
  embed->require_subcommand(1);

  auto* train =
      embed->add_subcommand("train", "Train word2vec (skip-gram or CBOW, negative sampling)");
  auto t = std::make_shared<EmbedTrainArgs>();
  train
      ->add_option("--corpus", t->corpus,
                   "texts: data files (.tsv .csv .jsonl .json, text column) or plain text, one "
                   "text per line")
      ->required()
      ->expected(1, -1);
  train->add_option("--out", t->out, "vector file (.txt word2vec text, .bin binary, .vec fastText)")
      ->required();
  train->add_option("--format", t->format,
                    "word2vec | word2vec-bin | glove | fasttext (default: from --out)");
  train->add_option("--model", t->w2v.model, "skipgram | cbow")->capture_default_str();
  train->add_option("--dim", t->w2v.dim, "vector size (train's --embed-dim must match)")
      ->capture_default_str();
  train->add_option("--window", t->w2v.window, "context words on each side (shrunk at random)")
      ->capture_default_str();
  train->add_option("--negative", t->w2v.negative, "negative samples per prediction")
      ->capture_default_str();
  train->add_option("--min-count", t->w2v.min_count, "ignore rarer words")->capture_default_str();
  train->add_option("--sample", t->w2v.sample, "subsampling of frequent words (0: off)")
      ->capture_default_str();
  train->add_option("--epochs", t->w2v.epochs, "passes over the corpus")->capture_default_str();
  train
      ->add_option("--alpha", t->w2v.alpha,
                   "starting learning rate (0: 0.025 skip-gram, 0.05 CBOW)")
      ->capture_default_str();
  train->add_option("--threads", t->w2v.threads, "threads (0: all cores)")->capture_default_str();
  train
      ->add_option("--syncs-per-epoch", t->w2v.syncs_per_epoch,
                   "under mpirun: merge the ranks' vector updates this often an epoch")
      ->capture_default_str();
  train
      ->add_option("--seed", t->w2v.seed, "with --threads 1 the vectors are bit-identical per seed")
      ->capture_default_str();
  train->add_flag("--pre-segmented", t->pre_segmented,
                  "texts are already tokens separated by spaces");
  train->add_flag("--bigrams", t->bigrams,
                  "also train vectors for adjacent-token pairs (entries \"a\u2581b\", a model "
                  "of their own on the same settings), which train --pretrained puts into the "
                  "model's bigram embedding");
  add_enum_option(train, "--tokens", t->tokens, "as for train (with train's default)");
  train->add_flag("!--no-hmm", t->hmm, "no HMM for unknown words");
  train->add_flag("!--no-clean", t->clean, "do not clean texts before tokenizing");
  train->add_option("--user-dict", t->user_dicts, "jieba user dictionary (repeatable)");
  train->add_option("--stopwords", t->stopwords, "stop-word list (polarity words are kept)");
  train->add_option("--text-col", t->text_col, "text column of data files (default: auto)");
  train->add_flag("--json", t->json, "print a JSON summary on stdout");
  train->callback([t] { run_train(*t); });

  auto* nb = embed->add_subcommand("neighbors", "Nearest words by cosine similarity");
  auto n = std::make_shared<NeighborArgs>();
  nb->add_option("--vectors", n->vectors, "vector file (any supported format)")->required();
  nb->add_option("--format", n->format,
                 "word2vec | word2vec-bin | glove | fasttext (default: detect)");
  nb->add_option("-k,--k", n->k, "neighbours per word")->capture_default_str();
  nb->add_flag("--json", n->json, "one JSON object per word on stdout");
  nb->add_option("words", n->words, "query words")->required();
  nb->callback([n] { run_neighbors(*n); });
}

}  // namespace zhsenti::cli
