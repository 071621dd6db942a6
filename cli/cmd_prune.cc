// zhsenti prune: a trained model directory -> the same model with a fraction of its weight
// matrices set to zero by gradual magnitude pruning, fine-tuned between steps
// (train/prune.h), stored sparse where that is smaller.

#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "zhsenti/train/prune.h"

namespace zhsenti::cli {
namespace {

struct PruneArgs {
  train::PruneConfig config;
  std::string out;
  std::string scope = nn::prune_scope_name(train::PruneConfig{}.scope);
  bool json = false;
};

void print_summary(const train::PruneSummary& s, bool json) {
  if (json) {
    fmt::print("{}\n", s.to_json().dump());
    return;
  }
  const double dev = s.steps.empty() ? 0.0 : s.steps.back().dev_accuracy;
  fmt::print(stderr,
             "model written to {}: {:.2f}% of {} weights zero (asked {:.2f}%), dev accuracy "
             "{:.4f}, model.safetensors {:.1f} MB (was {:.1f} MB)\n",
             s.out.string(), 100 * s.sparsity, s.prunable, 100 * s.requested, dev,
             static_cast<double>(s.weights_bytes) / 1e6,
             static_cast<double>(s.base_weights_bytes) / 1e6);
}

}  // namespace

void add_prune_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "prune",
      "Set a fraction of a model's weights to zero (gradual magnitude pruning with fine-tuning) "
      "and write a new, smaller model directory");
  auto a = std::make_shared<PruneArgs>();
  cmd->add_option("--model", a->config.model, "model directory to prune")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--sparsity", a->config.sparsity,
                  "fraction of the weight matrices to set to zero, in [0, 1)")
      ->required();
  cmd->add_option("--train", a->config.train_path, "training data to fine-tune on")->required();
  cmd->add_option("--dev", a->config.dev_path, "dev data (the best epoch of each step is kept)")
      ->required();
  cmd->add_option("--out", a->out, "model directory to write")->required();
  cmd->add_option("--scope", a->scope,
                  "rank weights by magnitude over all matrices together (global) or in each "
                  "matrix separately (per-matrix)")
      ->capture_default_str();
  cmd->add_option("--steps", a->config.steps, "pruning steps of the cubic schedule")
      ->capture_default_str();
  cmd->add_option("--epochs", a->config.epochs, "fine-tuning epochs after each step")
      ->capture_default_str();
  cmd->add_option("--threads", a->config.threads, "threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--json", a->json, "print a JSON summary on stdout");
  cmd->callback([a] {
    train::PruneConfig config = a->config;
    config.scope = nn::parse_prune_scope(a->scope);
    print_summary(train::prune_model(config, a->out), a->json);
  });
}

}  // namespace zhsenti::cli
