#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <fstream>
#include <sstream>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/export/onnx_export.h"

namespace zhsenti::exporter {
namespace {

// Protobuf parses many byte strings (an empty file is an empty message), so an ONNX model is
// one that parses and has what every model has: an IR version and a graph.
bool is_onnx_model(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io_error(path.string(), "cannot open");
  std::stringstream bytes;
  bytes << in.rdbuf();
  onnx::ModelProto model;
  return model.ParseFromString(bytes.str()) && model.ir_version() > 0 && model.has_graph();
}

void check_replaceable(const std::filesystem::path& out) {
  std::error_code ec;
  const auto status = std::filesystem::status(out, ec);
  if (!std::filesystem::exists(status)) return;
  if (!std::filesystem::is_regular_file(status) || !is_onnx_model(out)) {
    throw Error(
        ErrorCode::kInvalidArgument,
        fmt::format("{}: exists and is not an ONNX model; refusing to overwrite it", out.string()));
  }
}

}  // namespace

void export_onnx(const std::filesystem::path& model_dir, const std::filesystem::path& out) {
  check_replaceable(out);
  predict::Predictor::LoadOptions options;
  options.inference_table_max_bytes = 0;
  options.precision = nn::Precision::kFp32;
  const auto predictor = predict::Predictor::load(model_dir, options);
  write_file_atomic(out, onnx_model_bytes(*predictor));
}

}  // namespace zhsenti::exporter
