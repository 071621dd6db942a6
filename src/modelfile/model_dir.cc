#include "zhsenti/modelfile/model_dir.h"

#include <fmt/format.h>

#include <ctime>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_out.h"

namespace zhsenti::modelfile {

namespace fs = std::filesystem;
using nlohmann::json;

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string_view library_version() { return ZHSENTI_MODELFILE_VERSION; }

void write_model_dir(const fs::path& dir, const ModelFiles& files) {
  ModelConfig config = files.config;
  // Round-trip through the reader's validation so an invalid config is never written.
  config.format_version = kModelFormatVersion;
  if (config.created_at.empty()) config.created_at = utc_timestamp();
  if (config.zhsenti_version.empty()) config.zhsenti_version = std::string(library_version());
  try {
    ModelConfig::from_json(config.to_json(), "config");
  } catch (const Error& e) {
    ZHSENTI_CHECK_ARG(false, "cannot write model {}: invalid {}", dir.string(), e.what());
  }
  ZHSENTI_CHECK_ARG(!files.vocab.empty(), "cannot write model {}: empty vocabulary", dir.string());
  check_model_out(dir, "cannot write model");

  AtomicDirWriter writer(dir);
  const fs::path& stage = writer.staging();
  write_file_atomic(stage / kConfigFile, config.to_json().dump(2) + "\n");
  files.weights.write(stage / kWeightsFile);
  write_file_atomic(stage / kVocabFile, files.vocab);
  if (files.metrics_log) write_file_atomic(stage / kMetricsLogFile, *files.metrics_log);
  if (files.report_html) write_file_atomic(stage / kReportFile, *files.report_html);
  if (files.reference) write_file_atomic(stage / kReferenceFile, files.reference->dump(2) + "\n");
  if (files.decision_rule) write_file_atomic(stage / kDecisionRuleFile, *files.decision_rule);
  writer.commit();
}

namespace {

fs::path required_file(const fs::path& dir, std::string_view name) {
  const fs::path p = dir / name;
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("{}: missing model file {} (a model directory holds {}, {} and {})", dir.string(), name,
                            kConfigFile, kWeightsFile, kVocabFile));
  }
  return p;
}

std::optional<std::string> read_optional(const fs::path& dir, std::string_view name) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / name, ec)) return std::nullopt;
  return read_file(dir / name);
}

json parse_json(const std::string& text, const fs::path& path) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::kParse, fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
  }
}

}  // namespace

ModelDir read_model_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorCode::kNotFound, fmt::format("{}: no such model directory", dir.string()));
  }
  ModelDir m;
  m.path = dir;
  const fs::path config_path = required_file(dir, kConfigFile);
  m.config = ModelConfig::from_json(parse_json(read_file(config_path), config_path), config_path.string());
  m.weights = SafetensorsFile::read(required_file(dir, kWeightsFile));
  m.vocab = read_file(required_file(dir, kVocabFile));
  m.metrics_log = read_optional(dir, kMetricsLogFile);
  m.report_html = read_optional(dir, kReportFile);
  if (auto ref = read_optional(dir, kReferenceFile)) m.reference = parse_json(*ref, dir / kReferenceFile);
  return m;
}

}  // namespace zhsenti::modelfile
