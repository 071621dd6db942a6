#include "zhsenti/train/tune_schedule.h"

#include <gtest/gtest.h>

#include <vector>

#include "zhsenti/core/error.h"

namespace zhsenti::train {
namespace {

using Rungs = std::vector<int>;

TEST(TuneSchedule, RungsDivideTheBudgetByPowersOfEta) {
  EXPECT_EQ(HalvingSchedule(1, 10, 3).rungs(), (Rungs{1, 3, 10}));
  EXPECT_EQ(HalvingSchedule(1, 9, 3).rungs(), (Rungs{1, 3, 9}));
  EXPECT_EQ(HalvingSchedule(1, 27, 3).rungs(), (Rungs{1, 3, 9, 27}));
  EXPECT_EQ(HalvingSchedule(3, 10, 3).rungs(), (Rungs{3, 10}));
  EXPECT_EQ(HalvingSchedule(2, 20, 3).rungs(), (Rungs{2, 7, 20}));
  EXPECT_EQ(HalvingSchedule(1, 2, 2).rungs(), (Rungs{1, 2}));
  EXPECT_EQ(HalvingSchedule(1, 2, 3).rungs(), (Rungs{2})) << "no room for a smaller rung";
  EXPECT_EQ(HalvingSchedule(4, 4, 3).rungs(), (Rungs{4}));
  EXPECT_THROW(HalvingSchedule(0, 4, 3), Error);
  EXPECT_THROW(HalvingSchedule(5, 4, 3), Error);
  EXPECT_THROW(HalvingSchedule(1, 4, 1), Error);
}

TEST(TuneSchedule, PromotesTheBestThirdAtEachRung) {
  const HalvingSchedule s(1, 9, 3);
  EXPECT_EQ(s.promoted(9), 3u);
  EXPECT_EQ(s.promoted(2), 1u) << "at least one continues";
  EXPECT_EQ(s.promoted(0), 0u);

  // Run the search to the end, scoring trial t at rung r as t + r (higher id = better).
  std::vector<TrialProgress> trials(9);
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (trial, rung) as run
  while (const auto w = s.next(trials)) {
    ASSERT_EQ(trials[w->trial].scores.size(), w->rung);
    order.emplace_back(w->trial, w->rung);
    trials[w->trial].scores.push_back(static_cast<double>(w->trial + w->rung));
    ASSERT_LT(order.size(), 100u);
  }
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {
      {0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}, {8, 0},  // all, by id
      {8, 1}, {7, 1}, {6, 1},                                                  // best 3, best first
      {8, 2}};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(s.status(trials, 8), TrialStatus::kFinished);
  EXPECT_EQ(s.status(trials, 7), TrialStatus::kStopped);
  EXPECT_EQ(s.status(trials, 0), TrialStatus::kStopped);
}

TEST(TuneSchedule, ARungIsDecidedOnlyWhenAllItsTrialsHaveResults) {
  const HalvingSchedule s(1, 4, 2);  // rungs 1, 2, 4
  std::vector<TrialProgress> trials(4);
  trials[0].scores = {0.9};
  trials[1].scores = {0.5};
  trials[2].scores = {0.7};
  // Trial 3 has not run yet: nothing is promoted, and it is what runs next.
  EXPECT_EQ(s.status(trials, 0), TrialStatus::kPending);
  EXPECT_TRUE(s.members(trials, 1).empty());
  auto w = s.next(trials);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->trial, 3u);
  EXPECT_EQ(w->rung, 0u);

  trials[3].scores = {0.7};  // ties with trial 2: the earlier trial goes first
  EXPECT_EQ(s.members(trials, 1), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(s.status(trials, 0), TrialStatus::kPromoted);
  EXPECT_EQ(s.status(trials, 3), TrialStatus::kStopped);
  w = s.next(trials);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->trial, 0u);
  EXPECT_EQ(w->rung, 1u);
}

TEST(TuneSchedule, FailedTrialsAreNeitherRunNorPromoted) {
  const HalvingSchedule s(1, 3, 3);  // rungs 1, 3
  std::vector<TrialProgress> trials(3);
  trials[0].failed = true;  // failed in rung 0
  trials[1].scores = {0.6};
  trials[2].scores = {0.8};
  EXPECT_EQ(s.members(trials, 0), (std::vector<std::size_t>{1, 2}));
  auto w = s.next(trials);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->trial, 2u);
  EXPECT_EQ(w->rung, 1u);
  EXPECT_EQ(s.status(trials, 0), TrialStatus::kFailed);

  trials[2].failed = true;  // failed in rung 1: the search is over, nobody else is promoted
  EXPECT_FALSE(s.next(trials));
  EXPECT_EQ(s.status(trials, 1), TrialStatus::kStopped);

  std::vector<TrialProgress> all_failed(2);
  all_failed[0].failed = all_failed[1].failed = true;
  EXPECT_FALSE(s.next(all_failed));
}

}  // namespace
}  // namespace zhsenti::train
