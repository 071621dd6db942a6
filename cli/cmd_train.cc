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
