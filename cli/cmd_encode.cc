// zhsenti encode: per text (--text, a file of lines, or stdin) one JSON line with the ids
// the model feeds its network, the inputs of an exported graph (docs/export.md).

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/core/output.h"
#include "zhsenti/export/graph_inputs.h"

namespace zhsenti::cli {
namespace {

struct EncodeArgs {
  std::string model;
  std::vector<std::string> texts;
  std::string input;  // file or "-"
};

void print_encoded(const predict::Predictor& p, std::string_view text, std::string_view source,
                   std::size_t line) {
  exporter::GraphInputs in;
  try {
    in = exporter::graph_inputs(p, text);
  } catch (const Error& e) {
    throw Error(e.code(), location_message(source, line, e.what()));
  }
  write_stdout(exporter::to_json(in).dump() + '\n');
}

void run_encode(EncodeArgs& a) {
  predict::Predictor::LoadOptions options;
  options.inference_table_max_bytes = 0;  // encoding only: no inference tables
  const auto p = predict::Predictor::load(a.model, options);
  for (std::size_t i = 0; i < a.texts.size(); ++i) print_encoded(*p, a.texts[i], "--text", i + 1);
  if (!a.texts.empty() && a.input.empty()) return;
  if (a.input.empty()) a.input = "-";
  LineReader in(a.input);
  std::size_t line_no = 0;
  std::string_view line;
  while (in.read_line(line)) print_encoded(*p, line, a.input, ++line_no);
}

}  // namespace

void add_encode_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "encode", "Print the ids a model feeds its network per text (inputs of an exported graph)");
  auto a = std::make_shared<EncodeArgs>();
  cmd->add_option("--model", a->model, "model directory")->required();
  cmd->add_option("--text", a->texts, "a text to encode (repeatable)");
  cmd->add_option("input", a->input, "file of texts, one per line ('-': stdin)");
  cmd->callback([a] { run_encode(*a); });
}

}  // namespace zhsenti::cli
