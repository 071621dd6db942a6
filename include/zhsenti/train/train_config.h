#pragma once
// Every setting of a training run. The defaults are the settings chosen on ChnSentiCorp dev
// (see docs/BENCHMARKS.md); they are also the `make demo` model. A config serialises to one
// flat JSON object (`--config FILE`, the tuner's files, checkpoints); a model's config.json
// keeps only run_settings_json(), its architecture and tokenizer having their own sections.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "zhsenti/nn/models/classifier_config.h"
#include "zhsenti/text/tokenizer.h"

namespace zhsenti::train {

struct TrainConfig {
  // data
  std::string train_path;
  std::string dev_path;  // empty: hold out validation_split of train
  double validation_split = 0.1;
  std::string text_col, label_col;
  bool skip_bad_rows = false;

  // tokens: how texts become tokens, with its defaults (the model's "tokenizer" section).
  // Its mode, hmm, user_dicts, stopwords and clean are settings here (JSON "tokens", "hmm",
  // ...); the cleaning steps and the protection of polarity stop words keep their defaults.
  text::TokenizerConfig tokenizer;
  int min_count = 1;
  int max_vocab = 0;  // 0: no limit
  int max_len = 256;

  // model: the architecture with its defaults and checks. vocab_size and num_classes come
  // from the data when the model is built; its JSON keys are this config's own ("hidden").
  nn::ClassifierConfig model;
  std::string pretrained;          // word-vector file for the embedding (empty: none)
  bool pretrained_rescale = false;  // scale its vectors to the random rows' (train/pretrained.h)
  // Without a file: word2vec epochs over the training (and unlabelled) texts whose vectors
  // start the embedding (src/train/self_pretrain.h); 0: random initialisation.
  int pretrain_epochs = 20;
  std::vector<std::string> unlabelled;  // more texts for that pre-training
  // Embeddings that start from vectors (file or pre-training) receive no updates...
  bool freeze_embeddings = true;
  int unfreeze_after = 2;  // ...until after this many epochs (0: never; ignored unfrozen)

  // fine-tuning (`zhsenti finetune`; src/train/base_model.h)
  std::string init_model;       // start from this model directory (empty: from scratch)
  bool extend_vocab = true;     // append the new data's tokens to the model's vocabulary
  bool new_labels = false;      // replace the output layer for the data's own label set
  bool freeze_encoder = false;  // train only the embeddings and the output layer

  // optimisation
  int epochs = 10;
  int batch_size = 64;
  std::string optimizer = "adam";
  float lr = 2e-3f;
  float weight_decay = 0.0f;
  float clip = 5.0f;  // global gradient norm; 0 disables
  std::string schedule = "cosine";
  float warmup = 0.0f;                 // fraction of all steps spent warming up linearly
  std::string class_weights = "none";  // none | auto
  bool oversample = false;             // draw minority classes again up to the largest class
  float logit_adjust = 0.0f;  // tau: the loss adds tau log(training label share) to the logits
  float label_smoothing = 0.0f;
  float focal_gamma = 0.0f;  // focal loss: terms scaled by (1 - p)^gamma (0: cross-entropy)
  float ema_decay = 0.0f;  // score and keep a moving average of the weights (0: the weights)
  int early_stopping = 3;           // epochs without improvement; 0 disables
  std::string metric = "accuracy";  // accuracy | macro_f1
  bool calibrate = false;  // fit a decision rule on dev after training, stored with the model
  // Skewed training labels (eval/label_skew.h) are always named in the log; true switches the
  // settings still at their plain defaults to those of train/skew_defaults.h. Off: dev
  // preferred the plain defaults on the skewed sets measured (docs/BENCHMARKS.md).
  bool skew_defaults = false;

  // run
  unsigned long long seed = 42;
  int threads = 0;  // 0: all cores

  nlohmann::json to_json() const;
  // to_json() without the keys config.json holds in "architecture" and "tokenizer".
  nlohmann::json run_settings_json() const;
  // Keys missing from j keep their defaults; an unknown key is an error naming it.
  static TrainConfig from_json(const nlohmann::json& j);
  // Throws Error(kInvalidArgument) naming the first bad setting.
  void validate() const;
};

}  // namespace zhsenti::train
