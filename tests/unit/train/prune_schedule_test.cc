#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "zhsenti/core/error.h"
#include "zhsenti/train/prune.h"

namespace zhsenti::train {
namespace {

TEST(PruneSchedule, CubicStepsEndExactlyAtTheTarget) {
  const auto s = prune_schedule(0.9, 3);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_NEAR(s[0], 0.9 * (1 - 8.0 / 27), 1e-12);  // 0.6333
  EXPECT_NEAR(s[1], 0.9 * (1 - 1.0 / 27), 1e-12);  // 0.8667
  EXPECT_EQ(s[2], 0.9);
  const auto five = prune_schedule(0.7, 5);
  for (std::size_t k = 1; k < five.size(); ++k) {
    EXPECT_GT(five[k], five[k - 1]);
    // Steps shrink: most of the pruning happens early.
    if (k >= 2) {
      EXPECT_LT(five[k] - five[k - 1], five[k - 1] - five[k - 2]);
    }
  }
  EXPECT_EQ(five.back(), 0.7);
  EXPECT_EQ(prune_schedule(0.5, 1), (std::vector<double>{0.5}));
  EXPECT_EQ(prune_schedule(0.0, 2), (std::vector<double>{0.0, 0.0}));
}

TEST(PruneConfig, BadValuesNameTheFlag) {
  PruneConfig c;
  c.train_path = "t.tsv";
  c.dev_path = "d.tsv";
  c.sparsity = 0.5;
  EXPECT_NO_THROW(c.validate());
  for (const double bad : {1.0, 1.5, -0.01, std::numeric_limits<double>::quiet_NaN()}) {
    c.sparsity = bad;
    try {
      c.validate();
      ADD_FAILURE() << "accepted --sparsity " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--sparsity"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("[0, 1)"), std::string::npos) << e.what();
    }
  }
  c.sparsity = 0.5;
  c.steps = 0;
  EXPECT_THROW(c.validate(), Error);
  c.steps = 3;
  c.epochs = 0;
  EXPECT_THROW(c.validate(), Error);
}

}  // namespace
}  // namespace zhsenti::train
