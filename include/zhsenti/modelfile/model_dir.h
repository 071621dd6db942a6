#pragma once
// The model directory, like a Hugging Face model folder:
//
//   config.json        ModelConfig (below), UTF-8 JSON
//   model.safetensors  named tensors (safetensors.h), e.g. "encoder.lstm.0.forward.w_ih"
//   vocab.txt          token<TAB>count per line, line i = id i-1 (vocab/vocab.h)
//   metrics.jsonl      optional: training curve, one JSON object per epoch (eval/training_log.h)
//   report.html        optional: self-contained evaluation report (eval/html_report.h)
//   reference.json     optional: monitoring reference distributions (free-form JSON)
//
// write_model_dir stages all files in a temporary sibling directory, fsyncs them and swaps
// the directory into place (core/atomic_file.h AtomicDirWriter): a reader, e.g. a server
// reloading the model, sees the old or the new directory, never a mixture.
//
// config.json keys (format_version 1):
//   format_version   int, this reader accepts 1..kModelFormatVersion
//   architecture     object, the nn ClassifierConfig as JSON (free-form here)
//   tokenizer        object: tokens word|char, cleaning options, segmenter settings, max_len
//   labels           array of >= 2 distinct non-empty strings; label id = position
//   training_data    {"sha256": hex digest of the training file, "rows": n, "source": name}
//   metrics          object, e.g. eval::Metrics::to_json() on the dev or test split
//   created_at       "YYYY-MM-DDTHH:MM:SSZ" (UTC)
//   zhsenti_version  version of the zhsenti that wrote it
// Other top-level keys are preserved in ModelConfig::extra.
//
// This library is the only code that writes model bytes; it does not interpret vocab.txt or
// the architecture: the caller parses vocab with vocab::Vocab::parse and checks tensors
// against its expected table with check_tensors (tensor_check.h).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::modelfile {

inline constexpr int kModelFormatVersion = 1;

inline constexpr std::string_view kConfigFile = "config.json";
inline constexpr std::string_view kWeightsFile = "model.safetensors";
inline constexpr std::string_view kVocabFile = "vocab.txt";
inline constexpr std::string_view kMetricsLogFile = "metrics.jsonl";
inline constexpr std::string_view kReportFile = "report.html";
inline constexpr std::string_view kReferenceFile = "reference.json";
inline constexpr std::string_view kDecisionRuleFile = "decision.json";  // predict/decision_rule.h

struct DataFingerprint {
  std::string sha256;      // lower-case hex SHA-256 of the training file bytes (core/sha256.h)
  std::uint64_t rows = 0;  // rows used for training after filtering
  std::string source;      // the file name as given, informational only

  friend bool operator==(const DataFingerprint&, const DataFingerprint&) = default;
};

struct ModelConfig {
  int format_version = kModelFormatVersion;
  nlohmann::json architecture = nlohmann::json::object();
  nlohmann::json tokenizer = nlohmann::json::object();
  std::vector<std::string> labels;
  DataFingerprint training_data;
  nlohmann::json metrics = nlohmann::json::object();
  std::string created_at;       // filled by write_model_dir when empty
  std::string zhsenti_version;  // filled by write_model_dir when empty
  nlohmann::json extra = nlohmann::json::object();  // unknown top-level keys, kept as they are

  nlohmann::json to_json() const;
  // Validates as described above; errors name `source` and the key (kFormat / kParse).
  static ModelConfig from_json(const nlohmann::json& j, std::string_view source = "config.json");
};

struct ModelFiles {
  ModelConfig config;
  SafetensorsWriter weights;  // its views must stay valid until write_model_dir returns
  std::string vocab;          // vocab.txt content (vocab::Vocab::to_text())
  std::optional<std::string> metrics_log;  // metrics.jsonl content
  std::optional<std::string> report_html;
  std::optional<nlohmann::json> reference;
  std::optional<std::string> decision_rule;  // decision.json content (predict::decision_rule_json)
};

// Atomically creates or replaces `dir`. Throws Error(kInvalidArgument) for an invalid config,
// an empty vocab or a `dir` that exists and is not a model (model_out.h), Error(kIo) when the
// file system refuses.
void write_model_dir(const std::filesystem::path& dir, const ModelFiles& files);

struct ModelDir {
  std::filesystem::path path;
  ModelConfig config;
  SafetensorsFile weights;  // validated file structure; shapes are checked by the caller
  std::string vocab;        // vocab.txt content; parse with vocab::Vocab::parse(vocab, vocab_path())
  std::optional<std::string> metrics_log;
  std::optional<std::string> report_html;
  std::optional<nlohmann::json> reference;

  std::string vocab_path() const { return (path / kVocabFile).string(); }
};

// Reads and validates a model directory: required files present (kNotFound naming the file),
// config.json valid and not newer than kModelFormatVersion (kFormat naming both versions),
// model.safetensors structurally valid.
ModelDir read_model_dir(const std::filesystem::path& dir);

// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_timestamp();

// The zhsenti version compiled into this library.
std::string_view library_version();

}  // namespace zhsenti::modelfile
