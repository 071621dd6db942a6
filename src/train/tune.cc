#include "zhsenti/train/tune.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/dist/same_settings.h"
#include "zhsenti/train/trainer.h"
#include "zhsenti/train/tune_schedule.h"

namespace zhsenti::train {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr int kStateFormat = 1;
constexpr const char* kStateFile = "tune_state.json";
// Fork indices of Rng(seed): trial i draws its point from stream kPointStream + i and its
// seed from kSeedStream + i, so trial i is the same whatever the number of trials.
constexpr std::uint64_t kPointStream = 1;
constexpr std::uint64_t kSeedStream = 1'000'000;
// Draws per trial to find a point that is new and valid; a space with fewer distinct points
// than trials is capped up front, so running out means the valid points are exhausted.
constexpr int kSampleAttempts = 200;

// --out is the search's own directory: new, empty, or holding a search (its tune_state.json).
// trials/ and best/ in it are replaced and removed, so nothing else may be taken.
void check_tune_out(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(out, ec))) return;
  if (fs::is_directory(out, ec) &&
      (fs::is_empty(out, ec) || fs::is_regular_file(out / kStateFile, ec))) {
    return;
  }
  throw Error(ErrorCode::kInvalidArgument,
              fmt::format("--out {}: exists and is not a tune directory (it holds no {})",
                          out.string(), kStateFile));
}

fs::path trial_dir(const fs::path& out, int id) {
  return out / "trials" / fmt::format("{:03d}", id);
}

void remove_trial_files(const fs::path& out, int id) {
  std::error_code ec;
  fs::remove_all(trial_dir(out, id), ec);
  fs::remove_all(checkpoint_dir(trial_dir(out, id)), ec);
}

std::string describe(const json& point) {
  std::string s;
  for (const auto& [k, v] : point.items())
    s += fmt::format("{}{}={}", s.empty() ? "" : " ", k, value_text(v));
  return s;
}

// What must match for a stored search to be continued.
json settings_json(const TuneOptions& o) {
  return {{"base", o.base.to_json()},
          {"space", o.space.to_json()},
          {"trials", o.trials},
          {"min_epochs", o.min_epochs},
          {"eta", o.eta}};
}

json at_dotted(const json& j, const std::string& dotted) {
  const json* node = &j;
  std::size_t begin = 0;
  while (begin <= dotted.size() && !dotted.empty()) {
    const std::size_t end = std::min(dotted.find('.', begin), dotted.size());
    const std::string key = dotted.substr(begin, end - begin);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    begin = end + 1;
  }
  return *node;
}

// The first differing key, dotted ("base.hidden"), for the mismatch message.
std::string first_difference(const json& a, const json& b, const std::string& prefix = "") {
  if (a.is_object() && b.is_object()) {
    json keys = json::object();
    for (const auto& [k, _] : a.items()) keys[k] = true;
    for (const auto& [k, _] : b.items()) keys[k] = true;
    for (const auto& [k, _] : keys.items()) {
      const std::string name = prefix.empty() ? k : prefix + "." + k;
      if (!a.contains(k) || !b.contains(k)) return name;
      if (a[k] != b[k]) return first_difference(a[k], b[k], name);
    }
  }
  return prefix;
}

void check_data(const TrainConfig& base) {
  // A data error would otherwise fail every trial in turn; reading is cheap next to training.
  // Under MPI each rank checks its shard of the rows, so a bad row is reported by one rank.
  data::ReadOptions read;
  read.text_col = base.text_col;
  read.label_col = base.label_col;
  read.on_bad_row = base.skip_bad_rows ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  read.skip_hint = "--skip-bad-rows";
  read.shard_index = static_cast<std::size_t>(dist::rank());
  read.shard_count = static_cast<std::size_t>(dist::size());
  for (const auto& path : {base.train_path, base.dev_path}) {
    std::int64_t rows = static_cast<std::int64_t>(data::read_dataset(path, read).examples.size());
    dist::allreduce_sum(std::span(&rows, 1));
    ZHSENTI_CHECK_ARG(rows > 0, "{}: no rows", path);
  }
}

