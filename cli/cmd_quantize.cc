// zhsenti quantize: a model with its weight matrices stored as int8 (predict/quantize.h,
// docs/export.md), about a quarter of the file, run in int8 by eval, predict and serve.

#include <fmt/format.h>

#include "commands.h"
#include "zhsenti/predict/quantize.h"

namespace zhsenti::cli {
namespace {

struct QuantizeArgs {
  std::string model;
  std::string out;
};

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "quantize",
      "Store a model's weight matrices as int8 (per-row scales) for smaller, faster inference");
  auto a = std::make_shared<QuantizeArgs>();
  cmd->add_option("--model", a->model, "fp32 model directory")->required();
  cmd->add_option("--out", a->out,
                  "model directory to write (a new path or an existing model, replaced atomically)")
      ->required();
  cmd->callback([a] {
    const predict::QuantizeSummary s = predict::quantize_model_dir(a->model, a->out);
    fmt::print(stderr,
               "wrote {}: {} matrices in int8, model.safetensors {} -> {} bytes ({:.1f} %)\n",
               a->out, s.matrices, s.fp32_bytes, s.int8_bytes,
               s.fp32_bytes > 0
                   ? 100.0 * static_cast<double>(s.int8_bytes) / static_cast<double>(s.fp32_bytes)
                   : 0.0);
  });
}

}  // namespace zhsenti::cli
