#include "zhsenti/nn/models/classifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "zhsenti/core/error.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/optim/optimizer.h"

// Counts C++ heap allocations in this test binary (the steady-state test asserts none).
// GCC 12 reports the malloc/free pairing of replacement operators as a mismatch.
namespace {
std::atomic<long> g_allocations{0};
}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace zhsenti::nn {
namespace {

// An LSTM read at its last state, without an n-gram table: the simplest model each test
// below varies.
ClassifierConfig small_config() {
  ClassifierConfig c;
  c.cell = CellType::kLstm;
  c.pool = PoolType::kLast;
  c.ngram_buckets = 0;
  c.embed_dropout = 0.0f;
  c.vocab_size = 20;
  c.embed_dim = 8;
  c.hidden = 6;
  c.num_classes = 3;
  return c;
}

TEST(ClassifierConfig, JsonRoundTripAndStrictParsing) {
  ClassifierConfig c = small_config();
  c.cell = CellType::kGru;
  c.pool = PoolType::kAttention;
  c.norm = NormType::kLayer;
  c.layers = 2;
  c.attention_dim = 5;
  c.dropout = 0.25f;
  c.ngram_buckets = 11;
  c.ngram_order = 3;
  const nlohmann::json j = c.to_json();
  const ClassifierConfig back = ClassifierConfig::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_EQ(back.cell, CellType::kGru);
  EXPECT_EQ(back.attention_dim, 5);
  EXPECT_EQ(back.ngram_order, 3);
  // Models written before trigrams existed have no ngram_order: they are bigram models.
  nlohmann::json before_trigrams = j;
  before_trigrams.erase("ngram_order");
  EXPECT_EQ(ClassifierConfig::from_json(before_trigrams).ngram_order, 2);

  auto expect_error = [](nlohmann::json bad, const std::string& needle) {
    try {
      ClassifierConfig::from_json(bad);
      FAIL() << bad.dump();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  nlohmann::json unknown = j;
  unknown["hiden"] = 3;
  expect_error(unknown, "hiden");
  nlohmann::json wrong_type = j;
  wrong_type["hidden"] = 1.5;
  expect_error(wrong_type, "hidden");
  nlohmann::json bad_cell = j;
  bad_cell["cell"] = "transformer";
  expect_error(bad_cell, "transformer");
  expect_error(nlohmann::json{{"hidden", 4}}, "vocab_size");
  nlohmann::json bad_dropout = j;
  bad_dropout["dropout"] = 1.0;
  expect_error(bad_dropout, "dropout");
  nlohmann::json bad_order = j;
  bad_order["ngram_order"] = 4;
  expect_error(bad_order, "ngram_order 4");
}

TEST(Classifier, ParameterNamesShapesAndPyTorchDefaultInit) {
  ClassifierConfig c = small_config();
  c.vocab_size = 3000;
  c.hidden = 64;
  c.norm = NormType::kBatch;
  Classifier m(c, 1);
  const ParamStore& p = m.params();
  EXPECT_EQ(p.info(p.id("embedding.weight")).shape, (std::vector<int64_t>{3000, 8}));
  EXPECT_EQ(p.info(p.id("encoder.lstm.0.forward.w_ih")).shape, (std::vector<int64_t>{256, 8}));
  EXPECT_EQ(p.info(p.id("encoder.lstm.0.backward.w_hh")).shape, (std::vector<int64_t>{256, 64}));
  EXPECT_EQ(p.info(p.id("encoder.lstm.0.backward.b_hh")).shape, (std::vector<int64_t>{256}));
  EXPECT_EQ(p.info(p.id("head.weight")).shape, (std::vector<int64_t>{3, 128}));
  EXPECT_FALSE(p.info(p.id("norm.running_var")).trainable);
  EXPECT_TRUE(p.info(p.id("embedding.weight")).sparse_rows);

  const auto emb = p.value(p.id("embedding.weight"));
  for (int j = 0; j < 8; ++j) EXPECT_EQ(emb[j], 0.0f);  // padding row
  double mean = 0, sq = 0;
  for (std::size_t i = 8; i < emb.size(); ++i) {
    mean += emb[i];
    sq += static_cast<double>(emb[i]) * emb[i];
  }
  mean /= static_cast<double>(emb.size() - 8);
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(sq / static_cast<double>(emb.size() - 8)), 1.0, 0.05);  // N(0, 1)
  const float bound = 1.0f / std::sqrt(64.0f);
  float lo = 1, hi = -1;
  for (const float x : p.value(p.id("encoder.lstm.0.forward.w_hh"))) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  EXPECT_GE(lo, -bound);
  EXPECT_LE(hi, bound);
  EXPECT_LT(lo, -0.9f * bound);  // U(-1/sqrt(H), 1/sqrt(H)) fills its range
  EXPECT_GT(hi, 0.9f * bound);
  for (const float x : p.value(p.id("norm.running_var"))) EXPECT_EQ(x, 1.0f);
}

TEST(Classifier, BatchPredictionEqualsOneByOneAndRowsSumToOne) {
  for (const auto& [pool, pool_name] : EnumNames<PoolType>::kTable) {
    ClassifierConfig c = small_config();
    c.pool = pool;
    c.layers = 2;
    Classifier m(c, 3);
    const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 13};
    const std::vector<int32_t> lengths = {3, 6, 1, 4};
    Workspace ws(2);
    std::vector<float> probs(12);
    m.predict_proba({ids, lengths}, ws, probs);
    int start = 0;
    for (std::size_t b = 0; b < lengths.size(); ++b) {
      std::vector<float> one(3);
      const std::span<const int32_t> seq(ids.data() + start, static_cast<std::size_t>(lengths[b]));
      const std::vector<int32_t> len = {lengths[b]};
      Workspace single(1);
      m.predict_proba({seq, len}, single, one);
      float sum = 0;
      for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(probs[b * 3 + k], one[k], 2e-6) << pool_name << " sequence " << b;
        sum += probs[b * 3 + k];
      }
      EXPECT_NEAR(sum, 1.0f, 1e-6);
      start += lengths[b];
    }
  }
}

TEST(Classifier, ConcurrentInferenceWithPerThreadWorkspaces) {
  ClassifierConfig c = small_config();
  const Classifier m(c, 4);
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<int32_t> lengths = {4, 5};
  Workspace ws(1);
  std::vector<float> expected(6);
  m.predict_proba({ids, lengths}, ws, expected);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Workspace mine(1);
      std::vector<float> got(6);
      for (int i = 0; i < 50; ++i) {
        m.predict_proba({ids, lengths}, mine, got);
        if (got != expected) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

// One training step; returns the loss.
double train_step(Classifier& m, Optimizer& opt, Workspace& ws, Rng& rng, const Batch& batch,
                  std::span<const int32_t> labels, Tensor& dlogits) {
  m.params().zero_grad();
  const Tensor& z = m.forward(batch, ws, true, &rng);
  dlogits.resize({z.dim(0), z.dim(1)});
  const double loss =
      cross_entropy(z.span(), labels, static_cast<int>(z.dim(1)), {}, dlogits.span());
  m.backward(batch, dlogits, ws);
  opt.step(m.params());
  return loss;
}

TEST(Classifier, InferenceSeesParameterChangesAndOtherModels) {
  ClassifierConfig c = small_config();
  Classifier a(c, 1), b(c, 2);
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5};
  const std::vector<int32_t> lengths = {5};
  Workspace ws(1);
  std::vector<float> pa(3), pa2(3), pb(3), fresh(3);
  a.predict_proba({ids, lengths}, ws, pa);
  b.predict_proba({ids, lengths}, ws, pb);  // same workspace, another model
  EXPECT_NE(pa, pb);
  auto w = a.params().value(a.params().id("encoder.lstm.0.forward.w_hh"));
  for (float& x : w) x *= -1.5f;
  a.predict_proba({ids, lengths}, ws, pa2);  // the packed weights must be rebuilt
  Workspace other(1);
  a.predict_proba({ids, lengths}, other, fresh);
  EXPECT_NE(pa2, pa);
  EXPECT_EQ(pa2, fresh);
}

TEST(Classifier, InferenceSeesAModelBuiltWhereAFreedOneWas) {
  // As when Python loads one model after dropping another: the same object address, often the
  // same values arena. The workspace's packed weights must be the new model's.
  ClassifierConfig c = small_config();
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5};
  const std::vector<int32_t> lengths = {5};
  Workspace ws(1);
  std::optional<Classifier> m;
  m.emplace(c, 1);
  std::vector<float> first(3), second(3), fresh(3);
  m->predict_proba({ids, lengths}, ws, first);
  m.reset();
  m.emplace(c, 2);
  m->predict_proba({ids, lengths}, ws, second);
  Workspace other(1);
  m->predict_proba({ids, lengths}, other, fresh);
  EXPECT_EQ(second, fresh);
  EXPECT_NE(second, first);
}

TEST(Classifier, InferenceTableGivesTheSameProbabilitiesAndExpires) {
  for (const auto& [cell, cell_name] : EnumNames<CellType>::kTable) {
    ClassifierConfig c = small_config();
    c.cell = cell;
    c.layers = 2;
    Classifier m(c, 6);
    const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 0, 7, 8, 19, 10};
    const std::vector<int32_t> lengths = {6, 1, 3};
    Workspace ws(2);
    std::vector<float> plain(9), fast(9), after(9);
    m.predict_proba({ids, lengths}, ws, plain);
    EXPECT_FALSE(m.inference_table_ready());
    EXPECT_FALSE(m.prepare_inference(m.inference_table_bytes() - 1));
    EXPECT_FALSE(m.inference_table_ready());
    ASSERT_TRUE(m.prepare_inference());
    EXPECT_TRUE(m.inference_table_ready());
    m.predict_proba({ids, lengths}, ws, fast);
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(fast[i], plain[i], 2e-6) << cell_name;
    // Any write to the parameters retires the table; inference falls back to the GEMM.
    auto emb = m.params().value(m.params().id("embedding.weight"));
    emb[5 * c.embed_dim] += 1.0f;
    EXPECT_FALSE(m.inference_table_ready());
    m.predict_proba({ids, lengths}, ws, after);
    EXPECT_NE(after, fast);
  }
}

