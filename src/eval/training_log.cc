#include "zhsenti/eval/training_log.h"

#include <fmt/format.h>

#include <cmath>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/lines.h"

namespace zhsenti::eval {

namespace {

using nlohmann::json;

struct NumberField {
  const char* key;
  std::optional<double> EpochRecord::*member;
};

constexpr NumberField kNumberFields[] = {
    {"train_loss", &EpochRecord::train_loss},     {"dev_loss", &EpochRecord::dev_loss},
    {"dev_accuracy", &EpochRecord::dev_accuracy}, {"dev_macro_f1", &EpochRecord::dev_macro_f1},
    {"lr", &EpochRecord::lr},                     {"seconds", &EpochRecord::seconds},
    {"tokens_per_s", &EpochRecord::tokens_per_s},
};

}  // namespace

json EpochRecord::to_json() const {
  json j = extra.is_object() ? extra : json::object();
  j["epoch"] = epoch;
  for (const auto& f : kNumberFields) {
    const auto& v = this->*f.member;
    // JSON has no NaN/inf: a diverged loss is written as null.
    j[f.key] = v && std::isfinite(*v) ? json(*v) : json(nullptr);
  }
  return j;
}

EpochRecord EpochRecord::from_json(const json& j, std::string_view source, std::size_t line) {
  if (!j.is_object()) throw_parse_error(source, line, fmt::format("expected a JSON object, got {}", j.type_name()));
  EpochRecord r;
  const auto epoch = j.find("epoch");
  if (epoch == j.end()) throw_parse_error(source, line, "missing \"epoch\"");
  if (!epoch->is_number_integer() || epoch->get<std::int64_t>() < 1 || epoch->get<std::int64_t>() > 1'000'000'000) {
    throw_parse_error(source, line, fmt::format("\"epoch\" must be a positive integer, got {}", epoch->dump()));
  }
  r.epoch = static_cast<int>(epoch->get<std::int64_t>());
  for (const auto& [key, value] : j.items()) {
    if (key == "epoch") continue;
    bool known = false;
    for (const auto& f : kNumberFields) {
      if (key != f.key) continue;
      known = true;
      if (value.is_null()) break;
      if (!value.is_number()) {
        throw_parse_error(source, line, fmt::format("{:?} must be a number or null, got {}", key, value.dump()));
      }
      r.*f.member = value.get<double>();
    }
    if (!known) r.extra[key] = value;
  }
  return r;
}

std::string format_training_log(std::span<const EpochRecord> records) {
  std::string out;
  for (const auto& r : records) out += r.to_json().dump() + "\n";
  return out;
}

std::vector<EpochRecord> parse_training_log(std::string_view text, std::string_view source) {
  std::vector<EpochRecord> records;
  for_each_line(text, [&](std::string_view row, std::size_t line) {
    if (row.find_first_not_of(" \t") == std::string_view::npos) return;
    json j;
    try {
      j = json::parse(row);
    } catch (const json::parse_error& e) {
      throw_parse_error(source, line, fmt::format("not valid JSON: {}", e.what()));
    }
    records.push_back(EpochRecord::from_json(j, source, line));
  });
  return records;
}

std::vector<EpochRecord> read_training_log(const std::filesystem::path& path) {
  return parse_training_log(read_file(path), path.string());
}

void write_training_log(const std::filesystem::path& path, std::span<const EpochRecord> records) {
  write_file_atomic(path, format_training_log(records));
}

}  // namespace zhsenti::eval