std::vector<TrialRecord> sample_trials(const TuneOptions& o) {
  const Rng root(o.base.seed);
  auto wanted = static_cast<std::size_t>(o.trials);
  if (const std::size_t n = o.space.size(); n > 0 && n < wanted) {
    log::warn("{}: the space has only {} distinct points, so {} trials instead of {}",
              o.space.source(), n, n, wanted);
    wanted = n;
  }
  std::vector<TrialRecord> trials;
  std::string last_error;
  for (std::size_t i = 0; i < wanted; ++i) {
    Rng rng = root.fork(kPointStream + i);
    std::optional<json> point;
    for (int attempt = 0; attempt < kSampleAttempts && !point; ++attempt) {
      json p = o.space.sample(rng);
      bool seen = false;
      for (const auto& t : trials) seen = seen || t.values == p;
      if (seen) continue;
      try {  // settings that are only invalid together, e.g. unlabelled texts without pre-training
        SearchSpace::apply(o.base, p).validate();
      } catch (const Error& e) {
        last_error = e.what();
        continue;
      }
      point = std::move(p);
    }
    if (!point) {
      log::warn("{}: no new valid point after {} draws; stopping at {} trials", o.space.source(),
                kSampleAttempts, trials.size());
      break;
    }
    TrialRecord t;
    t.id = static_cast<int>(i) + 1;  // trial 1 is trials/001
    t.seed = root.fork(kSeedStream + i).uniform_int(1'000'000'000);
    t.values = std::move(*point);
    trials.push_back(std::move(t));
  }
  ZHSENTI_CHECK_ARG(!trials.empty(), "{}: no valid point in the space ({})", o.space.source(),
                    last_error);
  return trials;
}

void save_state(const fs::path& out, const json& settings, const std::vector<TrialRecord>& trials) {
  json j{{"format", kStateFormat}, {"settings", settings}, {"trials", json::array()}};
  for (const auto& t : trials) j["trials"].push_back(t.to_json());
  write_file_atomic(out / kStateFile, j.dump(1));
}

std::optional<std::vector<TrialRecord>> load_state(const fs::path& out, const json& settings) {
  const fs::path path = out / kStateFile;
  if (!fs::exists(path)) return std::nullopt;
  std::vector<TrialRecord> trials;
  json saved;
  try {
    const json j = json::parse(read_file(path));
    ZHSENTI_CHECK_ARG(j.at("format").get<int>() == kStateFormat,
                      "{}: state format {} is not {}; use another --out", path.string(),
                      j.at("format").dump(), kStateFormat);
    saved = j.at("settings");
    for (const auto& t : j.at("trials")) trials.push_back(TrialRecord::from_json(t));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: {}", path.string(), e.what()));
  }
  if (saved != settings) {
    const std::string key = first_difference(saved, settings);
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: holds a search made with other settings ({} was {}, now {}); "
                            "run the same command to continue it, or choose another --out",
                            out.string(), key, at_dotted(saved, key).dump(),
                            at_dotted(settings, key).dump()));
  }
  return trials;
}

std::vector<TrialProgress> progress_of(const std::vector<TrialRecord>& trials) {
  std::vector<TrialProgress> p(trials.size());
  for (std::size_t i = 0; i < trials.size(); ++i) {
    for (const auto& r : trials[i].rungs) p[i].scores.push_back(r.score);
    p[i].failed = !trials[i].error.empty();
  }
  return p;
}

