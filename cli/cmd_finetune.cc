// zhsenti finetune: a trained model directory + new data -> a new model directory. Settings
// start from the base model's own (learning rate divided by kFinetuneLrDivisor); flags given
// here win. Tokenization and architecture are the base's and cannot be changed.

#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "train_flags.h"
#include "zhsenti/train/finetune.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::cli {
namespace {

using train::TrainConfig;

struct FinetuneArgs {
  explicit FinetuneArgs(CLI::App* cmd) : flags(cmd, false) {}
  TrainFlags flags;
  std::string model;
  std::string out;
  bool resume = false;
  bool keep_checkpoint = false;
  bool json = false;
};

}  // namespace

void add_finetune_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "finetune",
      "Continue training a model on new data (same or new labels) and write a new model directory");
  auto a = std::make_shared<FinetuneArgs>(cmd);
  cmd->add_option("--model", a->model, "model directory to start from")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", a->out, "model directory to write")->required();
  cmd->add_flag("--resume", a->resume, "continue an interrupted run from <out>.ckpt/");
  cmd->add_flag("--keep-checkpoint", a->keep_checkpoint, "keep <out>.ckpt/ after training");
  cmd->add_flag("--json", a->json, "print a JSON summary on stdout");
  add_data_flags(a->flags);
  add_optimisation_flags(a->flags);
  a->flags.flag("!--no-extend-vocab", &TrainConfig::extend_vocab,
                "keep the base vocabulary (new tokens map to <unk>) instead of adding rows for "
                "the new data's tokens (--min-count applies)");
  a->flags.flag("--new-labels", &TrainConfig::new_labels,
                "the data has its own label set: replace the output layer, keep the encoder");
  a->flags.flag("--freeze-encoder", &TrainConfig::freeze_encoder,
                "train only the embeddings and the output layer");
  cmd->footer(fmt::format(
      "Defaults are the base model's training settings, with its learning rate divided by {}.",
      train::kFinetuneLrDivisor));
  cmd->callback([a] {
    TrainConfig config = train::finetune_config(a->model);
    a->flags.apply(config);
    train::TrainOptions options;
    options.resume = a->resume;
    options.keep_checkpoint = a->keep_checkpoint;
    print_train_summary(train::train_model(config, a->out, options), a->json);
  });
}

}  // namespace zhsenti::cli
