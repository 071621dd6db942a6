#include "zhsenti/train/tune_schedule.h"

#include <algorithm>
#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::train {

std::string_view trial_status_name(TrialStatus s) {
  switch (s) {
    case TrialStatus::kPending:
      return "pending";
    case TrialStatus::kPromoted:
      return "promoted";
    case TrialStatus::kStopped:
      return "stopped";
    case TrialStatus::kFinished:
      return "finished";
    case TrialStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

HalvingSchedule::HalvingSchedule(int min_epochs, int max_epochs, int eta) : eta_(eta) {
  ZHSENTI_CHECK_ARG(min_epochs >= 1, "--min-epochs must be >= 1, got {}", min_epochs);
  ZHSENTI_CHECK_ARG(max_epochs >= min_epochs, "--epochs ({}) must be at least --min-epochs ({})",
                    max_epochs, min_epochs);
  ZHSENTI_CHECK_ARG(eta >= 2, "--eta must be >= 2, got {}", eta);
  // Counted down from the full budget so that the last rung is exactly max_epochs: the
  // deepest s with max / eta^s >= min, then max / eta^s, ..., max / eta, max (rounded).
  int depth = 0;
  while (max_epochs / std::pow(eta, depth + 1) >= min_epochs) ++depth;
  for (int k = depth; k >= 0; --k) {
    const int epochs =
        std::max(min_epochs, static_cast<int>(std::lround(max_epochs / std::pow(eta, k))));
    if (rungs_.empty() || epochs > rungs_.back()) rungs_.push_back(epochs);
  }
}

std::size_t HalvingSchedule::promoted(std::size_t n) const {
  return n == 0 ? 0 : std::max<std::size_t>(1, n / static_cast<std::size_t>(eta_));
}

std::vector<std::size_t> HalvingSchedule::members(const std::vector<TrialProgress>& trials,
                                                  std::size_t rung) const {
  std::vector<std::size_t> out;
  if (rung == 0) {
    for (std::size_t t = 0; t < trials.size(); ++t) {
      if (!trials[t].failed || !trials[t].scores.empty()) out.push_back(t);
    }
    return out;
  }
  std::vector<std::size_t> completed;
  for (std::size_t t : members(trials, rung - 1)) {
    const TrialProgress& p = trials[t];
    if (p.scores.size() >= rung) {
      completed.push_back(t);
    } else if (!p.failed) {
      return {};  // rung - 1 is still running: nothing is decided yet
    }
  }
  // Best score first; ties go to the earlier trial, so the order never depends on timing.
  std::stable_sort(completed.begin(), completed.end(), [&](std::size_t a, std::size_t b) {
    return trials[a].scores[rung - 1] > trials[b].scores[rung - 1];
  });
  completed.resize(promoted(completed.size()));
  return completed;
}

std::optional<WorkItem> HalvingSchedule::next(const std::vector<TrialProgress>& trials) const {
  for (std::size_t rung = 0; rung < rungs_.size(); ++rung) {
    // Every earlier rung is fully decided here (else it would have returned), so an empty
    // rung means no trial survived to it.
    const std::vector<std::size_t> m = members(trials, rung);
    if (m.empty()) return std::nullopt;
    for (std::size_t t : m) {
      if (!trials[t].failed && trials[t].scores.size() == rung) return WorkItem{t, rung};
    }
  }
  return std::nullopt;
}

TrialStatus HalvingSchedule::status(const std::vector<TrialProgress>& trials,
                                    std::size_t trial) const {
  const TrialProgress& p = trials[trial];
  if (p.failed) return TrialStatus::kFailed;
  if (p.scores.size() >= rungs_.size()) return TrialStatus::kFinished;
  if (p.scores.empty()) return TrialStatus::kPending;
  const std::size_t rung = p.scores.size();
  bool decided = true;
  for (std::size_t t : members(trials, rung - 1)) {
    if (!trials[t].failed && trials[t].scores.size() < rung) decided = false;
  }
  if (!decided) return TrialStatus::kPending;
  const std::vector<std::size_t> m = members(trials, rung);
  return std::find(m.begin(), m.end(), trial) != m.end() ? TrialStatus::kPromoted
                                                         : TrialStatus::kStopped;
}

}  // namespace zhsenti::train