// Under MPI a trial is one process's training on whichever rank runs it (dist::LocalWorld).
RungResult run_rung(const TuneOptions& o, const TrialRecord& trial, const HalvingSchedule& schedule,
                    std::size_t rung, const fs::path& out) {
  const dist::LocalWorld alone;
  TrainConfig config = SearchSpace::apply(o.base, trial.values);
  config.seed = trial.seed;
  const fs::path dir = trial_dir(out, trial.id);
  TrainOptions train;
  // Also for rung 0: a checkpoint there means an interrupted run, continued epoch-exactly.
  train.resume = fs::exists(checkpoint_dir(dir));
  train.keep_checkpoint = rung + 1 < schedule.rungs().size();
  train.stop_after_epoch = schedule.rungs()[rung];
  train.show_progress = o.show_progress;
  const auto t0 = std::chrono::steady_clock::now();
  const TrainSummary s = train_model(config, dir, train);
  RungResult r;
  r.epochs = schedule.rungs()[rung];
  r.epochs_run = s.epochs_run;
  r.best_epoch = s.best_epoch;
  r.score = s.best_score;
  r.accuracy = s.dev_metrics.accuracy;
  r.macro_f1 = s.dev_metrics.macro.f1;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

void log_rung(const TuneOptions& o, const TrialRecord& trial, std::size_t rung) {
  const RungResult& r = trial.rungs[rung];
  log::info("tune: trial {} rung {}: dev {} {:.4f} (best epoch {} of {}), {:.1f} s", trial.id,
            rung + 1, o.base.metric, r.score, r.best_epoch, r.epochs_run, r.seconds);
}

// Every rung the schedule can run now, in the order one process runs them: the remaining
// members of the rung being trained (a rung is decided only once all of them have a result).
std::vector<WorkItem> runnable(const HalvingSchedule& schedule,
                               const std::vector<TrialRecord>& trials) {
  std::vector<WorkItem> batch;
  auto progress = progress_of(trials);
  while (const auto work = schedule.next(progress)) {
    if (!batch.empty() && work->rung != batch.front().rung) break;
    batch.push_back(*work);
    progress[work->trial].scores.push_back(0);  // taken: the next one please
  }
  return batch;
}

// Rank 0's trials (or its error) on every rank.
void share_trials(std::vector<TrialRecord>& trials, const std::string& trouble) {
  if (!dist::distributed()) return;
  json j = json::object();
  if (!trouble.empty()) j["error"] = trouble;
  j["trials"] = json::array();
  for (const auto& t : trials) j["trials"].push_back(t.to_json());
  j = json::parse(dist::broadcast(dist::rank() == 0 ? j.dump() : std::string()));
  if (j.contains("error")) throw Error(ErrorCode::kInvalidArgument, j["error"].get<std::string>());
  trials.clear();
  for (const auto& t : j["trials"]) trials.push_back(TrialRecord::from_json(t));
}

// Every rank's new results (the trials in `mine` it ran) on every rank; returns the indices
// of the trials other ranks ran. `budget_spent` becomes true on all ranks if on any.
std::vector<std::size_t> merge_results(std::vector<TrialRecord>& trials,
                                       const std::vector<std::size_t>& mine, bool& budget_spent) {
  json j = {{"budget_spent", budget_spent}, {"trials", json::array()}};
  for (const std::size_t i : mine) j["trials"].push_back({{"index", i}, {"record", trials[i].to_json()}});
  const auto all = dist::allgather(j.dump());
  std::vector<std::size_t> theirs;
  for (std::size_t r = 0; r < all.size(); ++r) {
    const json got = json::parse(all[r]);
    budget_spent = budget_spent || got.at("budget_spent").get<bool>();
    if (r == static_cast<std::size_t>(dist::rank())) continue;
    for (const auto& t : got.at("trials")) {
      const auto i = t.at("index").get<std::size_t>();
      trials.at(i) = TrialRecord::from_json(t.at("record"));
      theirs.push_back(i);
    }
  }
  std::sort(theirs.begin(), theirs.end());
  return theirs;
}

TuneReport make_report(const TuneOptions& o, const HalvingSchedule& schedule,
                       std::vector<TrialRecord> trials) {
  TuneReport report;
  report.metric = o.base.metric;
  report.rungs = schedule.rungs();
  report.eta = o.eta;
  for (const auto& d : o.space.dimensions()) report.keys.push_back(d.key);
  const auto progress = progress_of(trials);
  for (std::size_t i = 0; i < trials.size(); ++i) {
    trials[i].status = trial_status_name(schedule.status(progress, i));
  }
  report.complete = !schedule.next(progress).has_value();
  for (std::size_t i : rank_trials(trials)) {
    if (!trials[i].rungs.empty() && trials[i].error.empty()) {
      report.best = trials[i].id;
      break;
    }
  }
  report.trials = std::move(trials);
  return report;
}

void write_outputs(const TuneOptions& o, const TuneReport& report, const fs::path& out) {
  write_file_atomic(out / "results.csv", results_csv(report));
  write_file_atomic(out / "results.json", results_json(report).dump(1) + "\n");
  if (report.best < 0) return;
  const TrialRecord& best =
      *std::find_if(report.trials.begin(), report.trials.end(),
                    [&](const TrialRecord& t) { return t.id == report.best; });
  json config = SearchSpace::apply(o.base, best.values).to_json();
  // float settings as their shortest decimal (0.2, not 0.20000000298023224): the same float
  // when read back, and a file people read and edit.
  for (auto& [k, v] : config.items()) {
    if (!v.is_number_float()) continue;
    const double d = v.get<double>();
    const auto f = static_cast<float>(d);
    if (static_cast<double>(f) == d) v = std::stod(fmt::format("{}", f));
  }
  config["seed"] = best.seed;
  write_file_atomic(out / "best_config.json", config.dump(2) + "\n");
  const fs::path model = trial_dir(out, best.id);
  if (!fs::exists(model / "config.json")) {
    log::warn("{}: the best trial's model is missing; best/ not updated", model.string());
    return;
  }
  AtomicDirWriter writer(out / "best");
  fs::copy(model, writer.staging(), fs::copy_options::recursive);
  writer.commit();
}

}  // namespace

