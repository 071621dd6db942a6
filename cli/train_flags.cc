#include "train_flags.h"

#include <fmt/format.h>

#include "zhsenti/dist/comm.h"

namespace zhsenti::cli {

using train::TrainConfig;

void add_data_flags(TrainFlags& f) {
  f.option("--train", &TrainConfig::train_path, "training data (tsv, csv, jsonl, json)");
  f.option("--dev", &TrainConfig::dev_path, "dev data for early stopping and model choice");
  f.option("--validation-split", &TrainConfig::validation_split,
           "fraction of train held out (stratified) when there is no --dev");
  f.option("--text-col", &TrainConfig::text_col, "text column (default: auto)");
  f.option("--label-col", &TrainConfig::label_col, "label column (default: auto)");
  f.flag("--skip-bad-rows", &TrainConfig::skip_bad_rows,
         "skip (and report) malformed rows instead of failing");
  f.option("--min-count", &TrainConfig::min_count, "drop rarer tokens from the vocabulary");
  f.option("--max-vocab", &TrainConfig::max_vocab, "vocabulary size cap (0: none)");
}

void add_model_flags(TrainFlags& f) {
  f.option("--tokens", &text::TokenizerConfig::mode, "");
  f.option("--max-len", &TrainConfig::max_len, "tokens kept per text");
  f.option("--user-dict", &text::TokenizerConfig::user_dicts, "jieba user dictionary (repeatable)");
  f.flag("!--no-hmm", &text::TokenizerConfig::hmm, "no HMM for unknown words");
  f.flag("!--no-clean", &text::TokenizerConfig::clean, "do not clean texts before tokenizing");
  f.option("--stopwords", &text::TokenizerConfig::stopwords,
           "stop-word list (polarity words are kept)");
  f.option("--cell", &nn::ClassifierConfig::cell, "");
  f.flag("--bidirectional,!--unidirectional", &nn::ClassifierConfig::bidirectional,
         "bidirectional recurrent layers (default) or forward only");
  f.option("--layers", &nn::ClassifierConfig::layers, "stacked recurrent layers");
  f.option("--embed-dim", &nn::ClassifierConfig::embed_dim, "embedding size");
  f.option("--hidden", &nn::ClassifierConfig::hidden, "hidden units per direction");
  f.option("--ngram-buckets", &nn::ClassifierConfig::ngram_buckets,
           "hashed token-bigram embedding rows added to each token's embedding (0: off)");
  f.option("--ngram-order", &nn::ClassifierConfig::ngram_order,
           "2: bigrams; 3: trigrams too, hashed into the same rows");
  f.option("--norm", &nn::ClassifierConfig::norm, "on the pooled features");
  f.option("--pool", &nn::ClassifierConfig::pool, "attention: additive");
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

void add_optimisation_flags(TrainFlags& f) {
  f.option("--dropout", &nn::ClassifierConfig::dropout,
           "dropout before the output layer and between layers");
  f.option("--embed-dropout", &nn::ClassifierConfig::embed_dropout, "dropout on embeddings");
  f.flag("--freeze-embeddings,!--no-freeze-embeddings", &TrainConfig::freeze_embeddings,
         "do not update embeddings that start from vectors (a file or pre-training), tokens "
         "and bigrams");
  f.option("--unfreeze-after", &TrainConfig::unfreeze_after,
           "with --freeze-embeddings: train the embeddings after this many epochs (0: never)");
  f.option("--epochs", &TrainConfig::epochs, "maximum epochs");
  f.option("--batch-size", &TrainConfig::batch_size, "texts per batch");
  f.option("--optimizer", &TrainConfig::optimizer, "sgd | adam | adamw");
  f.option("--lr", &TrainConfig::lr, "learning rate");
  f.option("--weight-decay", &TrainConfig::weight_decay, "L2 (adam, sgd) or decoupled (adamw)");
  f.option("--clip", &TrainConfig::clip, "global gradient-norm clip (0: off)");
  f.option("--schedule", &TrainConfig::schedule, "constant | step | cosine | plateau");
  f.option("--warmup", &TrainConfig::warmup, "fraction of steps with linear warm-up");
  f.option("--class-weights", &TrainConfig::class_weights, "none | auto (inverse frequency)");
  f.flag("--oversample", &TrainConfig::oversample,
         "draw the smaller classes' training texts again up to the largest class");
  f.option("--logit-adjust", &TrainConfig::logit_adjust,
           "tau: the loss adds tau log(class share in train) to the logits, predictions do "
           "not (logit adjustment; 0: off)");
  f.option("--label-smoothing", &TrainConfig::label_smoothing, "label smoothing in [0, 1)");
  f.option("--focal-gamma", &TrainConfig::focal_gamma,
           "focal loss: scale each text's loss by (1 - p)^gamma, so well-classified texts "
           "count less (0: cross-entropy)");
  f.option("--ema-decay", &TrainConfig::ema_decay,
           "score and keep an exponential moving average of the weights, decay per step (0: off)");
  f.option("--early-stopping", &TrainConfig::early_stopping,
           "stop after N epochs without dev improvement (0: off)");
  f.option("--metric", &TrainConfig::metric, "accuracy | macro_f1 (model choice)");
  f.flag("--calibrate,!--no-calibrate", &TrainConfig::calibrate,
         "after training, fit a decision rule for macro-F1 on dev and store it with the model "
         "when it raises dev macro-F1 (as zhsenti calibrate)");
  f.flag("--skew-defaults,!--no-skew-defaults", &TrainConfig::skew_defaults,
         "on training labels whose largest class has >= 3x the rows of the smallest, use the "
         "skewed-data defaults (--metric macro_f1, --logit-adjust 1) for settings not given; "
         "off by default: dev preferred the plain ones on the skewed sets measured");
  f.option("--seed", &TrainConfig::seed, "fixes split, initialisation, shuffling, dropout");
  f.option("--threads", &TrainConfig::threads, "threads (0: all cores)");
}

void print_train_summary(const train::TrainSummary& s, bool json) {
  // Under MPI every rank holds the same summary; rank 0 speaks for the job.
  if (dist::rank() != 0) return;
  if (json) {
    fmt::print("{}\n", s.to_json().dump());
  } else {
    fmt::print(stderr,
               "model written to {} (best epoch {}, dev accuracy {:.4f}, macro-F1 {:.4f})\n",
               s.out.string(), s.best_epoch, s.dev_metrics.accuracy, s.dev_metrics.macro.f1);
  }
}

}  // namespace zhsenti::cli
