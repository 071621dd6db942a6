#include "zhsenti/train/tune_results.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace zhsenti::train {
namespace {

using json = nlohmann::json;

TrialRecord trial(int id, std::vector<double> scores, json values) {
  TrialRecord t;
  t.id = id;
  t.seed = 100 + static_cast<unsigned long long>(id);
  t.values = std::move(values);
  const int epochs[] = {1, 3, 9};
  for (std::size_t r = 0; r < scores.size(); ++r) {
    RungResult rr;
    rr.epochs = rr.epochs_run = epochs[r];
    rr.best_epoch = epochs[r];
    rr.score = rr.accuracy = scores[r];
    rr.macro_f1 = scores[r] - 0.01;
    rr.seconds = 1.5;
    t.rungs.push_back(rr);
  }
  return t;
}

TuneReport report() {
  TuneReport r;
  r.metric = "accuracy";
  r.rungs = {1, 3, 9};
  r.eta = 3;
  r.keys = {"cell", "user_dicts"};
  r.trials = {trial(1, {0.80}, {{"cell", "gru"}, {"user_dicts", json::array({"a,b.txt"})}}),
              trial(2, {0.85, 0.88}, {{"cell", "lstm"}, {"user_dicts", json::array()}}),
              trial(3, {0.88}, {{"cell", "rnn"}, {"user_dicts", json::array()}}),
              trial(4, {}, {{"cell", "gru"}, {"user_dicts", json::array()}})};
  r.trials[3].error = "boom, \"quoted\"";
  for (auto& t : r.trials) t.status = t.rungs.empty() ? "failed" : "stopped";
  r.best = 2;
  return r;
}

TEST(TuneResults, RankByScoreThenRungReachedThenId) {
  const auto r = report();
  // Trials 2 and 3 tie at 0.88; trial 2 trained longer. Trial 4 has no result.
  EXPECT_EQ(rank_trials(r.trials), (std::vector<std::size_t>{1, 2, 0, 3}));
}

TEST(TuneResults, CsvHasOneQuotedRowPerTrial) {
  const std::string csv = results_csv(report());
  const auto first_line = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(first_line,
            "trial,status,rung,epochs,score,accuracy,macro_f1,seconds,seed,cell,user_dicts,"
            "score@1,score@3,score@9,error");
  EXPECT_NE(
      csv.find("\n1,stopped,1,1,0.800000,0.800000,0.790000,1.50,101,gru,\"[\"\"a,b.txt\"\"]\","
               "0.800000,,,\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\n2,stopped,2,3,0.880000,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",\"boom, \"\"quoted\"\"\"\n"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
}

TEST(TuneResults, JsonAndTableCarryTheSameTrials) {
  const json j = results_json(report());
  EXPECT_EQ(j["best_trial"], 2);
  ASSERT_EQ(j["trials"].size(), 4u);
  EXPECT_EQ(j["trials"][1]["rungs_completed"], 2);
  EXPECT_EQ(j["trials"][1]["rungs"][1]["epochs"], 3);
  EXPECT_TRUE(j["trials"][3]["score"].is_null());
  EXPECT_EQ(TrialRecord::from_json(j["trials"][1]).to_json(), report().trials[1].to_json());

  const std::string table = results_table(report());
  // Ranked: trial 2 first, the failed trial last, its error below the table.
  const auto pos2 = table.find("\n1     2 "), pos3 = table.find("\n2     3 ");
  EXPECT_NE(pos2, std::string::npos) << table;
  EXPECT_NE(pos3, std::string::npos) << table;
  EXPECT_LT(pos2, pos3);
  EXPECT_NE(table.find("trial 4 failed: boom"), std::string::npos) << table;
  EXPECT_NE(table.find("search not complete"), std::string::npos);
}

}  // namespace
}  // namespace zhsenti::train
