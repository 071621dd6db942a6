#include "zhsenti/train/tune_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

// Settings every trial must share, with the reason shown to the user.
const std::map<std::string, std::string>& unsearchable() {
  static const std::map<std::string, std::string> kReasons = {
      {"train", "every trial trains on the same data (--train)"},
      {"dev", "every trial is scored on the same dev set (--dev)"},
      {"validation_split", "every trial is scored on the same dev set (--dev)"},
      {"text_col", "every trial reads the same columns (--text-col)"},
      {"label_col", "every trial reads the same columns (--label-col)"},
      {"skip_bad_rows", "every trial reads the same rows (--skip-bad-rows)"},
      {"epochs", "successive halving decides how long each trial trains (--epochs is the most)"},
      {"metric", "all trials are ranked by one metric (--metric)"},
      {"seed", "each trial's seed is drawn from --seed"},
      {"threads", "threads do not change the model (--threads)"},
  };
  return kReasons;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& key, const json& known) {
  std::string best;
  std::size_t best_distance = 3;  // suggest only near misses
  for (const auto& [name, _] : known.items()) {
    const std::size_t d = edit_distance(key, name);
    if (d < best_distance) best_distance = d, best = name;
  }
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::string expected_type(const json& default_value) {
  if (default_value.is_boolean()) return "true or false";
  if (default_value.is_number_integer()) return "an integer";
  if (default_value.is_number()) return "a number";
  if (default_value.is_string()) return "a string";
  return "a list of strings";
}

bool same_type(const json& value, const json& default_value) {
  if (default_value.is_number_integer()) return value.is_number_integer();
  if (default_value.is_number()) return value.is_number();
  if (default_value.is_array()) {
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
  }
  return value.type() == default_value.type();
}

double round_significant(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale =
      std::pow(10.0, digits - static_cast<int>(std::ceil(std::log10(std::abs(v)))));
  return std::round(v * scale) / scale;
}

SpaceDimension parse_range(const std::string& source, const std::string& key, const json& spec,
                           const json& default_value) {
  ZHSENTI_CHECK_ARG(default_value.is_number(),
                    "{}: '{}' is not a numeric setting, so it takes a list of choices (e.g. "
                    "[{}]), not a range",
                    source, key, default_value.dump());
  for (const auto& [name, _] : spec.items()) {
    ZHSENTI_CHECK_ARG(name == "min" || name == "max" || name == "log",
                      "{}: '{}': unknown range field '{}' (a range has \"min\", \"max\" and "
                      "optionally \"log\")",
                      source, key, name);
  }
  SpaceDimension d;
  d.key = key;
  d.integer = default_value.is_number_integer();
  for (const char* end : {"min", "max"}) {
    const auto it = spec.find(end);
    ZHSENTI_CHECK_ARG(it != spec.end(), "{}: '{}': a range needs \"{}\"", source, key, end);
    ZHSENTI_CHECK_ARG(d.integer ? it->is_number_integer() : it->is_number(),
                      "{}: '{}': \"{}\" must be {}, got {}", source, key, end,
                      expected_type(default_value), it->dump());
  }
  d.min = spec["min"].get<double>();
  d.max = spec["max"].get<double>();
  ZHSENTI_CHECK_ARG(d.min <= d.max, "{}: '{}': min {} is above max {}", source, key,
                    spec["min"].dump(), spec["max"].dump());
  if (const auto it = spec.find("log"); it != spec.end()) {
    ZHSENTI_CHECK_ARG(it->is_boolean(), "{}: '{}': \"log\" must be true or false, got {}", source,
                      key, it->dump());
    d.log = it->get<bool>();
  }
  ZHSENTI_CHECK_ARG(!d.log || d.min > 0, "{}: '{}': a log range needs min > 0, got {}", source, key,
                    spec["min"].dump());
  return d;
}

SpaceDimension parse_choices(const std::string& source, const std::string& key, const json& spec,
                             const json& default_value) {
  ZHSENTI_CHECK_ARG(!spec.empty(), "{}: '{}': the list of choices is empty", source, key);
  SpaceDimension d;
  d.key = key;
  for (const json& v : spec) {
    ZHSENTI_CHECK_ARG(same_type(v, default_value),
                      "{}: '{}': choice {} is not {} (each choice is one value of the setting)",
                      source, key, v.dump(), expected_type(default_value));
    ZHSENTI_CHECK_ARG(std::find(d.choices.begin(), d.choices.end(), v) == d.choices.end(),
                      "{}: '{}': choice {} is listed twice", source, key, v.dump());
    d.choices.push_back(v);
  }
  return d;
}

json range_end(const SpaceDimension& d, double v) {
  return d.integer ? json(static_cast<std::int64_t>(v)) : json(v);
}

}  // namespace

