#pragma once
// Drift of live traffic against the model's reference distributions (reference.json, written
// by `train` from the dev set): a sliding window of the last N predicted texts, compared with
// the population stability index PSI = sum_i (live_i - ref_i) * ln(live_i / ref_i).
// Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 large shift.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zhsenti/predict/reference.h"

namespace zhsenti::serve {

using predict::Reference;

double psi(const std::vector<double>& expected, const std::vector<double>& actual);

struct DriftScores {
  std::size_t samples = 0;
  bool enough = false;  // samples >= min_samples; the scores below are meaningful only then
  double label_psi = 0, confidence_psi = 0, length_psi = 0;
  double live_oov_rate = 0, reference_oov_rate = 0;
  std::vector<double> live_label_mix;
  double max_psi() const;
};

class DriftMonitor {
 public:
  DriftMonitor(std::optional<Reference> reference, std::size_t window, std::size_t min_samples,
               double threshold);

  bool has_reference() const { return reference_.has_value(); }
  const std::optional<Reference>& reference() const { return reference_; }

  // One predicted text: arg-max label, its probability, encoded length, OOV counts.
  // Returns true when this observation pushed the drift above the threshold (log once).
  bool observe(int label, double confidence, std::int64_t length, std::int64_t tokens,
               std::int64_t unknown);
  DriftScores scores() const;
  double threshold() const { return threshold_; }

 private:
  struct Obs {
    std::uint8_t label, confidence_bin, length_bin;
    std::uint32_t tokens, unknown;
  };
  DriftScores scores_locked() const;

  std::optional<Reference> reference_;
  std::size_t window_, min_samples_;
  double threshold_;
  mutable std::mutex mutex_;
  std::vector<Obs> ring_;
  std::size_t next_ = 0;
  std::vector<std::int64_t> label_counts_, confidence_counts_, length_counts_;
  std::int64_t tokens_ = 0, unknown_ = 0;
  std::uint64_t observed_ = 0;
  bool alarmed_ = false;
};

}  // namespace zhsenti::serve
