// zhsenti train: flags (or a --config JSON file, flags winning) -> TrainConfig -> model dir.

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "train_flags.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::cli {
namespace {

using train::TrainConfig;

struct TrainArgs {
  explicit TrainArgs(CLI::App* cmd) : flags(cmd, true) {}
  TrainFlags flags;
  std::string config_file;
  std::string out;
  bool resume = false;
  bool keep_checkpoint = false;
  bool json = false;
};

TrainConfig resolve(const TrainArgs& a) {
  TrainConfig c;
  if (!a.config_file.empty()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(a.config_file));
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kParse, fmt::format("{}: {}", a.config_file, e.what()));
    }
    try {
      c = TrainConfig::from_json(j);
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("{}: {}", a.config_file, e.what()));
    }
  }
  a.flags.apply(c);
  return c;
}

void add_model_flags(TrainFlags& f) {
  f.option("--tokens", &TrainConfig::tokens, "word | char");
  f.option("--max-len", &TrainConfig::max_len, "tokens kept per text");
  f.option("--user-dict", &TrainConfig::user_dicts, "jieba user dictionary (repeatable)");
  f.flag("!--no-hmm", &TrainConfig::hmm, "no HMM for unknown words");
  f.flag("!--no-clean", &TrainConfig::clean, "do not clean texts before tokenizing");
  f.option("--stopwords", &TrainConfig::stopwords, "stop-word list (polarity words are kept)");
  f.option("--cell", &nn::ClassifierConfig::cell, "rnn | lstm | gru");
  f.flag("--bidirectional,!--unidirectional", &nn::ClassifierConfig::bidirectional,
         "bidirectional recurrent layers (default) or forward only");
  f.option("--layers", &nn::ClassifierConfig::layers, "stacked recurrent layers");
  f.option("--embed-dim", &nn::ClassifierConfig::embed_dim, "embedding size");
  f.option("--hidden", &nn::ClassifierConfig::hidden, "hidden units per direction");
  f.option("--ngram-buckets", &nn::ClassifierConfig::ngram_buckets,
           "hashed token-bigram embedding rows added to each token's embedding (0: off)");
  f.option("--ngram-order", &nn::ClassifierConfig::ngram_order,
           "2: bigrams; 3: trigrams too, hashed into the same rows");
  f.option("--norm", &nn::ClassifierConfig::norm, "none | layer | batch");
  f.option("--pool", &nn::ClassifierConfig::pool, "last | mean | max | attention");
  f.option("--pretrained", &TrainConfig::pretrained,
           "word vectors for the embedding (word2vec text/binary, GloVe, fastText .vec); "
           "words not in the file keep the random initialisation; bigram entries (embed "
           "train --bigrams) initialise the bigram embedding");
  f.flag("--pretrained-rescale,!--no-pretrained-rescale", &TrainConfig::pretrained_rescale,
         "scale the vectors to the random rows' unit RMS, or keep the file's scale (default)");
  f.option("--pretrain-epochs", &TrainConfig::pretrain_epochs,
           "without --pretrained: word2vec epochs over the training texts (and --unlabelled "
           "ones) whose vectors start the embedding and bigram tables (0: random start)");
  f.option("--unlabelled", &TrainConfig::unlabelled,
           "more texts (data set or one text per line) for that pre-training (repeatable)");
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("train", "Train a sentiment classifier and write a model directory");
  auto a = std::make_shared<TrainArgs>(cmd);
  cmd->add_option("--config", a->config_file, "JSON file of settings (flags given here win)");
  cmd->add_option("--out", a->out, "model directory to write")->required();
  cmd->add_flag("--resume", a->resume, "continue an interrupted run from <out>.ckpt/");
  cmd->add_flag("--keep-checkpoint", a->keep_checkpoint,
                "keep <out>.ckpt/ after training, to --resume later with more --epochs");
  cmd->add_flag("--json", a->json, "print a JSON summary on stdout");
  add_data_flags(a->flags);
  add_model_flags(a->flags);
  add_optimisation_flags(a->flags);
  cmd->callback([a] {
    train::TrainOptions options;
    options.resume = a->resume;
    options.keep_checkpoint = a->keep_checkpoint;
    print_train_summary(train::train_model(resolve(*a), a->out, options), a->json);
  });
}

}  // namespace zhsenti::cli