TEST(Classifier, PartialInferenceTableHoldsTheFirstIdsAndProjectsTheRest) {
  ClassifierConfig c = small_config();
  c.vocab_size = 1100;
  c.bidirectional = true;
  Classifier m(c, 3);
  // Ids on both sides of the table's end (1050), in every sequence.
  const std::vector<int32_t> ids = {1, 1060, 3, 1099, 5, 2, 1049, 1050, 8, 9, 700, 1080};
  const std::vector<int32_t> lengths = {5, 2, 5};
  Workspace ws(2);
  std::vector<float> plain(9), partial(9), bf16_plain(9), bf16_partial(9);
  m.predict_proba({ids, lengths}, ws, plain);
  const std::size_t row = m.inference_table_row_bytes();
  EXPECT_FALSE(m.prepare_inference(row * (Classifier::kMinTableRows - 1)));
  ASSERT_TRUE(m.prepare_inference(row * 1050 + row / 2));
  EXPECT_EQ(m.inference_table_rows(), 1050);
  m.predict_proba({ids, lengths}, ws, partial);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(partial[i], plain[i], 2e-6);

  m.set_inference_precision(Precision::kBf16);
  m.predict_proba({ids, lengths}, ws, bf16_partial);
  m.prepare_inference(0);
  EXPECT_EQ(m.inference_table_rows(), 0);
  m.predict_proba({ids, lengths}, ws, bf16_plain);
  for (int i = 0; i < 9; ++i) {
    EXPECT_NEAR(bf16_partial[i], plain[i], 1e-2);
    // Only the table rows differ from the bf16 products (they are exact fp32 products).
    EXPECT_NEAR(bf16_partial[i], bf16_plain[i], 1e-2);
  }
}

