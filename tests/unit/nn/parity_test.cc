// PyTorch parity: the engine loads the weights of the cases tools/torch_reference.py built
// with torch 1.13 and must reproduce their outputs and every gradient.
// Metric: max|ours - torch| / max(1, max|torch|) <= 1e-4 (1e-6 for optimiser steps).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "zhsenti/nn/layers/batch_norm.h"
#include "zhsenti/nn/layers/embedding.h"
#include "zhsenti/nn/layers/layer_norm.h"
#include "zhsenti/nn/layers/linear.h"
#include "zhsenti/nn/layers/recurrent.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/optim/optimizer.h"

#ifndef ZHSENTI_NN_TORCH_DIR
#error "ZHSENTI_NN_TORCH_DIR must name the directory tools/torch_reference.py writes"
#endif

namespace zhsenti::nn {
namespace {

using nlohmann::json;

constexpr double kTol = 1e-4;
constexpr double kOptimTol = 1e-6;

json load_json(const std::string& file) {
  const std::string path = std::string(ZHSENTI_NN_TORCH_DIR) + "/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing " + path + " (the nn_torch_reference test writes it)");
  return json::parse(in);
}

const json& find_case(const std::string& name) {
  static std::map<std::string, json> cases;
  auto it = cases.find(name);
  if (it == cases.end()) it = cases.emplace(name, load_json(name + ".json")).first;
  return it->second;
}

std::vector<float> tensor(const json& c, const std::string& name) {
  const json& t = c["tensors"].at(name);
  std::vector<float> v;
  v.reserve(t["data"].size());
  for (const json& x : t["data"]) v.push_back(static_cast<float>(x.get<double>()));
  return v;
}

std::vector<int64_t> shape(const json& c, const std::string& name) {
  return c["tensors"].at(name)["shape"].get<std::vector<int64_t>>();
}

// max|a - b| / max(1, max|b|)
double rel_error(std::span<const float> ours, std::span<const float> ref) {
  EXPECT_EQ(ours.size(), ref.size());
  double diff = 0, scale = 1;
  for (std::size_t i = 0; i < std::min(ours.size(), ref.size()); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(ours[i]) - ref[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(ref[i])));
  }
  return std::isnan(diff) ? 1e30 : diff / scale;
}

#define EXPECT_CLOSE(ours, ref, tol, what) EXPECT_LE(rel_error(ours, ref), tol) << (what)

void load_params(ParamStore& store, const json& c) {
  for (const auto& [name, t] : c["tensors"].items()) {
    const ParamStore::Id id = store.find(name);
    if (id < 0) continue;
    ASSERT_EQ(store.info(id).shape, t["shape"].get<std::vector<int64_t>>()) << name;
    const std::vector<float> v = tensor(c, name);
    std::copy(v.begin(), v.end(), store.value(id).begin());
  }
}

