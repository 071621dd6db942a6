#pragma once
// One function per subcommand group, each defined in its own cmd_<name>.cc. Each adds its
// subcommand to the app and sets the callback that runs it; main.cc lists them in one table.

#include <CLI/CLI.hpp>

namespace zhsenti::cli {

// Exit code for a run whose input was wrong (bad file, bad row); usage errors exit 2 (CLI11).
inline constexpr int kExitFailure = 1;

void add_data_command(CLI::App& app);
void add_clean_command(CLI::App& app);
void add_segment_command(CLI::App& app);
void add_embed_command(CLI::App& app);
void add_augment_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_finetune_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_calibrate_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_encode_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_quantize_command(CLI::App& app);
void add_prune_command(CLI::App& app);

}  // namespace zhsenti::cli