TEST(Classifier, ThreadCountDoesNotChangeTheGradients) {
  for (const bool bi : {true, false}) {
    ClassifierConfig c = small_config();
    c.bidirectional = bi;
    c.dropout = 0.0f;
    const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const std::vector<int32_t> lengths = {5, 2, 7, 1};
    const std::vector<int32_t> labels = {0, 2, 1, 1};
    std::vector<std::vector<float>> grads;
    for (const int threads : {1, 2, 3}) {
      Classifier m(c, 9);
      Workspace ws(threads);
      const Tensor& z = m.forward({ids, lengths}, ws, true, nullptr);
      Tensor d({4, 3});
      cross_entropy(z.span(), labels, 3, {}, d.span());
      m.backward({ids, lengths}, d, ws);
      grads.emplace_back(m.params().grads().begin(), m.params().grads().end());
    }
    for (std::size_t t = 1; t < grads.size(); ++t) {
      for (std::size_t i = 0; i < grads[0].size(); ++i) {
        ASSERT_NEAR(grads[t][i], grads[0][i], 1e-6 + 1e-5 * std::fabs(grads[0][i])) << i;
      }
    }
  }
}

// A synthetic task: does the sequence contain token 3? Lengths 1..12 over a vocabulary of 10.
struct Synthetic {
  std::vector<int32_t> ids, lengths, labels;
};

Synthetic make_task(Rng& rng, int n) {
  Synthetic s;
  for (int i = 0; i < n; ++i) {
    const int len = 1 + static_cast<int>(rng.uniform_int(12));
    bool has = false;
    for (int t = 0; t < len; ++t) {
      auto id = static_cast<int32_t>(1 + rng.uniform_int(9));
      has |= id == 3;
      s.ids.push_back(id);
    }
    s.lengths.push_back(len);
    s.labels.push_back(has ? 1 : 0);
  }
  return s;
}