SearchSpace SearchSpace::from_json(const json& j, const std::string& source) {
  ZHSENTI_CHECK_ARG(j.is_object(), "{}: a search space must be a JSON object, got {}", source,
                    j.type_name());
  ZHSENTI_CHECK_ARG(!j.empty(), "{}: the search space has no settings to search", source);
  const TrainConfig base;
  const json defaults = base.to_json();
  SearchSpace space;
  space.source_ = source;
  for (const auto& [key, spec] : j.items()) {  // nlohmann orders keys, so dims_ is sorted
    const auto def = defaults.find(key);
    ZHSENTI_CHECK_ARG(def != defaults.end(), "{}: unknown setting '{}'{}", source, key,
                      did_you_mean(key, defaults));
    if (const auto it = unsearchable().find(key); it != unsearchable().end()) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("{}: '{}' cannot be searched: {}", source, key, it->second));
    }
    if (spec.is_array()) {
      space.dims_.push_back(parse_choices(source, key, spec, *def));
    } else if (spec.is_object()) {
      space.dims_.push_back(parse_range(source, key, spec, *def));
    } else {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("{}: '{}' must be a list of choices or a range {{\"min\", \"max\"}}, "
                              "got {} (a fixed value belongs in the base --config)",
                              source, key, spec.dump()));
    }
  }
  return space;
}

SearchSpace SearchSpace::load(const std::filesystem::path& path) {
  json j;
  try {
    j = json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kParse, fmt::format("{}: {}", path.string(), e.what()));
  }
  return from_json(j, path.string());
}

void SearchSpace::check_against(const TrainConfig& base) const {
  for (const auto& d : dims_) {
    std::vector<json> values = d.choices;
    if (values.empty()) values = {range_end(d, d.min), range_end(d, d.max)};
    for (const json& v : values) {
      try {
        apply(base, json{{d.key, v}}).validate();
      } catch (const Error& e) {
        throw Error(ErrorCode::kInvalidArgument,
                    fmt::format("{}: '{}' value {}: {}", source_, d.key, v.dump(), e.what()));
      }
    }
  }
}

json SearchSpace::sample(Rng& rng) const {
  json point = json::object();
  for (const auto& d : dims_) {
    if (!d.choices.empty()) {
      point[d.key] = d.choices[rng.uniform_int(d.choices.size())];
    } else if (d.integer) {
      const auto lo = static_cast<std::int64_t>(d.min), hi = static_cast<std::int64_t>(d.max);
      std::int64_t v;
      if (d.log) {
        // Log-uniform over the integers: [lo, hi + 1) in log space, floored.
        const double u = rng.uniform_double();
        const double x = std::exp(std::log(d.min) + u * (std::log(d.max + 1) - std::log(d.min)));
        v = std::clamp(static_cast<std::int64_t>(std::floor(x)), lo, hi);
      } else {
        v = lo +
            static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(hi - lo) + 1));
      }
      point[d.key] = v;
    } else {
      const double u = rng.uniform_double();
      const double x = d.log ? std::exp(std::log(d.min) + u * (std::log(d.max) - std::log(d.min)))
                             : d.min + u * (d.max - d.min);
      point[d.key] = std::clamp(round_significant(x, 3), d.min, d.max);
    }
  }
  return point;
}

TrainConfig SearchSpace::apply(const TrainConfig& base, const json& point) {
  json j = base.to_json();
  for (const auto& [key, value] : point.items()) j[key] = value;
  return TrainConfig::from_json(j);
}

std::size_t SearchSpace::size() const {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  std::size_t n = 1;
  for (const auto& d : dims_) {
    std::size_t k;
    if (!d.choices.empty()) {
      k = d.choices.size();
    } else if (d.integer) {
      const double span = d.max - d.min + 1;
      k = span >= static_cast<double>(kMax) ? kMax : static_cast<std::size_t>(span);
    } else if (d.min == d.max) {
      k = 1;
    } else {
      return 0;
    }
    n = n > kMax / k ? kMax : n * k;
  }
  return n;
}

json SearchSpace::to_json() const {
  json j = json::object();
  for (const auto& d : dims_) {
    if (!d.choices.empty()) {
      j[d.key] = d.choices;
    } else {
      j[d.key] = {{"min", range_end(d, d.min)}, {"max", range_end(d, d.max)}, {"log", d.log}};
    }
  }
  return j;
}

}  // namespace zhsenti::train
