#pragma once
// metrics.jsonl: the training curve, one JSON object per line, one line per epoch, written by
// the trainer and drawn by the HTML report. Schema (all numbers are JSON numbers or null):
//
//   {"epoch": 3,                 int >= 1, required
//    "train_loss": 0.312,        mean training loss over the epoch
//    "dev_loss": 0.281,          null when there is no dev set
//    "dev_accuracy": 0.905,
//    "dev_macro_f1": 0.903,
//    "lr": 0.001,                learning rate at the end of the epoch
//    "seconds": 12.4,            wall time of the epoch
//    "tokens_per_s": 51234.0}    training throughput
//
// Only "epoch" is required; a missing key reads as null. Other keys are kept in `extra`, so
// the trainer may add fields without breaking older readers. Blank lines are ignored.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::eval {

struct EpochRecord {
  int epoch = 0;
  std::optional<double> train_loss;
  std::optional<double> dev_loss;
  std::optional<double> dev_accuracy;
  std::optional<double> dev_macro_f1;
  std::optional<double> lr;
  std::optional<double> seconds;
  std::optional<double> tokens_per_s;
  nlohmann::json extra = nlohmann::json::object();

  nlohmann::json to_json() const;
  // Errors are Error(kParse) "source:line: ..." naming the key and value.
  static EpochRecord from_json(const nlohmann::json& j, std::string_view source, std::size_t line);
};

std::string format_training_log(std::span<const EpochRecord> records);
std::vector<EpochRecord> parse_training_log(std::string_view text, std::string_view source = "metrics.jsonl");
std::vector<EpochRecord> read_training_log(const std::filesystem::path& path);
// Atomic rewrite of the whole file (the trainer calls it after every epoch).
void write_training_log(const std::filesystem::path& path, std::span<const EpochRecord> records);

}  // namespace zhsenti::eval