std::vector<float> train_synthetic(int steps, uint64_t seed, double* accuracy) {
  ClassifierConfig c = small_config();
  c.vocab_size = 10;
  c.embed_dim = 16;
  c.hidden = 16;
  c.num_classes = 2;
  c.dropout = 0.1f;
  Classifier m(c, seed);
  Adam opt(m.params(), {.lr = 1e-2f});
  Workspace ws(1);
  Rng data_rng(seed + 1), dropout_rng(seed + 2);
  Tensor d;
  for (int s = 0; s < steps; ++s) {
    const Synthetic b = make_task(data_rng, 32);
    train_step(m, opt, ws, dropout_rng, {b.ids, b.lengths}, b.labels, d);
  }
  if (accuracy != nullptr) {
    Rng test_rng(777);
    const Synthetic t = make_task(test_rng, 500);
    std::vector<float> probs(1000);
    m.predict_proba({t.ids, t.lengths}, ws, probs);
    int correct = 0;
    for (int i = 0; i < 500; ++i)
      correct += (probs[2 * i + 1] > probs[2 * i]) == (t.labels[i] == 1);
    *accuracy = correct / 500.0;
  }
  return {m.params().values().begin(), m.params().values().end()};
}

TEST(Classifier, LearnsASyntheticTask) {
  double acc = 0;
  train_synthetic(300, 5, &acc);
  EXPECT_GE(acc, 0.95);
}

TEST(Classifier, SameSeedOneThreadIsBitIdentical) {
  const std::vector<float> a = train_synthetic(20, 11, nullptr);
  const std::vector<float> b = train_synthetic(20, 11, nullptr);
  const std::vector<float> c = train_synthetic(20, 12, nullptr);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
}

TEST(Classifier, SteadyStateTrainingAllocatesNothing) {
  ClassifierConfig c = small_config();
  c.layers = 2;
  c.embed_dropout = 0.1f;
  c.norm = NormType::kBatch;
  Classifier m(c, 2);
  Adam opt(m.params(), {});
  Workspace ws(2);
  Rng rng(1);
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const std::vector<int32_t> lengths = {5, 2, 7, 1};
  const std::vector<int32_t> labels = {0, 2, 1, 1};
  Tensor d;
  std::vector<float> probs(12);
  for (int i = 0; i < 2; ++i) {
    train_step(m, opt, ws, rng, {ids, lengths}, labels, d);
    m.predict_proba({ids, lengths}, ws, probs);
  }
  const long before = g_allocations.load();
  for (int i = 0; i < 3; ++i) {
    train_step(m, opt, ws, rng, {ids, lengths}, labels, d);
    m.predict_proba({ids, lengths}, ws, probs);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
}

// The trainer evaluates dev at the training batch size so that evaluation adds no memory
// to training's peak: a forward pass must fit in the workspace a training step left.
TEST(Classifier, PredictionFitsInTheTrainingWorkspaceAndNeedsNoGradients) {
  for (const CellType cell : {CellType::kLstm, CellType::kGru}) {
    ClassifierConfig c = small_config();
    c.cell = cell;
    c.layers = 2;
    Classifier m(c, 2);
    Workspace ws(2);
    const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const std::vector<int32_t> lengths = {5, 2, 7, 1};
    const std::vector<int32_t> labels = {0, 2, 1, 1};
    std::vector<float> probs(12);
    m.predict_proba({ids, lengths}, ws, probs);
    EXPECT_FALSE(m.params().has_grads()) << name_of(cell);
    Adam opt(m.params(), {});
    Rng rng(1);
    Tensor d;
    train_step(m, opt, ws, rng, {ids, lengths}, labels, d);
    train_step(m, opt, ws, rng, {ids, lengths}, labels, d);
    const std::size_t blocks = ws.block_allocations();
    m.predict_proba({ids, lengths}, ws, probs);
    m.predict_proba({ids, lengths}, ws, probs);
    EXPECT_EQ(ws.block_allocations(), blocks) << name_of(cell);
  }
}

TEST(Classifier, BadInputsAreErrorsNamingTheValue) {
  Classifier m(small_config(), 1);
  Workspace ws(1);
  std::vector<float> probs(3);
  const std::vector<int32_t> one = {1};
  const std::vector<int32_t> bad_id = {25};
  try {
    m.predict_proba({bad_id, one}, ws, probs);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("25"), std::string::npos) << e.what();
  }
  const std::vector<int32_t> two_ids = {1, 2};
  EXPECT_THROW(m.predict_proba({two_ids, one}, ws, probs), Error);
  std::vector<float> small(2);
  EXPECT_THROW(m.predict_proba({one, one}, ws, small), Error);
  Tensor d({1, 3});
  EXPECT_THROW(m.backward({one, one}, d, ws), Error);  // no training forward yet
  ClassifierConfig bn = small_config();
  bn.norm = NormType::kBatch;
  Classifier with_bn(bn, 1);
  Rng rng(1);
  EXPECT_THROW(with_bn.forward({one, one}, ws, true, &rng), Error);  // batch norm needs >= 2
  EXPECT_THROW(m.forward({one, one}, ws, true, nullptr), Error);     // dropout needs an rng
}

}  // namespace
}  // namespace zhsenti::nn
