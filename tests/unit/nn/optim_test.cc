#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/optim/lr_schedule.h"
#include "zhsenti/nn/optim/optimizer.h"

namespace zhsenti::nn {
namespace {

TEST(Sgd, MomentumAndNesterovFollowPyTorch) {
  for (const bool nesterov : {false, true}) {
    ParamStore s;
    const auto p = s.add("p", {1});
    s.value(p)[0] = 1.0f;
    Sgd opt(s, {.lr = 0.1f, .momentum = 0.9f, .nesterov = nesterov});
    s.grad(p)[0] = 0.5f;
    opt.step(s);
    EXPECT_NEAR(s.value(p)[0], nesterov ? 0.905f : 0.95f, 1e-6);
    s.grad(p)[0] = 0.25f;
    opt.step(s);
    EXPECT_NEAR(s.value(p)[0], nesterov ? 0.817f : 0.88f, 1e-6);
    EXPECT_EQ(opt.steps(), 2);
  }
}

TEST(Sgd, WeightDecayAndValidation) {
  ParamStore s;
  const auto p = s.add("p", {2});
  s.value(p)[0] = 2.0f;
  s.value(p)[1] = -1.0f;
  Sgd opt(s, {.lr = 0.5f, .weight_decay = 0.1f});
  opt.step(s);  // zero gradient: only the decay term
  EXPECT_NEAR(s.value(p)[0], 2.0f - 0.5f * 0.2f, 1e-6);
  EXPECT_NEAR(s.value(p)[1], -1.0f + 0.5f * 0.1f, 1e-6);
  EXPECT_THROW(Sgd(s, {.lr = 0.1f, .nesterov = true}), Error);
  EXPECT_THROW(Sgd(s, {.lr = -1.0f}), Error);
  ParamStore other;
  other.add("q", {100});
  EXPECT_THROW(opt.step(other), Error);
}

// Adam in double, straight from the paper with PyTorch's eps placement.
struct AdamReference {
  double lr, b1, b2, eps, wd;
  bool decoupled;
  std::vector<double> p, m, v;
  int t = 0;
  void step(const std::vector<float>& g) {
    ++t;
    for (std::size_t i = 0; i < p.size(); ++i) {
      double gi = g[i];
      if (decoupled) {
        p[i] *= 1 - lr * wd;
      } else {
        gi += wd * p[i];
      }
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const double mh = m[i] / (1 - std::pow(b1, t)), vh = v[i] / (1 - std::pow(b2, t));
      p[i] -= lr * mh / (std::sqrt(vh) + eps);
    }
  }
};

TEST(Adam, MatchesADoublePrecisionReferenceOverSteps) {
  for (const bool decoupled : {false, true}) {
    ParamStore s;
    const auto id = s.add("w", {37});
    std::mt19937 gen(3);
    std::normal_distribution<float> d;
    for (float& x : s.value(id)) x = d(gen);
    AdamReference ref{1e-2, 0.9, 0.999, 1e-8, 0.05, decoupled, {}, {}, {}};
    ref.p.assign(s.value(id).begin(), s.value(id).end());
    ref.m.assign(37, 0.0);
    ref.v.assign(37, 0.0);
    Adam opt(s, {.lr = 1e-2f, .weight_decay = 0.05f, .decoupled = decoupled});
    for (int step = 0; step < 5; ++step) {
      std::vector<float> g(37);
      for (float& x : g) x = d(gen);
      std::copy(g.begin(), g.end(), s.grad(id).begin());
      opt.step(s);
      ref.step(g);
    }
    for (std::size_t i = 0; i < 37; ++i) EXPECT_NEAR(s.value(id)[i], ref.p[i], 2e-6) << i;
  }
}

TEST(Adam, DenseSemanticsMoveUntouchedEmbeddingRowsLazyDoesNot) {
  for (const bool lazy : {false, true}) {
    ParamStore s;
    const auto e = s.add("emb", {3, 2}, true, /*sparse_rows=*/true);
    for (float& x : s.value(e)) x = 1.0f;
    Adam opt(s, {.lr = 0.1f, .lazy_sparse = lazy});
    const std::vector<int32_t> both = {0, 1}, first = {0};
    s.grad(e)[0] = s.grad(e)[2] = 1.0f;  // rows 0 and 1
    s.touch_rows(e, both);
    opt.step(s);
    EXPECT_NEAR(s.value(e)[2], 0.9f, 1e-6);  // first Adam step moves by lr
    EXPECT_EQ(s.value(e)[4], 1.0f);          // row 2 never had gradient
    s.zero_grad();
    s.grad(e)[0] = 1.0f;  // only row 0 this time
    s.touch_rows(e, first);
    opt.step(s);
    // Row 1 has zero gradient now; dense Adam still moves it (its first moment is not zero).
    if (lazy) {
      EXPECT_EQ(s.value(e)[2], 0.9f);
    } else {
      EXPECT_LT(s.value(e)[2], 0.9f - 1e-3f);
    }
    EXPECT_EQ(s.value(e)[4], 1.0f);
  }
}

TEST(Adam, PoolSplitGivesTheSameBits) {
  std::vector<std::vector<float>> results;
  for (const bool pooled : {false, true}) {
    ParamStore s;
    const auto id = s.add("w", {300000});
    std::mt19937 gen(8);
    std::normal_distribution<float> d;
    for (float& x : s.value(id)) x = d(gen);
    ThreadPool pool(3);
    Adam opt(s, {.lr = 1e-2f, .weight_decay = 0.01f, .decoupled = true});
    if (pooled) opt.set_pool(&pool);
    for (int step = 0; step < 3; ++step) {
      for (float& x : s.grad(id)) x = d(gen);
      opt.step(s);
    }
    results.emplace_back(s.value(id).begin(), s.value(id).end());
  }
  EXPECT_TRUE(results[0] == results[1]);
}

TEST(Adam, StateIsExposedForCheckpoints) {
  ParamStore s;
  s.add("w", {4});
  Adam opt(s, {});
  const auto st = opt.state();
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].first, "exp_avg");
  EXPECT_EQ(st[1].second.size(), s.total_size());
  EXPECT_THROW(Adam(s, {.beta1 = 1.0f}), Error);
}

