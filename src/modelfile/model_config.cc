#include <fmt/format.h>

#include <set>

#include "zhsenti/core/error.h"
#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::modelfile {

namespace {

using nlohmann::json;

constexpr std::string_view kKnownKeys[] = {"format_version", "architecture", "tokenizer",  "labels",
                                           "training_data",  "metrics",      "created_at", "zhsenti_version"};

[[noreturn]] void fail(std::string_view source, std::string_view message) {
  throw Error(ErrorCode::kFormat, fmt::format("{}: {}", source, message));
}

std::string short_dump(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

const json& require(const json& j, std::string_view key, std::string_view source) {
  const auto it = j.find(key);
  if (it == j.end()) fail(source, fmt::format("missing key {:?}", key));
  return *it;
}

std::string optional_string(const json& j, std::string_view key, std::string_view source) {
  const auto it = j.find(key);
  if (it == j.end()) return {};
  if (!it->is_string()) fail(source, fmt::format("key {:?} must be a string, got {}", key, short_dump(*it)));
  return it->get<std::string>();
}

std::vector<std::string> parse_labels(const json& v, std::string_view source) {
  if (!v.is_array()) fail(source, fmt::format("\"labels\" must be an array of strings, got {}", short_dump(v)));
  std::vector<std::string> labels;
  std::set<std::string> seen;
  for (const auto& item : v) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      fail(source, fmt::format("label {} must be a non-empty string, got {}", labels.size(), short_dump(item)));
    }
    const auto& label = item.get_ref<const std::string&>();
    if (!seen.insert(label).second) fail(source, fmt::format("label {:?} appears twice", label));
    labels.push_back(label);
  }
  if (labels.size() < 2) fail(source, fmt::format("a classifier needs at least 2 labels, got {}", labels.size()));
  return labels;
}

DataFingerprint parse_fingerprint(const json& v, std::string_view source) {
  if (!v.is_object()) fail(source, fmt::format("\"training_data\" must be an object, got {}", short_dump(v)));
  DataFingerprint f;
  f.sha256 = optional_string(v, "sha256", source);
  f.source = optional_string(v, "source", source);
  if (const auto it = v.find("rows"); it != v.end()) {
    if (!it->is_number_unsigned()) {
      fail(source, fmt::format("\"training_data.rows\" must be a non-negative integer, got {}", short_dump(*it)));
    }
    f.rows = it->get<std::uint64_t>();
  }
  return f;
}

}  // namespace

json ModelConfig::to_json() const {
  json j = extra.is_object() ? extra : json::object();
  j["format_version"] = format_version;
  j["architecture"] = architecture;
  j["tokenizer"] = tokenizer;
  j["labels"] = labels;
  j["training_data"] = {{"sha256", training_data.sha256}, {"rows", training_data.rows}, {"source", training_data.source}};
  j["metrics"] = metrics;
  j["created_at"] = created_at;
  j["zhsenti_version"] = zhsenti_version;
  return j;
}

ModelConfig ModelConfig::from_json(const json& j, std::string_view source) {
  if (!j.is_object()) fail(source, fmt::format("config must be a JSON object, got {}", j.type_name()));
  ModelConfig c;
  const json& version = require(j, "format_version", source);
  if (!version.is_number_integer() || version.get<std::int64_t>() < 1) {
    fail(source, fmt::format("\"format_version\" must be a positive integer, got {}", short_dump(version)));
  }
  const auto v = version.get<std::int64_t>();
  if (v > kModelFormatVersion) {
    fail(source, fmt::format("model format version {} is newer than this zhsenti {} reads (format version {}); "
                             "upgrade zhsenti to load this model",
                             v, library_version(), kModelFormatVersion));
  }
  c.format_version = static_cast<int>(v);
  c.architecture = require(j, "architecture", source);
  if (!c.architecture.is_object()) fail(source, "\"architecture\" must be an object");
  c.tokenizer = require(j, "tokenizer", source);
  if (!c.tokenizer.is_object()) fail(source, "\"tokenizer\" must be an object");
  c.labels = parse_labels(require(j, "labels", source), source);
  if (const auto it = j.find("training_data"); it != j.end()) c.training_data = parse_fingerprint(*it, source);
  if (const auto it = j.find("metrics"); it != j.end()) {
    if (!it->is_object()) fail(source, "\"metrics\" must be an object");
    c.metrics = *it;
  }
  c.created_at = optional_string(j, "created_at", source);
  c.zhsenti_version = optional_string(j, "zhsenti_version", source);
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), key) == std::end(kKnownKeys)) c.extra[key] = value;
  }
  return c;
}

}  // namespace zhsenti::modelfile