void expect_grads(const ParamStore& store, const json& c, const std::string& where) {
  int checked = 0;
  for (const auto& [name, t] : c["tensors"].items()) {
    if (name.rfind("grad:", 0) != 0) continue;
    const std::string param = name.substr(5);
    EXPECT_CLOSE(store.grad(store.id(param)), tensor(c, name), kTol, where + " grad " + param);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// Ragged (batch order) <-> packed rows.
void ragged_to_packed(const PackedBatch& pb, const float* ragged, int cols, float* packed) {
  for (int b = 0; b < pb.batch; ++b) {
    for (int t = 0; t < pb.lengths[b]; ++t) {
      std::memcpy(packed + static_cast<std::size_t>(pb.row(b, t)) * cols,
                  ragged + static_cast<std::size_t>(pb.starts[b] + t) * cols, sizeof(float) * cols);
    }
  }
}

std::vector<float> packed_to_ragged(const PackedBatch& pb, const float* packed, int cols) {
  std::vector<float> out(static_cast<std::size_t>(pb.rows) * cols);
  for (int b = 0; b < pb.batch; ++b) {
    for (int t = 0; t < pb.lengths[b]; ++t) {
      std::memcpy(out.data() + static_cast<std::size_t>(pb.starts[b] + t) * cols,
                  packed + static_cast<std::size_t>(pb.row(b, t)) * cols, sizeof(float) * cols);
    }
  }
  return out;
}

TEST(TorchParity, ReferenceIsFromTorch) {
  const json index = load_json("index.json");
  EXPECT_EQ(index["torch_version"].get<std::string>().substr(0, 4), "1.13");
  EXPECT_GE(index["cases"].size(), 29u);
}

TEST(TorchParity, Embedding) {
  const json& c = find_case("embedding");
  ParamStore store;
  const auto shp = shape(c, "embedding.weight");
  Embedding emb(store, "embedding", static_cast<int>(shp[0]), static_cast<int>(shp[1]),
                c["padding_id"].get<int>());
  load_params(store, c);
  const auto ids = c["ids"].get<std::vector<int32_t>>();
  std::vector<float> out(ids.size() * emb.dim());
  emb.forward(store, ids, out.data(), emb.dim());
  EXPECT_CLOSE(out, tensor(c, "out"), kTol, "out");
  emb.backward(store, ids, tensor(c, "dout").data(), emb.dim());
  expect_grads(store, c, "embedding");
}

TEST(TorchParity, Linear) {
  const json& c = find_case("linear");
  ParamStore store;
  Linear fc(store, "fc", 6, 3);
  load_params(store, c);
  const std::vector<float> x = tensor(c, "x");
  const int n = static_cast<int>(x.size() / 6);
  std::vector<float> y(static_cast<std::size_t>(n) * 3), dx(x.size());
  fc.forward(store, n, x.data(), y.data());
  EXPECT_CLOSE(y, tensor(c, "out"), kTol, "out");
  fc.backward(store, n, x.data(), tensor(c, "dout").data(), dx.data());
  EXPECT_CLOSE(dx, tensor(c, "dx"), kTol, "dx");
  expect_grads(store, c, "linear");
}

TEST(TorchParity, LayerNorm) {
  const json& c = find_case("layer_norm");
  ParamStore store;
  LayerNorm ln(store, "norm", 7);
  load_params(store, c);
  const std::vector<float> x = tensor(c, "x");
  const int n = static_cast<int>(x.size() / 7);
  std::vector<float> y(x.size()), dx(x.size());
  Workspace ws(1);
  LayerNorm::Cache cache;
  ln.forward(store, n, x.data(), y.data(), cache, ws);
  EXPECT_CLOSE(y, tensor(c, "out"), kTol, "out");
  ln.backward(store, tensor(c, "dout").data(), dx.data(), cache);
  EXPECT_CLOSE(dx, tensor(c, "dx"), kTol, "dx");
  expect_grads(store, c, "layer norm");
}

class BatchNormParity : public ::testing::TestWithParam<const char*> {};

TEST_P(BatchNormParity, OutputsRunningStatsAndGradients) {
  const json& c = find_case(GetParam());
  const bool train = c["train"].get<bool>();
  ParamStore store;
  BatchNorm1d bn(store, "norm", 5);
  load_params(store, c);
  const std::vector<float> x = tensor(c, "x");
  const int n = static_cast<int>(x.size() / 5);
  std::vector<float> y(x.size()), dx(x.size());
  Workspace ws(1);
  BatchNorm1d::Cache cache;
  if (train) {
    bn.forward_train(store, n, x.data(), y.data(), cache, ws);
  } else {
    bn.forward_eval(store, n, x.data(), y.data(), cache, ws);
  }
  EXPECT_CLOSE(y, tensor(c, "out"), kTol, "out");
  EXPECT_CLOSE(store.value(store.id("norm.running_mean")), tensor(c, "after:norm.running_mean"),
               kTol, "running mean");
  EXPECT_CLOSE(store.value(store.id("norm.running_var")), tensor(c, "after:norm.running_var"),
               kTol, "running var");
  bn.backward(store, tensor(c, "dout").data(), dx.data(), cache);
  EXPECT_CLOSE(dx, tensor(c, "dx"), kTol, "dx");
  expect_grads(store, c, "batch norm");
}

INSTANTIATE_TEST_SUITE_P(Modes, BatchNormParity,
                         ::testing::Values("batch_norm_train", "batch_norm_eval"));

TEST(TorchParity, CrossEntropyWithClassWeightsAndLabelSmoothing) {
  const json& c = find_case("cross_entropy");
  const std::vector<float> logits = tensor(c, "logits");
  const std::vector<float> weights = tensor(c, "class_weights");
  const auto labels = c["labels"].get<std::vector<int32_t>>();
  CrossEntropyOptions opts;
  opts.class_weights = weights;
  opts.label_smoothing = c["label_smoothing"].get<float>();
  std::vector<float> d(logits.size());
  const double loss = cross_entropy(logits, labels, static_cast<int>(weights.size()), opts, d);
  EXPECT_NEAR(loss, c["loss"].get<double>(), kTol * std::max(1.0, std::fabs(loss)));
  EXPECT_CLOSE(d, tensor(c, "dlogits"), kTol, "dlogits");
}

TEST(TorchParity, CrossEntropyWithLogitAdjustment) {
  const json& c = find_case("cross_entropy_logit_adjusted");
  const std::vector<float> logits = tensor(c, "logits");
  const std::vector<float> weights = tensor(c, "class_weights");
  const std::vector<float> offsets = tensor(c, "logit_offsets");
  const auto labels = c["labels"].get<std::vector<int32_t>>();
  CrossEntropyOptions opts;
  opts.class_weights = weights;
  opts.logit_offsets = offsets;
  opts.label_smoothing = c["label_smoothing"].get<float>();
  std::vector<float> d(logits.size());
  const double loss = cross_entropy(logits, labels, static_cast<int>(weights.size()), opts, d);
  EXPECT_NEAR(loss, c["loss"].get<double>(), kTol * std::max(1.0, std::fabs(loss)));
  EXPECT_CLOSE(d, tensor(c, "dlogits"), kTol, "dlogits");
  // The offsets matter: without them the loss differs from torch's.
  opts.logit_offsets = {};
  EXPECT_GT(std::fabs(cross_entropy(logits, labels, 4, opts, {}) - c["loss"].get<double>()), 1e-2);
}

// Focal loss: the paper's form (no options), and with class weights, label smoothing and logit
// offsets, torch's autograd through the formula of loss/cross_entropy.h.
class FocalParity : public ::testing::TestWithParam<const char*> {};

TEST_P(FocalParity, LossAndGradient) {
  const json& c = find_case(GetParam());
  const std::vector<float> logits = tensor(c, "logits");
  const auto labels = c["labels"].get<std::vector<int32_t>>();
  const bool options = c["tensors"].contains("class_weights");
  const std::vector<float> weights = options ? tensor(c, "class_weights") : std::vector<float>{};
  const std::vector<float> offsets = options ? tensor(c, "logit_offsets") : std::vector<float>{};
  CrossEntropyOptions opts;
  opts.class_weights = weights;
  opts.logit_offsets = offsets;
  opts.label_smoothing = c["label_smoothing"].get<float>();
  opts.focal_gamma = c["focal_gamma"].get<float>();
  std::vector<float> d(logits.size());
  const double loss = cross_entropy(logits, labels, 4, opts, d);
  EXPECT_NEAR(loss, c["loss"].get<double>(), kTol * std::max(1.0, std::fabs(loss)));
  EXPECT_CLOSE(d, tensor(c, "dlogits"), kTol, "dlogits");
  // Gamma matters: the cross-entropy of the same inputs is another loss.
  opts.focal_gamma = 0.0f;
  EXPECT_GT(std::fabs(cross_entropy(logits, labels, 4, opts, {}) - c["loss"].get<double>()), 1e-2);
}

INSTANTIATE_TEST_SUITE_P(Cases, FocalParity, ::testing::Values("focal", "focal_weighted"));

class OptimizerParity : public ::testing::TestWithParam<const char*> {};

TEST_P(OptimizerParity, ThreeSteps) {
  const json& c = find_case(GetParam());
  ParamStore store;
  const auto names = c["params"].get<std::vector<std::string>>();
  for (const auto& n : names) store.add(n, shape(c, "init:" + n));
  for (const auto& n : names) {
    const auto v = tensor(c, "init:" + n);
    std::copy(v.begin(), v.end(), store.value(store.id(n)).begin());
  }
  const json& o = c["options"];
  std::unique_ptr<Optimizer> opt;
  const std::string kind = c["optimizer"];
  if (kind == "sgd") {
    opt = std::make_unique<Sgd>(store, SgdOptions{.lr = o["lr"], .momentum = o["momentum"],
                                                  .weight_decay = o["weight_decay"],
                                                  .nesterov = o["nesterov"]});
  } else {
    opt = std::make_unique<Adam>(store, AdamOptions{.lr = o["lr"], .beta1 = o["beta1"],
                                                    .beta2 = o["beta2"], .eps = o["eps"],
                                                    .weight_decay = o["weight_decay"],
                                                    .decoupled = kind == "adamw"});
  }
  for (int s = 0; s < c["steps"].get<int>(); ++s) {
    for (const auto& n : names) {
      const auto g = tensor(c, "grad" + std::to_string(s) + ":" + n);
      std::copy(g.begin(), g.end(), store.grad(store.id(n)).begin());
    }
    opt->step(store);
  }
  EXPECT_EQ(opt->steps(), c["steps"].get<int>());
  for (const auto& n : names) {
    EXPECT_CLOSE(store.value(store.id(n)), tensor(c, "final:" + n), kOptimTol, kind + " " + n);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, OptimizerParity, ::testing::Values("adam", "adamw", "sgd"));

TEST(TorchParity, ClipGradNorm) {
  const json& c = find_case("clip_grad_norm");
  ParamStore store;
  for (const char* n : {"a", "b"}) store.add(n, shape(c, std::string("grad:") + n));
  for (const char* n : {"a", "b"}) {
    const auto g = tensor(c, std::string("grad:") + n);
    std::copy(g.begin(), g.end(), store.grad(store.id(n)).begin());
  }
  const double total = clip_grad_norm(store, c["max_norm"].get<double>());
  EXPECT_NEAR(total, c["total"].get<double>(), 1e-5 * total);
  for (const char* n : {"a", "b"}) {
    EXPECT_CLOSE(store.grad(store.id(n)), tensor(c, std::string("clipped:") + n), kOptimTol, n);
  }
}

// Recurrent layers (stacked without dropout), for each case and thread count.
struct RecurrentParam {
  std::string name;
  int threads;
};

void PrintTo(const RecurrentParam& p, std::ostream* os) { *os << p.name << "/t" << p.threads; }

class RecurrentParity : public ::testing::TestWithParam<RecurrentParam> {};

TEST_P(RecurrentParity, OutputsInputGradientsAndWeightGradients) {
  const json& c = find_case(GetParam().name);
  const CellType cell = find_named<CellType>(c["cell"].get<std::string>()).value();
  const int layers = c["layers"], input = c["input"], hidden = c["hidden"];
  const bool bi = c["bidirectional"];
  const auto lengths = c["lengths"].get<std::vector<int32_t>>();
  ParamStore store;
  std::vector<RecurrentLayer> stack;
  for (int l = 0; l < layers; ++l) {
    stack.emplace_back(store, "enc." + std::to_string(l), cell,
                       l == 0 ? input : hidden * (bi ? 2 : 1), hidden, bi);
  }
  load_params(store, c);
  Workspace ws(GetParam().threads);
  const PackedBatch pb = pack_batch(lengths, ws);
  const int f = stack.back().output_dim();
  const std::vector<float> x_ragged = tensor(c, "x");
  float* x = ws.floats(x_ragged.size());
  ragged_to_packed(pb, x_ragged.data(), input, x);

  std::vector<RecurrentLayer::Cache> caches(static_cast<std::size_t>(layers));
  std::vector<float*> outs;
  const float* in = x;
  int ld = input;
  for (int l = 0; l < layers; ++l) {
    outs.push_back(ws.floats(static_cast<std::size_t>(pb.rows) * f));
    stack[l].forward(store, pb, in, ld, outs.back(), true, caches[l], ws);
    in = outs.back();
    ld = f;
  }
  EXPECT_CLOSE(packed_to_ragged(pb, outs.back(), f), tensor(c, "out"), kTol, "out");

  float* dout = ws.floats(static_cast<std::size_t>(pb.rows) * f);
  ragged_to_packed(pb, tensor(c, "dout").data(), f, dout);
  float* dx = nullptr;
  for (int l = layers - 1; l >= 0; --l) {
    dx = ws.floats(static_cast<std::size_t>(pb.rows) * stack[l].input_dim());
    stack[l].backward(store, pb, dout, dx, caches[l], ws);
    dout = dx;
  }
  EXPECT_CLOSE(packed_to_ragged(pb, dx, input), tensor(c, "dx"), kTol, "dx");
  expect_grads(store, c, c["name"]);
}

// Case names are fixed here (test discovery runs before the fixture writes the dump); a
// case the script stops producing fails instead of silently disappearing.
std::vector<RecurrentParam> recurrent_params() {
  std::vector<RecurrentParam> out;
  for (const char* cell : {"rnn", "lstm", "gru"}) {
    std::vector<std::string> names;
    for (const char* dir : {"uni", "bi"}) {
      for (const char* layers : {"l1", "l2"}) {
        names.push_back(std::string(cell) + "_" + dir + "_" + layers + "_h7");
      }
    }
    names.push_back(std::string(cell) + "_bi_l1_h19");
    for (const auto& n : names) {
      for (const int threads : {1, 2}) out.push_back({n, threads});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RecurrentParity, ::testing::ValuesIn(recurrent_params()),
    [](const ::testing::TestParamInfo<RecurrentParam>& param_info) {
      return param_info.param.name + "_t" + std::to_string(param_info.param.threads);
    });

// The whole classifier: logits, loss, every parameter gradient (and batch-norm statistics).
class ClassifierParity : public ::testing::TestWithParam<RecurrentParam> {};

TEST_P(ClassifierParity, EndToEnd) {
  const json& c = find_case(GetParam().name);
  const ClassifierConfig cfg = ClassifierConfig::from_json(c["config"]);
  Classifier model(cfg, 1);
  load_params(model.params(), c);
  const auto ids = c["ids"].get<std::vector<int32_t>>();
  const auto lengths = c["lengths"].get<std::vector<int32_t>>();
  const auto labels = c["labels"].get<std::vector<int32_t>>();
  const Batch batch{ids, lengths};
  Workspace ws(GetParam().threads);
  model.params().zero_grad();
  const Tensor& logits = model.forward(batch, ws, /*train=*/true, nullptr);
  EXPECT_CLOSE(logits.span(), tensor(c, "logits"), kTol, "logits");

  std::vector<float> weights;
  if (c["tensors"].contains("class_weights")) weights = tensor(c, "class_weights");
  CrossEntropyOptions opts;
  opts.class_weights = weights;
  opts.label_smoothing = c["label_smoothing"].get<float>();
  Tensor dlogits({static_cast<int64_t>(lengths.size()), cfg.num_classes});
  const double loss = cross_entropy(logits.span(), labels, cfg.num_classes, opts, dlogits.span());
  EXPECT_NEAR(loss, c["loss"].get<double>(), kTol * std::max(1.0, std::fabs(loss)));
  model.backward(batch, dlogits, ws);
  expect_grads(model.params(), c, c["name"]);
  if (cfg.norm == NormType::kBatch) {
    const ParamStore& p = model.params();
    EXPECT_CLOSE(p.value(p.id("norm.running_mean")), tensor(c, "after:norm.running_mean"), kTol,
                 "running mean");
    EXPECT_CLOSE(p.value(p.id("norm.running_var")), tensor(c, "after:norm.running_var"), kTol,
                 "running var");
  }
}

std::vector<RecurrentParam> classifier_params() {
  std::vector<RecurrentParam> out;
  for (const char* n : {"bilstm_last", "bilstm_max", "bigru2_mean_layernorm",
                        "rnn_attention_batchnorm"}) {
    for (const int threads : {1, 2}) out.push_back({n, threads});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Models, ClassifierParity, ::testing::ValuesIn(classifier_params()),
    [](const ::testing::TestParamInfo<RecurrentParam>& param_info) {
      return param_info.param.name + "_t" + std::to_string(param_info.param.threads);
    });

}  // namespace
}  // namespace zhsenti::nn
