// zhsenti export onnx: a model directory as one ONNX file for ONNX Runtime and other
// runtimes (docs/export.md).

#include <fmt/format.h>

#include "commands.h"
#include "zhsenti/export/onnx_export.h"

namespace zhsenti::cli {
namespace {

struct ExportOnnxArgs {
  std::string model;
  std::string out;
};

}  // namespace

void add_export_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export a model to another runtime's format");
  cmd->require_subcommand(1);
  auto* onnx = cmd->add_subcommand(
      "onnx", "ONNX (opset 17): token ids, n-gram ids and lengths in, probabilities out");
  auto a = std::make_shared<ExportOnnxArgs>();
  onnx->add_option("--model", a->model, "model directory")->required();
  onnx->add_option("--out", a->out,
                   "ONNX file to write (an existing file is replaced only if it is ONNX)")
      ->required();
  onnx->callback([a] {
    exporter::export_onnx(a->model, a->out);
    fmt::print(stderr, "wrote {}\n", a->out);
  });
}

}  // namespace zhsenti::cli
