#pragma once
// Successive halving over epochs (Jamieson & Talwalkar 2016; the rungs of Hyperband's most
// aggressive bracket). Every trial trains to the first rung's epochs; of the n trials that
// finished a rung the best n/eta (at least one) continue to the next rung; the last rung is
// the full epoch budget. The rungs are the budget divided by powers of eta, e.g. 1, 3, 10
// epochs for --min-epochs 1 --epochs 10 --eta 3: 9 trials cost 9 + 3*2 + 7 = 22 epochs
// instead of 90.
//
// The schedule is synchronous: a rung's promotions are decided only once every trial in it
// has a result, so the outcome depends on the scores alone, never on timing, and a resumed
// search recomputes the same decisions from the stored scores.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::train {

// What the scheduler knows of one trial.
struct TrialProgress {
  std::vector<double> scores;  // dev score after each rung completed so far (higher is better)
  bool failed = false;         // a failed trial is never run again nor promoted
};

enum class TrialStatus {
  kPending,   // waiting for its next rung (not started, or its rung is still being decided)
  kPromoted,  // chosen for a rung it has not run yet
  kStopped,   // not chosen for the next rung
  kFinished,  // completed the last rung
  kFailed,
};

std::string_view trial_status_name(TrialStatus s);

struct WorkItem {
  std::size_t trial = 0;  // index into the progress vector
  std::size_t rung = 0;
};

class HalvingSchedule {
 public:
  // Throws Error(kInvalidArgument) unless 1 <= min_epochs <= max_epochs and eta >= 2.
  HalvingSchedule(int min_epochs, int max_epochs, int eta);

  // Epochs at the end of each rung, increasing; the last is max_epochs.
  const std::vector<int>& rungs() const { return rungs_; }
  int eta() const { return eta_; }

  // How many of n trials that completed a rung go on to the next one.
  std::size_t promoted(std::size_t n) const;

  // The trials that train in `rung`, best first (rung 0: every trial that has not failed, in
  // index order). Empty while an earlier rung is still being decided.
  std::vector<std::size_t> members(const std::vector<TrialProgress>& trials,
                                   std::size_t rung) const;

  // The next rung for a trial to train, or nothing when the search is complete. Within a
  // rung the best-ranked trials go first, so a search cut short by its time budget has spent
  // it on the most promising ones.
  std::optional<WorkItem> next(const std::vector<TrialProgress>& trials) const;

  TrialStatus status(const std::vector<TrialProgress>& trials, std::size_t trial) const;

 private:
  std::vector<int> rungs_;
  int eta_;
};

}  // namespace zhsenti::train
