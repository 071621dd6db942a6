#pragma once
// The search space of `zhsenti tune`: a JSON object giving, per TrainConfig setting (the keys
// of a `--config` file), either a list of choices or a numeric range:
//
//   {"lr": {"min": 5e-4, "max": 5e-3, "log": true},   uniform in log(lr)
//    "dropout": {"min": 0.2, "max": 0.6},             uniform
//    "hidden": {"min": 32, "max": 256, "log": true},  an integer setting draws integers
//    "cell": ["gru", "lstm"]}                         one of the choices, equally likely
//
// Settings not in the space keep the base config's value. Data, seed, epochs, metric and
// threads cannot be searched: trials are only comparable with the same data and metric, and
// the tuner itself sets each trial's seed and epochs.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/train/train_config.h"

namespace zhsenti::train {

struct SpaceDimension {
  std::string key;                      // a TrainConfig JSON key
  std::vector<nlohmann::json> choices;  // non-empty: a choice list; empty: the range below
  double min = 0;
  double max = 0;
  bool log = false;
  bool integer = false;  // the setting is an integer, so are its draws
};

class SearchSpace {
 public:
  SearchSpace() = default;

  // `source` (a file name) prefixes every error message; errors name the offending key.
  // Throws Error(kInvalidArgument) for an unknown, unsearchable or malformed setting.
  static SearchSpace from_json(const nlohmann::json& j, const std::string& source);
  // Parse errors are Error(kParse) naming the file.
  static SearchSpace load(const std::filesystem::path& path);

  // Applies every choice and both ends of every range to `base` and validates the result, so
  // that a value the trainer would refuse fails before the first trial.
  void check_against(const TrainConfig& base) const;

  // One point of the space, {key: value}; draws the dimensions in key order from `rng`.
  // Float draws are rounded to 3 significant digits: easier to read, and finer steps make no
  // difference a dev set can measure.
  nlohmann::json sample(Rng& rng) const;

  // `base` with the point's settings (the point must come from this space or be well-typed).
  static TrainConfig apply(const TrainConfig& base, const nlohmann::json& point);

  // Distinct points, or 0 when a float range makes the space unbounded (saturates at
  // SIZE_MAX).
  std::size_t size() const;

  const std::vector<SpaceDimension>& dimensions() const { return dims_; }
  const std::string& source() const { return source_; }
  // The canonical form: every range spelled out with its "log" flag.
  nlohmann::json to_json() const;

 private:
  std::vector<SpaceDimension> dims_;  // sorted by key
  std::string source_;
};

}  // namespace zhsenti::train