TuneResult run_tune(const TuneOptions& o, const fs::path& out) {
  ZHSENTI_CHECK_ARG(o.trials >= 1, "--trials must be >= 1, got {}", o.trials);
  ZHSENTI_CHECK_ARG(o.budget_minutes >= 0, "--budget-minutes must be >= 0, got {}",
                    o.budget_minutes);
  o.base.validate();
  ZHSENTI_CHECK_ARG(!o.base.dev_path.empty(),
                    "tune needs --dev: trials have their own seeds, so held-out parts of "
                    "--train would differ between them and their scores would not compare");
  const HalvingSchedule schedule(o.min_epochs, o.base.epochs, o.eta);
  o.space.check_against(o.base);
  check_data(o.base);

  const json settings = settings_json(o);
  json run = o.base.to_json();  // flat, so that a mismatch names the setting
  for (const auto& [k, v] : settings.items()) {
    if (k != "base") run[k] = v;
  }
  run["out"] = out.string();
  run["budget_minutes"] = o.budget_minutes;
  dist::check_same_settings(run);
  const bool writer = dist::rank() == 0;
  std::vector<TrialRecord> trials;
  std::string trouble;  // rank 0's error, for every rank to throw
  if (writer) {
    try {
      check_tune_out(out);
      fs::create_directories(out);
      if (auto stored = load_state(out, settings)) {
        trials = std::move(*stored);
        log::info("tune: continuing the search in {}", out.string());
      } else {
        trials = sample_trials(o);
        save_state(out, settings, trials);
      }
    } catch (const Error& e) {
      if (!dist::distributed()) throw;
      trouble = e.what();
    }
  }
  share_trials(trials, trouble);
  log::info("tune: {} trials, rungs at {} epochs, the best 1/{} of each rung continue{}",
            trials.size(), fmt::join(schedule.rungs(), ", "), o.eta,
            dist::distributed() ? fmt::format(", spread over {} ranks", dist::size())
                                : std::string());

  // Rung runs of the whole search if no trial fails, for "[done/total]" in the log.
  std::size_t planned = 0;
  for (std::size_t k = 0, n = trials.size(); k < schedule.rungs().size();
       ++k, n = schedule.promoted(n)) {
    planned += n;
  }
  auto done = [&] {
    std::size_t d = 0;
    for (const auto& t : trials) d += t.rungs.size() + (t.error.empty() ? 0 : 1);
    return d;
  };
  // Rank 0 stores what it knows after each rung it runs and after each batch.
  auto persist = [&] {
    if (!writer) return;
    save_state(out, settings, trials);
    // A stopped trial can never continue (the settings are fixed), so its files only cost disk.
    const auto progress = progress_of(trials);
    for (std::size_t i = 0; i < trials.size(); ++i) {
      const TrialStatus s = schedule.status(progress, i);
      if (s == TrialStatus::kStopped || s == TrialStatus::kFailed)
        remove_trial_files(out, trials[i].id);
    }
  };
  TuneResult result;
  result.out = out;
  const auto start = std::chrono::steady_clock::now();
  const auto ranks = static_cast<std::size_t>(dist::size());
  const auto rank = static_cast<std::size_t>(dist::rank());
  for (std::vector<WorkItem> batch; !(batch = runnable(schedule, trials)).empty();) {
    // Item k of the batch is rank k mod N's: the rungs of one batch are independent, and
    // their results are merged before the next rung is decided.
    std::vector<std::size_t> mine;
    for (std::size_t k = rank; k < batch.size(); k += ranks) {
      const double minutes =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
      if (o.budget_minutes > 0 && minutes >= o.budget_minutes) {
        result.budget_spent = true;
        break;
      }
      const WorkItem& work = batch[k];
      TrialRecord& trial = trials[work.trial];
      const int epochs = schedule.rungs()[work.rung];
      log::info("tune [{}/{}]: trial {} of {}, rung {} of {} (to epoch {}): {}", done() + 1,
                planned, trial.id, trials.size(), work.rung + 1, schedule.rungs().size(), epochs,
                describe(trial.values));
      try {
        trial.rungs.push_back(run_rung(o, trial, schedule, work.rung, out));
        log_rung(o, trial, work.rung);
      } catch (const Error& e) {
        trial.error = e.what();
        log::warn("tune: trial {} failed: {}", trial.id, trial.error);
      }
      mine.push_back(work.trial);
      ++result.rungs_run;
      persist();
    }
    if (dist::distributed()) {
      const auto theirs = merge_results(trials, mine, result.budget_spent);
      for (const std::size_t i : theirs) {
        if (trials[i].error.empty()) {
          log_rung(o, trials[i], trials[i].rungs.size() - 1);
        } else {
          log::warn("tune: trial {} failed: {}", trials[i].id, trials[i].error);
        }
      }
      result.rungs_run += static_cast<int>(theirs.size());
      persist();
    }
    if (result.budget_spent) {
      log::warn("tune: the budget of {} minutes is spent; run the same command to continue",
                o.budget_minutes);
      break;
    }
  }

  result.report = make_report(o, schedule, std::move(trials));
  if (writer) write_outputs(o, result.report, out);
  if (result.report.best < 0 && result.report.complete) {
    const TrialRecord& first = result.report.trials.front();
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("every trial failed (results in {}); trial {}: {}", out.string(),
                            first.id, first.error));
  }
  return result;
}

}  // namespace zhsenti::train
