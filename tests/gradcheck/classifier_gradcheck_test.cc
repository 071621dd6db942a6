// Finite-difference check of the whole classifier, end to end: embedding, stacked and
// bidirectional recurrent layers, dropout (fixed masks), each pooling, each norm, head.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "gradcheck.h"
#include "test_util.h"
#include "zhsenti/nn/models/classifier.h"

namespace zhsenti::nn::testing {
namespace {

struct ModelCase {
  std::string cell;
  bool bidirectional;
  int layers;
  std::string pool;
  std::string norm;
  float dropout;
  float embed_dropout;
  int threads;
  int ngram_buckets = 0;
  int ngram_order = 2;
};

std::string describe(const ModelCase& c) {
  return fmt::format("{}_{}_l{}_{}_{}_d{}_t{}_k{}_n{}", c.cell, c.bidirectional ? "bi" : "uni",
                     c.layers, c.pool, c.norm, c.dropout > 0 ? 1 : 0, c.threads, c.ngram_buckets,
                     c.ngram_order);
}

std::string case_name(const ::testing::TestParamInfo<ModelCase>& info) {
  return describe(info.param);
}

void PrintTo(const ModelCase& c, std::ostream* os) { *os << describe(c); }

class ClassifierGradCheck : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ClassifierGradCheck, AllParameters) {
  const ModelCase& mc = GetParam();
  ClassifierConfig cfg;
  cfg.vocab_size = 9;
  cfg.embed_dim = 4;
  cfg.hidden = 3;
  cfg.cell = find_named<CellType>(mc.cell).value();
  cfg.layers = mc.layers;
  cfg.bidirectional = mc.bidirectional;
  cfg.pool = find_named<PoolType>(mc.pool).value();
  cfg.norm = find_named<NormType>(mc.norm).value();
  cfg.dropout = mc.dropout;
  cfg.embed_dropout = mc.embed_dropout;
  cfg.num_classes = 3;
  cfg.ngram_buckets = mc.ngram_buckets;
  cfg.ngram_order = mc.ngram_order;
  Classifier model(cfg, 5);
  randomize(model.params(), 17, 0.7f);
  const std::vector<int32_t> lengths = {4, 1, 3, 6};
  const std::vector<int32_t> ids = {1, 2, 3, 0, 4, 5, 6, 7, 8, 1, 2, 0, 3, 4};
  const Batch batch{ids, lengths};
  Workspace ws(mc.threads);

  GradCheckCase c;
  c.variables = param_variables(model.params(), "embedding.weight", cfg.padding_id);
  c.forward = [&] {
    Rng rng(99);  // the same dropout masks on every pass
    const Tensor& z = model.forward(batch, ws, true, &rng);
    return std::vector<float>(z.data(), z.data() + z.size());
  };
  c.backward = [&](const std::vector<float>& dout) {
    model.params().zero_grad();
    Tensor d({static_cast<int64_t>(lengths.size()), cfg.num_classes});
    std::copy(dout.begin(), dout.end(), d.data());
    model.backward(batch, d, ws);
  };
  // Max pooling's arg max may flip under a large step; a smaller step keeps it fixed.
  GradCheckOptions opts;
  if (cfg.pool == PoolType::kMax) opts.step = 2e-3, opts.atol = 2e-3;
  const GradCheckReport r = check_gradients(c, opts);
  EXPECT_LE(r.worst_ratio, 1.0) << r.worst << " (" << r.checked << " elements)";
}

INSTANTIATE_TEST_SUITE_P(
    Models, ClassifierGradCheck,
    ::testing::Values(ModelCase{"lstm", true, 1, "last", "none", 0.0f, 0.0f, 1},
                      ModelCase{"lstm", true, 2, "last", "none", 0.3f, 0.2f, 2},
                      ModelCase{"gru", true, 2, "mean", "layer", 0.3f, 0.0f, 1},
                      ModelCase{"rnn", false, 2, "max", "none", 0.0f, 0.0f, 2},
                      ModelCase{"lstm", false, 1, "attention", "batch", 0.2f, 0.0f, 1},
                      ModelCase{"gru", true, 1, "attention", "layer", 0.0f, 0.0f, 2},
                      ModelCase{"lstm", true, 1, "max", "batch", 0.0f, 0.0f, 1},
                      ModelCase{"rnn", true, 1, "mean", "batch", 0.5f, 0.1f, 1},
                      ModelCase{"gru", true, 1, "max", "none", 0.3f, 0.2f, 1, 7},
                      ModelCase{"lstm", false, 1, "mean", "none", 0.0f, 0.2f, 2, 5, 3}),
    case_name);

}  // namespace
}  // namespace zhsenti::nn::testing
