// zhsenti tune: a search space and a base config (file, --set, flags) -> train::run_tune ->
// the ranked table on stdout (or results.json with --json).

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "zhsenti/core/output.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/train/tune.h"

namespace zhsenti::cli {
// A named namespace, not an anonymous one: the CLI compiles in unity batches, where another
// command file's file-local names would meet these.
namespace tune_command {

using json = nlohmann::json;

struct TuneArgs {
  std::string space;
  std::string out;
  std::string config_file;
  std::vector<std::string> sets;
  std::string train, dev, text_col, label_col, metric;
  bool skip_bad_rows = false;
  int epochs = 0, threads = 0;
  unsigned long long seed = 0;
  train::TuneOptions options;
  bool print_json = false;
  // Named flags given on the command line, applied last.
  std::vector<std::pair<CLI::Option*, std::function<void(json&)>>> flags;
};

json read_config_file(const std::string& path) {
  json j;
  try {
    j = json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kParse, fmt::format("{}: {}", path, e.what()));
  }
  if (!j.is_object()) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: a training config must be a JSON object", path));
  }
  return j;
}

// Defaults <- --config <- --set KEY=VALUE <- named flags.
train::TrainConfig base_config(const TuneArgs& a) {
  json j = a.config_file.empty() ? json::object() : read_config_file(a.config_file);
  for (const std::string& s : a.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("--set {}: expected KEY=VALUE, e.g. --set hidden=64", s));
    }
    const std::string value = s.substr(eq + 1);
    // VALUE is JSON when it parses (64, true, ["a"]), else a plain string (lstm).
    j[s.substr(0, eq)] = json::accept(value) ? json::parse(value) : json(value);
  }
  for (const auto& [opt, apply] : a.flags) {
    if (opt->count() > 0) apply(j);
  }
  try {
    return train::TrainConfig::from_json(j);
  } catch (const Error& e) {
    throw Error(e.code(), a.config_file.empty() ? std::string(e.what())
                                                : fmt::format("{} (with --set and flags): {}",
                                                              a.config_file, e.what()));
  }
}

template <typename T>
void flag_option(CLI::App* cmd, TuneArgs& a, const std::string& name, const char* key, T& field,
                 const std::string& help) {
  CLI::Option* opt = cmd->add_option(name, field, help);
  a.flags.emplace_back(opt, [key, &field](json& j) { j[key] = field; });
}

void run(TuneArgs& a) {
  a.options.base = base_config(a);
  a.options.space = train::SearchSpace::load(a.space);
  const train::TuneResult r = train::run_tune(a.options, a.out);
  if (dist::rank() != 0) return;  // rank 0 reports for the job
  const train::TuneReport& report = r.report;
  if (a.print_json) {
    fmt::print("{}\n", train::results_json(report).dump());
  } else {
    fmt::print("{}", train::results_table(report));
  }
  flush_stdout();  // the table before the stderr lines that refer to it
  if (report.best >= 0) {
    const auto& best = *std::find_if(report.trials.begin(), report.trials.end(),
                                     [&](const auto& t) { return t.id == report.best; });
    fmt::print(stderr,
               "best: trial {} (dev {} {:.4f}, best epoch {}); {}/best_config.json and {}/best/\n",
               best.id, report.metric, best.score(), best.rungs.back().best_epoch, a.out, a.out);
  }
  if (!report.complete) {
    fmt::print(stderr, "search not complete ({}); run the same command to continue\n",
               r.budget_spent ? "budget spent" : "stopped");
  }
}

void add(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "tune", "Search training settings: random search with successive halving, chosen on dev");
  auto a = std::make_shared<TuneArgs>();
  cmd->add_option("--space", a->space,
                  "JSON search space: per setting a list of choices or {\"min\", \"max\", "
                  "\"log\"} (docs/tune.md)")
      ->required();
  cmd->add_option("--out", a->out,
                  "directory for results.csv/json, best_config.json, best/ and the state that "
                  "lets the same command continue")
      ->required();
  cmd->add_option("--trials", a->options.trials, "settings sampled from the space")
      ->capture_default_str();
  cmd->add_option("--min-epochs", a->options.min_epochs, "epochs of the first rung")
      ->capture_default_str();
  cmd->add_option("--eta", a->options.eta, "the best 1/eta of each rung continue to the next")
      ->capture_default_str();
  cmd->add_option("--budget-minutes", a->options.budget_minutes,
                  "start no new trial rung after this long (0: no limit); rerun to continue")
      ->capture_default_str();
  cmd->add_option("--config", a->config_file, "base settings (JSON, as for train --config)");
  cmd->add_option("--set", a->sets, "KEY=VALUE base setting, e.g. --set hidden=64 (repeatable)");
  flag_option(cmd, *a, "--train", "train", a->train, "training data");
  flag_option(cmd, *a, "--dev", "dev", a->dev, "dev data: every trial is scored and chosen on it");
  flag_option(cmd, *a, "--epochs", "epochs", a->epochs,
              "the most epochs a trial trains (the last rung; default: the config's, 10)");
  flag_option(cmd, *a, "--metric", "metric", a->metric, "accuracy | macro_f1 (ranks the trials)");
  flag_option(cmd, *a, "--seed", "seed", a->seed,
              "fixes the sampled settings and each trial's seed (default: the config's, 42)");
  flag_option(cmd, *a, "--threads", "threads", a->threads, "threads per trial (0: all cores)");
  flag_option(cmd, *a, "--text-col", "text_col", a->text_col, "text column (default: auto)");
  flag_option(cmd, *a, "--label-col", "label_col", a->label_col, "label column (default: auto)");
  CLI::Option* skip = cmd->add_flag("--skip-bad-rows", a->skip_bad_rows,
                                    "skip (and report) malformed rows instead of failing");
  TuneArgs* args = a.get();  // not the shared_ptr: a->flags would then own a
  a->flags.emplace_back(skip, [args](json& j) { j["skip_bad_rows"] = args->skip_bad_rows; });
  cmd->add_flag("--json", a->print_json, "print results.json on stdout instead of the table");
  cmd->callback([a] { run(*a); });
}

}  // namespace tune_command

void add_tune_command(CLI::App& app) { tune_command::add(app); }

}  // namespace zhsenti::cli
