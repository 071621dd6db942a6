// Finite-difference checks of the non-recurrent layers and the loss: every parameter and
// every input element.
#include <gtest/gtest.h>

#include <cstring>

#include "gradcheck.h"
#include "test_util.h"
#include "zhsenti/nn/layers/attention.h"
#include "zhsenti/nn/layers/batch_norm.h"
#include "zhsenti/nn/layers/dropout.h"
#include "zhsenti/nn/layers/embedding.h"
#include "zhsenti/nn/layers/layer_norm.h"
#include "zhsenti/nn/layers/linear.h"
#include "zhsenti/nn/layers/pooling.h"
#include "zhsenti/nn/loss/cross_entropy.h"

namespace zhsenti::nn::testing {
namespace {

void expect_passes(GradCheckCase& c, const GradCheckOptions& options = {}) {
  const GradCheckReport r = check_gradients(c, options);
  EXPECT_LE(r.worst_ratio, 1.0) << r.worst << " (" << r.checked << " elements)";
  EXPECT_GT(r.checked, 0u);
}

TEST(GradCheck, DetectsAWrongGradient) {
  std::vector<float> x = random_vector(5, 1), g(5);
  GradCheckCase c;
  c.variables = {{"x", x.data(), g.data(), x.size()}};
  c.forward = [&] {
    std::vector<float> y(5);
    for (int i = 0; i < 5; ++i) y[i] = x[i] * x[i];
    return y;
  };
  // d(x^2)/dx = 2x; the "bug" forgets the factor 2 on the last element.
  c.backward = [&](const std::vector<float>& dout) {
    for (int i = 0; i < 5; ++i) g[i] = (i == 4 ? 1.0f : 2.0f) * x[i] * dout[i];
  };
  const GradCheckReport r = check_gradients(c);
  EXPECT_GT(r.worst_ratio, 1.0);
  EXPECT_NE(r.worst.find("x[4]"), std::string::npos) << r.worst;
}

TEST(GradCheck, Linear) {
  ParamStore store;
  Linear lin(store, "fc", 5, 3);
  randomize(store, 3);
  const int n = 4;
  std::vector<float> x = random_vector(n * 5, 5), dx(x.size());
  GradCheckCase c;
  c.variables = param_variables(store);
  c.variables.push_back({"x", x.data(), dx.data(), x.size()});
  c.forward = [&] {
    std::vector<float> y(n * 3);
    lin.forward(store, n, x.data(), y.data());
    return y;
  };
  c.backward = [&](const std::vector<float>& dy) {
    store.zero_grad();
    lin.backward(store, n, x.data(), dy.data(), dx.data());
  };
  expect_passes(c);
}

TEST(GradCheck, EmbeddingRowsAndPaddingRowGetsNoGradient) {
  ParamStore store;
  Embedding emb(store, "embedding", 6, 3, /*padding_id=*/0);
  randomize(store, 4);
  const std::vector<int32_t> ids = {2, 0, 5, 2, 3, 0, 2};
  GradCheckCase c;
  c.variables = param_variables(store, "embedding.weight", 0);
  c.forward = [&] {
    std::vector<float> y(ids.size() * 3);
    emb.forward(store, ids, y.data(), 3);
    return y;
  };
  c.backward = [&](const std::vector<float>& dy) {
    store.zero_grad();
    emb.backward(store, ids, dy.data(), 3);
  };
  expect_passes(c);
  const auto g = store.grad(emb.weight());
  for (int j = 0; j < 3; ++j) EXPECT_EQ(g[j], 0.0f);  // padding row
  for (int j = 0; j < 3; ++j) EXPECT_EQ(g[1 * 3 + j], 0.0f);  // id 1 not in the batch
}

TEST(GradCheck, LayerNorm) {
  ParamStore store;
  LayerNorm ln(store, "norm", 6);
  randomize(store, 8);
  const int n = 3;
  std::vector<float> x = random_vector(n * 6, 9, -2.0f, 2.0f), dx(x.size());
  Workspace ws(1);
  LayerNorm::Cache cache;
  GradCheckCase c;
  c.variables = param_variables(store);
  c.variables.push_back({"x", x.data(), dx.data(), x.size()});
  c.forward = [&] {
    ws.reset();
    std::vector<float> y(x.size());
    ln.forward(store, n, x.data(), y.data(), cache, ws);
    return y;
  };
  c.backward = [&](const std::vector<float>& dy) {
    store.zero_grad();
    ln.backward(store, dy.data(), dx.data(), cache);
  };
  expect_passes(c);
}

class BatchNormGradCheck : public ::testing::TestWithParam<bool> {};

TEST_P(BatchNormGradCheck, TrainAndEval) {
  const bool train = GetParam();
  ParamStore store;
  BatchNorm1d bn(store, "norm", 4);
  randomize(store, 10);
  // Non-trivial running statistics for the inference path.
  auto rm = store.value(store.id("norm.running_mean"));
  auto rv = store.value(store.id("norm.running_var"));
  for (int j = 0; j < 4; ++j) {
    rm[j] = 0.1f * j;
    rv[j] = 0.5f + 0.3f * j;
  }
  const int n = 5;
  std::vector<float> x = random_vector(n * 4, 12, -2.0f, 2.0f), dx(x.size());
  Workspace ws(1);
  BatchNorm1d::Cache cache;
  GradCheckCase c;
  c.variables = param_variables(store);
  c.variables.push_back({"x", x.data(), dx.data(), x.size()});
  c.forward = [&] {
    ws.reset();
    std::vector<float> y(x.size());
    if (train) {
      bn.forward_train(store, n, x.data(), y.data(), cache, ws);
    } else {
      bn.forward_eval(store, n, x.data(), y.data(), cache, ws);
    }
    return y;
  };
  c.backward = [&](const std::vector<float>& dy) {
    store.zero_grad();
    bn.backward(store, dy.data(), dx.data(), cache);
  };
  expect_passes(c);
}

INSTANTIATE_TEST_SUITE_P(Modes, BatchNormGradCheck, ::testing::Values(true, false));

TEST(GradCheck, DropoutWithAFixedMask) {
  std::vector<float> x = random_vector(40, 13), dx(x.size()), mask(x.size());
  DropoutCache cache;
  GradCheckCase c;
  c.variables = {{"x", x.data(), dx.data(), x.size()}};
  c.forward = [&] {
    Rng rng(5);  // same mask every pass
    std::vector<float> y(x.size());
    dropout_forward(0.3f, x.size(), x.data(), y.data(), mask.data(), rng, cache);
    return y;
  };
  c.backward = [&](const std::vector<float>& dy) {
    dropout_backward(x.size(), dy.data(), dx.data(), cache);
  };
  expect_passes(c);
}

struct PoolCase {
  PoolType pool;
  int directions;
};

void PrintTo(const PoolCase& c, std::ostream* os) {
  *os << name_of(c.pool) << "/" << c.directions;
}

class PoolingGradCheck : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolingGradCheck, PackedInput) {
  const auto [pool, dirs] = GetParam();
  const int hidden = 3, f = hidden * dirs;
  const std::vector<int32_t> lengths = {3, 5, 1, 3};
  Workspace ws(1);
  const PackedBatch pb = pack_batch(lengths, ws);
  // Well separated values keep max pooling's arg max fixed under the finite-difference step.
  std::vector<float> h(static_cast<std::size_t>(pb.rows) * f), dh(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<float>((i * 37) % 101) / 20.0f - 2.5f;
  PoolCache cache;
  GradCheckCase c;
  c.variables = {{"h", h.data(), dh.data(), h.size()}};
  c.forward = [&] {
    std::vector<float> feat(lengths.size() * f);
    pool_forward(pool, pb, {hidden, dirs}, h.data(), feat.data(), cache, ws);
    return feat;
  };
  c.backward = [&](const std::vector<float>& dfeat) {
    pool_backward(pool, pb, {hidden, dirs}, dfeat.data(), dh.data(), cache);
  };
  expect_passes(c);
}

INSTANTIATE_TEST_SUITE_P(Pools, PoolingGradCheck,
                         ::testing::Values(PoolCase{PoolType::kLast, 1}, PoolCase{PoolType::kLast, 2},
                                           PoolCase{PoolType::kMean, 2}, PoolCase{PoolType::kMax, 1},
                                           PoolCase{PoolType::kMax, 2}));

TEST(GradCheck, AdditiveAttention) {
  ParamStore store;
  AdditiveAttention att(store, "pool.attention", 4, 3);
  randomize(store, 21, 0.8f);
  const std::vector<int32_t> lengths = {2, 4, 1};
  Workspace ws(1);
  const PackedBatch pb = pack_batch(lengths, ws);
  std::vector<float> h = random_vector(static_cast<std::size_t>(pb.rows) * 4, 22), dh(h.size());
  AdditiveAttention::Cache cache;
  Workspace scratch(1);
  GradCheckCase c;
  c.variables = param_variables(store);
  c.variables.push_back({"h", h.data(), dh.data(), h.size()});
  c.forward = [&] {
    scratch.reset();
    std::vector<float> feat(lengths.size() * 4);
    att.forward(store, pb, h.data(), feat.data(), cache, scratch);
    return feat;
  };
  c.backward = [&](const std::vector<float>& dfeat) {
    store.zero_grad();
    att.backward(store, pb, dfeat.data(), dh.data(), cache, scratch);
  };
  expect_passes(c);
}

struct CrossEntropyCase {
  bool weighted = false;
  float smoothing = 0.0f;
  bool adjusted = false;  // logit adjustment: log-prior offsets added to the logits
  float focal_gamma = 0.0f;
};

class CrossEntropyGradCheck : public ::testing::TestWithParam<CrossEntropyCase> {};

TEST_P(CrossEntropyGradCheck, Logits) {
  const auto [weighted, smoothing, adjusted, focal_gamma] = GetParam();
  const int b = 4, classes = 3;
  std::vector<float> z = random_vector(b * classes, 31, -2.0f, 2.0f), dz(z.size());
  const std::vector<int32_t> labels = {2, 0, 1, 2};
  const std::vector<float> weights = {0.5f, 2.0f, 1.25f};
  const std::vector<float> offsets = {std::log(0.7f), std::log(0.2f), std::log(0.1f)};
  CrossEntropyOptions opts;
  if (weighted) opts.class_weights = weights;
  if (adjusted) opts.logit_offsets = offsets;
  opts.label_smoothing = smoothing;
  opts.focal_gamma = focal_gamma;
  std::vector<float> grad(z.size());
  GradCheckCase c;
  c.variables = {{"logits", z.data(), dz.data(), z.size()}};
  c.forward = [&] {
    return std::vector<float>{static_cast<float>(cross_entropy(z, labels, classes, opts, {}))};
  };
  c.backward = [&](const std::vector<float>& dl) {
    cross_entropy(z, labels, classes, opts, grad);
    for (std::size_t i = 0; i < z.size(); ++i) dz[i] = grad[i] * dl[0];
  };
  expect_passes(c, {.step = 1e-2, .atol = 1e-4, .rtol = 1e-2});
}

INSTANTIATE_TEST_SUITE_P(Options, CrossEntropyGradCheck,
                         ::testing::Values(CrossEntropyCase{false, 0.0f, false},
                                           CrossEntropyCase{true, 0.0f, false},
                                           CrossEntropyCase{false, 0.2f, false},
                                           CrossEntropyCase{true, 0.1f, false},
                                           CrossEntropyCase{false, 0.0f, true},
                                           CrossEntropyCase{true, 0.1f, true},
                                           CrossEntropyCase{false, 0.0f, false, 2.0f},
                                           CrossEntropyCase{false, 0.0f, false, 0.5f},
                                           CrossEntropyCase{true, 0.1f, true, 2.0f}),
                         [](const ::testing::TestParamInfo<CrossEntropyCase>& case_info) {
                           const CrossEntropyCase& c = case_info.param;
                           std::string name = c.weighted ? "weighted" : "plain";
                           if (c.smoothing > 0) name += "_smoothed";
                           if (c.adjusted) name += "_adjusted";
                           if (c.focal_gamma > 0) {
                             name += "_focal";
                             name += std::to_string(static_cast<int>(c.focal_gamma * 10));
                           }
                           return name;
                         });

}  // namespace
}  // namespace zhsenti::nn::testing