TEST(ClipGradNorm, ScalesOnlyAboveTheThreshold) {
  ParamStore s;
  const auto a = s.add("a", {2});
  const auto e = s.add("emb", {3, 1}, true, true);
  s.grad(a)[0] = 3.0f;
  s.grad(a)[1] = 0.0f;
  s.grad(e)[2] = 4.0f;
  const std::vector<int32_t> row = {2};
  s.touch_rows(e, row);
  EXPECT_NEAR(grad_norm(s), 5.0, 1e-9);
  EXPECT_NEAR(clip_grad_norm(s, 10.0), 5.0, 1e-9);
  EXPECT_EQ(s.grad(a)[0], 3.0f);
  EXPECT_NEAR(clip_grad_norm(s, 1.0), 5.0, 1e-9);
  EXPECT_NEAR(s.grad(a)[0], 3.0 / (5.0 + 1e-6), 1e-6);
  EXPECT_NEAR(s.grad(e)[2], 4.0 / (5.0 + 1e-6), 1e-6);
  EXPECT_THROW(clip_grad_norm(s, 0.0), Error);
}

TEST(LrSchedule, ClosedForms) {
  const LrSchedule constant(0.5f, {});
  EXPECT_EQ(constant.lr_at(1000), 0.5f);
  const LrSchedule step(1.0f, {.kind = "step", .step_size = 2, .gamma = 0.5f});
  EXPECT_FLOAT_EQ(step.lr_at(1), 1.0f);
  EXPECT_FLOAT_EQ(step.lr_at(2), 0.5f);
  EXPECT_FLOAT_EQ(step.lr_at(5), 0.25f);
  const LrSchedule cosine(1.0f, {.kind = "cosine", .total_steps = 4, .min_lr = 0.0f});
  EXPECT_FLOAT_EQ(cosine.lr_at(0), 1.0f);
  EXPECT_NEAR(cosine.lr_at(2), 0.5f, 1e-7);
  EXPECT_NEAR(cosine.lr_at(4), 0.0f, 1e-7);
  EXPECT_EQ(cosine.lr_at(10), 0.0f);
  const LrSchedule linear(1.0f, {.kind = "linear", .total_steps = 4, .min_lr = 0.2f});
  EXPECT_NEAR(linear.lr_at(2), 0.6f, 1e-6);
  EXPECT_NEAR(linear.lr_at(9), 0.2f, 1e-7);
  const LrSchedule warm(1.0f, {.kind = "cosine", .warmup_steps = 4, .total_steps = 4});
  EXPECT_FLOAT_EQ(warm.lr_at(0), 0.25f);
  EXPECT_FLOAT_EQ(warm.lr_at(3), 1.0f);
  EXPECT_FLOAT_EQ(warm.lr_at(4), 1.0f);
  EXPECT_NEAR(warm.lr_at(6), 0.5f, 1e-7);
  EXPECT_THROW(LrSchedule(1.0f, {.kind = "exponential"}), Error);
  EXPECT_THROW(LrSchedule(1.0f, {.kind = "cosine"}), Error);
}

TEST(ReduceOnPlateau, PatienceCooldownAndMinLr) {
  ReduceOnPlateau p(1.0f, {.factor = 0.5f, .patience = 2, .cooldown = 1, .min_lr = 0.2f});
  EXPECT_EQ(p.step(1.0), 1.0f);
  EXPECT_EQ(p.step(0.9), 1.0f);   // better
  EXPECT_EQ(p.step(0.95), 1.0f);  // bad 1
  EXPECT_EQ(p.step(0.95), 1.0f);  // bad 2
  EXPECT_EQ(p.step(0.95), 0.5f);  // bad 3 > patience: reduce, cooldown 1
  EXPECT_EQ(p.step(0.95), 0.5f);  // cooldown swallows this bad epoch
  EXPECT_EQ(p.step(0.95), 0.5f);
  EXPECT_EQ(p.step(0.95), 0.5f);
  EXPECT_EQ(p.step(0.95), 0.25f);
  for (int i = 0; i < 10; ++i) p.step(0.95);
  EXPECT_EQ(p.lr(), 0.2f);  // floor
  ReduceOnPlateau acc(1.0f, {.maximize = true, .patience = 0});
  EXPECT_EQ(acc.step(0.8), 1.0f);
  EXPECT_NEAR(acc.step(0.7), 0.1f, 1e-7);
}

}  // namespace
}  // namespace zhsenti::nn
