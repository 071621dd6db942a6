#include "zhsenti/train/tune_results.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "zhsenti/core/error.h"

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string join_csv(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_cell(cells[i]);
  }
  return line + "\n";
}

int last_epochs(const TrialRecord& t) { return t.rungs.empty() ? 0 : t.rungs.back().epochs_run; }

}  // namespace

json RungResult::to_json() const {
  return {{"epochs", epochs},  {"epochs_run", epochs_run}, {"best_epoch", best_epoch},
          {"score", score},    {"accuracy", accuracy},     {"macro_f1", macro_f1},
          {"seconds", seconds}};
}

RungResult RungResult::from_json(const json& j) {
  RungResult r;
  r.epochs = j.at("epochs").get<int>();
  r.epochs_run = j.at("epochs_run").get<int>();
  r.best_epoch = j.at("best_epoch").get<int>();
  r.score = j.at("score").get<double>();
  r.accuracy = j.at("accuracy").get<double>();
  r.macro_f1 = j.at("macro_f1").get<double>();
  r.seconds = j.at("seconds").get<double>();
  return r;
}

double TrialRecord::seconds() const {
  return std::accumulate(rungs.begin(), rungs.end(), 0.0,
                         [](double s, const RungResult& r) { return s + r.seconds; });
}

json TrialRecord::to_json() const {
  json j{{"id", id}, {"seed", seed}, {"values", values}, {"rungs", json::array()}};
  for (const auto& r : rungs) j["rungs"].push_back(r.to_json());
  if (!error.empty()) j["error"] = error;
  return j;
}

TrialRecord TrialRecord::from_json(const json& j) {
  TrialRecord t;
  t.id = j.at("id").get<int>();
  t.seed = j.at("seed").get<unsigned long long>();
  t.values = j.at("values");
  for (const auto& r : j.at("rungs")) t.rungs.push_back(RungResult::from_json(r));
  if (const auto it = j.find("error"); it != j.end()) t.error = it->get<std::string>();
  return t;
}

std::vector<std::size_t> rank_trials(const std::vector<TrialRecord>& trials) {
  std::vector<std::size_t> order(trials.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TrialRecord &x = trials[a], &y = trials[b];
    if (x.rungs.empty() != y.rungs.empty()) return y.rungs.empty();
    if (x.rungs.empty()) return x.id < y.id;
    if (x.score() != y.score()) return x.score() > y.score();
    if (x.rungs.size() != y.rungs.size()) return x.rungs.size() > y.rungs.size();
    return x.id < y.id;
  });
  return order;
}

std::string value_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string results_csv(const TuneReport& report) {
  std::vector<std::string> header = {"trial",    "status",   "rung",    "epochs", "score",
                                     "accuracy", "macro_f1", "seconds", "seed"};
  for (const auto& k : report.keys) header.push_back(k);
  for (int e : report.rungs) header.push_back(fmt::format("score@{}", e));
  header.push_back("error");
  std::string out = join_csv(header);
  for (const auto& t : report.trials) {
    const bool has = !t.rungs.empty();
    std::vector<std::string> row = {std::to_string(t.id),
                                    t.status,
                                    std::to_string(t.rungs.size()),
                                    std::to_string(last_epochs(t)),
                                    has ? fmt::format("{:.6f}", t.score()) : "",
                                    has ? fmt::format("{:.6f}", t.rungs.back().accuracy) : "",
                                    has ? fmt::format("{:.6f}", t.rungs.back().macro_f1) : "",
                                    fmt::format("{:.2f}", t.seconds()),
                                    std::to_string(t.seed)};
    for (const auto& k : report.keys) {
      row.push_back(t.values.contains(k) ? value_text(t.values.at(k)) : "");
    }
    for (std::size_t r = 0; r < report.rungs.size(); ++r) {
      row.push_back(r < t.rungs.size() ? fmt::format("{:.6f}", t.rungs[r].score) : "");
    }
    row.push_back(t.error);
    out += join_csv(row);
  }
  return out;
}

json results_json(const TuneReport& report) {
  json j{{"metric", report.metric},
         {"eta", report.eta},
         {"rungs", report.rungs},
         {"searched", report.keys},
         {"complete", report.complete},
         {"best_trial", report.best >= 0 ? json(report.best) : json(nullptr)},
         {"trials", json::array()}};
  for (const auto& t : report.trials) {
    json row = t.to_json();
    row["status"] = t.status;
    row["rungs_completed"] = t.rungs.size();
    row["epochs"] = last_epochs(t);
    row["score"] = t.rungs.empty() ? json(nullptr) : json(t.score());
    row["seconds"] = t.seconds();
    j["trials"].push_back(std::move(row));
  }
  return j;
}

std::string results_table(const TuneReport& report, std::size_t max_rows) {
  std::vector<std::string> header = {"rank",   "trial",    "status",   "rung",
                                     "epochs", "accuracy", "macro-F1", "seconds"};
  for (const auto& k : report.keys) header.push_back(k);
  std::vector<std::vector<std::string>> rows;
  const auto order = rank_trials(report.trials);
  for (std::size_t i = 0; i < order.size() && (max_rows == 0 || i < max_rows); ++i) {
    const TrialRecord& t = report.trials[order[i]];
    const bool has = !t.rungs.empty();
    std::vector<std::string> row = {has ? std::to_string(i + 1) : "-",
                                    std::to_string(t.id),
                                    t.status,
                                    fmt::format("{}/{}", t.rungs.size(), report.rungs.size()),
                                    std::to_string(last_epochs(t)),
                                    has ? fmt::format("{:.4f}", t.rungs.back().accuracy) : "",
                                    has ? fmt::format("{:.4f}", t.rungs.back().macro_f1) : "",
                                    fmt::format("{:.1f}", t.seconds())};
    for (const auto& k : report.keys) {
      row.push_back(t.values.contains(k) ? value_text(t.values.at(k)) : "");
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      s += fmt::format("{:<{}}", cells[c], c + 1 < cells.size() ? width[c] + 2 : 0);
    }
    return s + "\n";
  };
  std::string out =
      fmt::format("trials ranked by dev {} (rungs at {} epochs){}\n", report.metric,
                  fmt::join(report.rungs, ", "), report.complete ? "" : "; search not complete");
  out += line(header);
  for (const auto& row : rows) out += line(row);
  for (const auto& t : report.trials) {
    if (!t.error.empty()) out += fmt::format("trial {} failed: {}\n", t.id, t.error);
  }
  return out;
}

}  // namespace zhsenti::train
