#pragma once
// The record of a `zhsenti tune` search: one row per trial (its sampled settings, seed and
// the dev result after each rung) and its three renderings: results.csv, results.json and
// the ranked table printed on the console.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zhsenti::train {

struct RungResult {
  int epochs = 0;      // the rung's epoch budget
  int epochs_run = 0;  // epochs trained so far (fewer than `epochs` after early stopping)
  int best_epoch = 0;
  double score = 0;  // dev value of the search metric at best_epoch
  double accuracy = 0;
  double macro_f1 = 0;
  double seconds = 0;  // wall time of this rung (data preparation and export included)

  nlohmann::json to_json() const;
  static RungResult from_json(const nlohmann::json& j);
};

struct TrialRecord {
  int id = 0;
  unsigned long long seed = 0;
  nlohmann::json values = nlohmann::json::object();  // the sampled point
  std::vector<RungResult> rungs;                     // one per completed rung
  std::string error;                                 // non-empty: the trial failed
  std::string status;  // pending | promoted | stopped | finished | failed (derived, not stored)

  double score() const { return rungs.empty() ? 0 : rungs.back().score; }
  double seconds() const;

  // The state-file form (no status: it follows from the scores).
  nlohmann::json to_json() const;
  static TrialRecord from_json(const nlohmann::json& j);
};

struct TuneReport {
  std::string metric;  // accuracy | macro_f1
  std::vector<int> rungs;
  int eta = 0;
  std::vector<std::string> keys;  // the searched settings, in column order
  std::vector<TrialRecord> trials;
  int best = -1;  // trial id, -1 when no trial has a result yet
  bool complete = false;
};

// Trial indices best first: trials with results by score, then by rung reached (a tie goes
// to the trial that trained longer), then by id; trials without results last, by id.
std::vector<std::size_t> rank_trials(const std::vector<TrialRecord>& trials);

// One row per trial in id order: trial, status, rung reached, epochs, score, accuracy,
// macro_f1, seconds, seed, the searched settings, then the score after each rung
// ("score@<epochs>"; empty where the trial did not get that far) and the error, if any.
std::string results_csv(const TuneReport& report);

nlohmann::json results_json(const TuneReport& report);

// The ranked console table (at most max_rows trials; 0: all).
std::string results_table(const TuneReport& report, std::size_t max_rows = 0);

// A value as a table or CSV cell: strings bare, everything else as compact JSON.
std::string value_text(const nlohmann::json& value);

}  // namespace zhsenti::train
