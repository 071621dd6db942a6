// zhsenti: one binary, one subcommand per pipeline step. Only the CLI prints and picks exit
// codes; library errors arrive as zhsenti::Error carrying file, line and the bad value.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>

#include "commands.h"
#include "zhsenti/core/output.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/dist/comm.h"

namespace {

struct GlobalOptions {
  std::string log_level = "info";
  std::string log_format = "text";
  bool quiet = false;
};

std::string version_text() {
  return fmt::format("{} (MPI {})", ZHSENTI_VERSION,
                     zhsenti::dist::compiled_with_mpi() ? "compiled in" : "not compiled in");
}

// One rank of several fails the whole job (the others would wait for it in a collective).
int fail(std::string_view message) {
  if (zhsenti::dist::distributed()) zhsenti::dist::abort_job(message, zhsenti::cli::kExitFailure);
  std::fflush(stdout);
  fmt::print(stderr, "zhsenti: error: {}\n", message);
  return zhsenti::cli::kExitFailure;
}

int run(int argc, char** argv) {
  CLI::App app{"zhsenti: Chinese sentiment classification — data, segmentation, RNN training, "
               "evaluation and serving in one native tool"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  // Global options (-q, --log-level) may also follow the subcommand.
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--log-level", global.log_level, "trace|debug|info|warn|error|off")
      ->capture_default_str();
  app.add_option("--log-format", global.log_format, "text|json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("-q,--quiet", global.quiet, "no progress bars");
  app.parse_complete_callback([&] {
    // Under MPI rank 0 alone logs progress; the other ranks speak only of problems.
    const bool speaker = zhsenti::dist::rank() == 0;
    zhsenti::log::init(speaker || global.log_level == "off" || global.log_level == "error"
                           ? global.log_level
                           : "warn",
                       global.log_format == "json" ? zhsenti::log::Format::kJson
                                                   : zhsenti::log::Format::kText);
    zhsenti::Progress::set_enabled(!global.quiet && speaker);
    // Only these share their work over ranks; any other command would run N times over
    // the same files.
    const auto chosen = app.get_subcommands();
    if (zhsenti::dist::distributed() && !chosen.empty()) {
      std::string name = chosen.front()->get_name();
      const auto sub = chosen.front()->get_subcommands();
      if (!sub.empty()) name = fmt::format("{} {}", name, sub.front()->get_name());
      if (name != "train" && name != "tune" && name != "embed train") {
        throw zhsenti::Error(zhsenti::ErrorCode::kInvalidArgument,
                             fmt::format("`zhsenti {}` does not run over MPI ranks; start it as "
                                         "one process (train, tune and embed train are "
                                         "data-parallel)",
                                         name));
      }
    }
  });

  // In pipeline order, as `zhsenti --help` lists them.
  zhsenti::cli::add_data_command(app);
  zhsenti::cli::add_clean_command(app);
  zhsenti::cli::add_segment_command(app);
  zhsenti::cli::add_embed_command(app);
  zhsenti::cli::add_augment_command(app);
  zhsenti::cli::add_train_command(app);
  zhsenti::cli::add_tune_command(app);
  zhsenti::cli::add_finetune_command(app);
  zhsenti::cli::add_eval_command(app);
  zhsenti::cli::add_calibrate_command(app);
  zhsenti::cli::add_predict_command(app);
  zhsenti::cli::add_serve_command(app);
  zhsenti::cli::add_encode_command(app);
  zhsenti::cli::add_export_command(app);
  zhsenti::cli::add_quantize_command(app);
  zhsenti::cli::add_prune_command(app);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help and --version end here too: their text goes out like any command's output, so
      // that a failed write is reported with its reason.
      std::ostringstream out;
      const int code = app.exit(e, out, std::cerr);
      zhsenti::write_stdout(out.str());
      zhsenti::flush_stdout();
      return code;
    }
    zhsenti::flush_stdout();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // Before parsing: MPI_Init may take its own arguments out of argv.
    const zhsenti::dist::Session session(argc, argv);
    const int code = run(argc, argv);
    // A usage error on one rank (its message is out) must still end the others.
    if (code != 0 && zhsenti::dist::distributed()) {
      zhsenti::dist::abort_job("the command line was refused", code);
    }
    return code;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
