// zhsenti: one binary, one subcommand per pipeline step. Only the CLI prints and picks exit
// codes; library errors arrive as zhsenti::Error carrying file, line and the bad value.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>

#include "commands.h"
#include "stdout_io.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/progress.h"

namespace {

struct GlobalOptions {
  std::string log_level = "info";
  std::string log_format = "text";
  bool quiet = false;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zhsenti: Chinese sentiment classification — data, segmentation, RNN training, "
               "evaluation and serving in one native tool"};
  app.set_version_flag("--version", std::string(ZHSENTI_VERSION));
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
    zhsenti::log::init(global.log_level, global.log_format == "json" ? zhsenti::log::Format::kJson
                                                                      : zhsenti::log::Format::kText);
    zhsenti::Progress::set_enabled(!global.quiet);
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

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help and --version end here too: their text goes out like any command's output, so
      // that a failed write is reported with its reason.
      std::ostringstream out;
      const int code = app.exit(e, out, std::cerr);
      zhsenti::cli::write_stdout(out.str());
      zhsenti::cli::flush_stdout();
      return code;
    }
    zhsenti::cli::flush_stdout();
  } catch (const zhsenti::Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "zhsenti: error: {}\n", e.what());
    return zhsenti::cli::kExitFailure;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "zhsenti: error: {}\n", e.what());
    return zhsenti::cli::kExitFailure;
  }
  return 0;
}
