// zhsenti train: flags (or a --config JSON file, flags winning) -> TrainConfig -> model dir.

#include <fmt/format.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::cli {
namespace {

struct TrainArgs {
  train::TrainConfig flags;  // values given on the command line
  std::string config_file;
  std::string out;
  bool resume = false;
  bool keep_checkpoint = false;
  bool json = false;
  // Copies each explicitly given flag over the config loaded from --config.
  std::vector<std::pair<CLI::Option*, std::function<void(train::TrainConfig&)>>> overrides;
};

// Not named bind(): argument-dependent lookup would pick std::bind for std::string members.
template <typename T>
void bind_option(CLI::App* cmd, TrainArgs& a, const std::string& name, T train::TrainConfig::*field,
          const std::string& help) {
  CLI::Option* opt = cmd->add_option(name, a.flags.*field, help)->capture_default_str();
  a.overrides.emplace_back(opt, [&a, field](train::TrainConfig& c) { c.*field = a.flags.*field; });
}

void bind_flag(CLI::App* cmd, TrainArgs& a, const std::string& name, bool train::TrainConfig::*field,
               const std::string& help) {
  CLI::Option* opt = cmd->add_flag(name, a.flags.*field, help);
  a.overrides.emplace_back(opt, [&a, field](train::TrainConfig& c) { c.*field = a.flags.*field; });
}

train::TrainConfig resolve(const TrainArgs& a) {
  train::TrainConfig c;
  if (!a.config_file.empty()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(a.config_file));
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kParse, fmt::format("{}: {}", a.config_file, e.what()));
    }
    try {
      c = train::TrainConfig::from_json(j);
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("{}: {}", a.config_file, e.what()));
    }
  }
  for (const auto& [opt, apply] : a.overrides) {
    if (opt->count() > 0) apply(c);
  }
  return c;
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a sentiment classifier and write a model directory");
  auto a = std::make_shared<TrainArgs>();
  cmd->add_option("--config", a->config_file, "JSON file of settings (flags given here win)");
  cmd->add_option("--out", a->out, "model directory to write")->required();
  cmd->add_flag("--resume", a->resume, "continue an interrupted run from <out>.ckpt/");
  cmd->add_flag("--keep-checkpoint", a->keep_checkpoint,
                "keep <out>.ckpt/ after training, to --resume later with more --epochs");
  cmd->add_flag("--json", a->json, "print a JSON summary on stdout");
  bind_option(cmd, *a, "--train", &train::TrainConfig::train_path, "training data (tsv, csv, jsonl, json)");
  bind_option(cmd, *a, "--dev", &train::TrainConfig::dev_path, "dev data for early stopping and model choice");
  bind_option(cmd, *a, "--validation-split", &train::TrainConfig::validation_split,
       "fraction of train held out (stratified) when there is no --dev");
  bind_option(cmd, *a, "--text-col", &train::TrainConfig::text_col, "text column (default: auto)");
  bind_option(cmd, *a, "--label-col", &train::TrainConfig::label_col, "label column (default: auto)");
  bind_flag(cmd, *a, "--skip-bad-rows", &train::TrainConfig::skip_bad_rows,
            "skip (and report) malformed rows instead of failing");
  bind_option(cmd, *a, "--tokens", &train::TrainConfig::tokens, "word | char");
  bind_option(cmd, *a, "--min-count", &train::TrainConfig::min_count, "drop rarer tokens from the vocabulary");
  bind_option(cmd, *a, "--max-vocab", &train::TrainConfig::max_vocab, "vocabulary size cap (0: none)");
  bind_option(cmd, *a, "--max-len", &train::TrainConfig::max_len, "tokens kept per text");
  bind_option(cmd, *a, "--user-dict", &train::TrainConfig::user_dicts, "jieba user dictionary (repeatable)");
  bind_flag(cmd, *a, "!--no-hmm", &train::TrainConfig::hmm, "no HMM for unknown words");
  bind_flag(cmd, *a, "!--no-clean", &train::TrainConfig::clean, "do not clean texts before tokenizing");
  bind_option(cmd, *a, "--stopwords", &train::TrainConfig::stopwords, "stop-word list (polarity words are kept)");
  bind_option(cmd, *a, "--cell", &train::TrainConfig::cell, "rnn | lstm | gru");
  bind_flag(cmd, *a, "--bidirectional,!--unidirectional", &train::TrainConfig::bidirectional,
            "bidirectional recurrent layers (default) or forward only");
  bind_option(cmd, *a, "--layers", &train::TrainConfig::layers, "stacked recurrent layers");
  bind_option(cmd, *a, "--embed-dim", &train::TrainConfig::embed_dim, "embedding size");
  bind_option(cmd, *a, "--hidden", &train::TrainConfig::hidden, "hidden units per direction");
  bind_option(cmd, *a, "--dropout", &train::TrainConfig::dropout, "dropout before the output layer and between layers");
  bind_option(cmd, *a, "--embed-dropout", &train::TrainConfig::embed_dropout, "dropout on embeddings");
  bind_option(cmd, *a, "--ngram-buckets", &train::TrainConfig::ngram_buckets,
              "hashed token-bigram embedding rows added to each token's embedding (0: off)");
  bind_option(cmd, *a, "--norm", &train::TrainConfig::norm, "none | layer | batch");
  bind_option(cmd, *a, "--pool", &train::TrainConfig::pool, "last | mean | max | attention");
  bind_option(cmd, *a, "--pretrained", &train::TrainConfig::pretrained,
              "word vectors for the embedding (word2vec text/binary, GloVe, fastText .vec); "
              "words not in the file keep the random initialisation");
  bind_flag(cmd, *a, "--freeze-embeddings", &train::TrainConfig::freeze_embeddings,
            "do not update the embedding (e.g. pre-trained vectors)");
  bind_option(cmd, *a, "--unfreeze-after", &train::TrainConfig::unfreeze_after,
              "with --freeze-embeddings: train the embedding after this many epochs (0: never)");
  bind_option(cmd, *a, "--epochs", &train::TrainConfig::epochs, "maximum epochs");
  bind_option(cmd, *a, "--batch-size", &train::TrainConfig::batch_size, "texts per batch");
  bind_option(cmd, *a, "--optimizer", &train::TrainConfig::optimizer, "sgd | adam | adamw");
  bind_option(cmd, *a, "--lr", &train::TrainConfig::lr, "learning rate");
  bind_option(cmd, *a, "--weight-decay", &train::TrainConfig::weight_decay, "L2 (adam, sgd) or decoupled (adamw)");
  bind_option(cmd, *a, "--clip", &train::TrainConfig::clip, "global gradient-norm clip (0: off)");
  bind_option(cmd, *a, "--schedule", &train::TrainConfig::schedule, "constant | step | cosine | plateau");
  bind_option(cmd, *a, "--warmup", &train::TrainConfig::warmup, "fraction of steps with linear warm-up");
  bind_option(cmd, *a, "--class-weights", &train::TrainConfig::class_weights, "none | auto (inverse frequency)");
  bind_option(cmd, *a, "--label-smoothing", &train::TrainConfig::label_smoothing, "label smoothing in [0, 1)");
  bind_option(cmd, *a, "--early-stopping", &train::TrainConfig::early_stopping,
       "stop after N epochs without dev improvement (0: off)");
  bind_option(cmd, *a, "--metric", &train::TrainConfig::metric, "accuracy | macro_f1 (model choice)");
  bind_option(cmd, *a, "--seed", &train::TrainConfig::seed, "fixes split, initialisation, shuffling, dropout");
  bind_option(cmd, *a, "--threads", &train::TrainConfig::threads, "threads (0: all cores)");
  cmd->callback([a] {
    const train::TrainConfig config = resolve(*a);
    train::TrainOptions options;
    options.resume = a->resume;
    options.keep_checkpoint = a->keep_checkpoint;
    const train::TrainSummary s = train::train_model(config, a->out, options);
    if (a->json) {
      fmt::print("{}\n", s.to_json().dump());
    } else {
      fmt::print(stderr, "model written to {} (best epoch {}, dev accuracy {:.4f}, macro-F1 {:.4f})\n",
                 s.out.string(), s.best_epoch, s.dev_metrics.accuracy, s.dev_metrics.macro.f1);
    }
  });
}

}  // namespace zhsenti::cli
