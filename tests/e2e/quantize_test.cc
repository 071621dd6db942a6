// zhsenti quantize end to end: the int8 model directory, what eval and predict make of it
// (on every instruction set this CPU has), and its refusals: an already quantised model, an
// --out that is not a model, with nothing half-written. (The server loading it is in
// serve_test.cc; its ONNX export runs in ONNX Runtime in tests/onnx.)

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tiny_model_fixture.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

std::vector<std::string> dir_entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class QuantizeE2E : public TinyModelE2E {
 protected:
  static void SetUpTestSuite() {
    TinyModelE2E::SetUpTestSuite();
    texts_ =
        dir_->write("texts.txt", "房间非常好，服务很满意\n太差了，很失望\n质量很好\n还行吧\n\n");
    const auto r = run_zhsenti({"quantize", "--model", dir_->file("model"), "--out", model8()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string model8() { return dir_->file("model8"); }
  static inline std::string texts_;
};

TEST_F(QuantizeE2E, WritesInt8MatricesWithRowScalesAndSaysSoInConfig) {
  const auto q = modelfile::SafetensorsFile::read(model8() + "/model.safetensors");
  const auto& emb = q.at("embedding.weight");
  EXPECT_EQ(emb.dtype, modelfile::DType::kI8);
  const auto& scale = q.at("embedding.weight.scale");
  EXPECT_EQ(scale.dtype, modelfile::DType::kF32);
  EXPECT_EQ(scale.shape, modelfile::Shape{emb.shape[0]});
  EXPECT_EQ(q.at("head.weight").dtype, modelfile::DType::kI8);
  EXPECT_EQ(q.at("head.bias").dtype, modelfile::DType::kF32);  // vectors stay fp32
  const json config = json::parse(read_file(model8() + "/config.json"));
  EXPECT_EQ(config["quantization"]["dtype"], "int8");
  EXPECT_EQ(fs::file_size(model8() + "/vocab.txt"),
            fs::file_size(dir_->file("model") + "/vocab.txt"));
  // Each matrix takes a quarter of its fp32 bytes (the tiny model's biases and scales weigh
  // more than a real model's, so the whole file is compared in docs/BENCHMARKS.md).
  const auto original =
      modelfile::SafetensorsFile::read(dir_->file("model") + "/model.safetensors");
  for (const auto& t : q.tensors()) {
    if (t.dtype != modelfile::DType::kI8) continue;
    EXPECT_EQ(4 * t.num_bytes(), original.at(t.name).num_bytes()) << t.name;
  }
  EXPECT_LT(fs::file_size(model8() + "/model.safetensors"),
            fs::file_size(dir_->file("model") + "/model.safetensors"));
}

TEST_F(QuantizeE2E, EvalAndPredictRunTheInt8ModelCloseToTheOriginal) {
  const auto original = run_zhsenti(
      {"predict", "--model", dir_->file("model"), "--json", "--precision", "fp32", texts_});
  ASSERT_EQ(original.exit_code, 0) << original.err;
  const auto quantised = run_zhsenti({"predict", "--model", model8(), "--json", texts_});
  ASSERT_EQ(quantised.exit_code, 0) << quantised.err;
  const auto a = json_lines(original.out), b = json_lines(quantised.out);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["label"], b[i]["label"]) << a[i]["text"];
    for (const auto& [label, p] : a[i]["probabilities"].items()) {
      EXPECT_NEAR(p.get<double>(), b[i]["probabilities"][label].get<double>(), 0.03)
          << a[i]["text"];
    }
  }

  const auto e1 = run_zhsenti({"eval", "--model", dir_->file("model"), "--data", dev_, "--json"});
  const auto e8 = run_zhsenti({"eval", "--model", model8(), "--data", dev_, "--json"});
  ASSERT_EQ(e1.exit_code, 0) << e1.err;
  ASSERT_EQ(e8.exit_code, 0) << e8.err;
  EXPECT_NEAR(json::parse(e1.out)["accuracy"].get<double>(),
              json::parse(e8.out)["accuracy"].get<double>(), 0.05);
}

// The int8 kernels of every ISA sum exactly (tests/unit/nn/int8_test.cc): forced through
// ZHSENTI_ISA, the whole model gives the same labels, its probabilities differing only by the
// fp32 parts' last bits.
TEST_F(QuantizeE2E, EveryInstructionSetGivesTheSamePredictions) {
  std::vector<std::vector<json>> runs;
  for (const char* isa : {"generic", "avx2", "avx512"}) {
    ::setenv("ZHSENTI_ISA", isa, 1);
    const auto r =
        run_zhsenti({"predict", "--model", model8(), "--json", "--precision", "int8", texts_});
    ::unsetenv("ZHSENTI_ISA");
    if (r.exit_code != 0 && r.err.find("supports at most") != std::string::npos) continue;
    ASSERT_EQ(r.exit_code, 0) << isa << ": " << r.err;
    runs.push_back(json_lines(r.out));
  }
  ASSERT_GE(runs.size(), 1u);
  for (std::size_t k = 1; k < runs.size(); ++k) {
    ASSERT_EQ(runs[k].size(), runs[0].size());
    for (std::size_t i = 0; i < runs[0].size(); ++i) {
      EXPECT_EQ(runs[k][i]["label"], runs[0][i]["label"]);
      for (const auto& [label, p] : runs[0][i]["probabilities"].items()) {
        EXPECT_NEAR(p.get<double>(), runs[k][i]["probabilities"][label].get<double>(), 1e-4);
      }
    }
  }
}

TEST_F(QuantizeE2E, AQuantisedModelIsNotQuantisedAgain) {
  const std::string out = dir_->file("model8_again");
  const auto r = run_zhsenti({"quantize", "--model", model8(), "--out", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("already quantised"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(model8()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(QuantizeE2E, OutFollowsTheModelDirectoryRules) {
  // A directory that is not a model is refused and left as it was, with nothing beside it.
  const std::string project = dir_->file("project");
  fs::create_directory(project);
  std::ofstream(project + "/notes.txt") << "mine\n";
  const auto before = dir_entries(dir_->path());
  const auto r = run_zhsenti({"quantize", "--model", dir_->file("model"), "--out", project});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a model directory"), std::string::npos) << r.err;
  EXPECT_EQ(dir_entries(project), std::vector<std::string>{"notes.txt"});
  EXPECT_EQ(dir_entries(dir_->path()), before);

  // An existing model is replaced whole.
  const std::string target = dir_->file("replace_me");
  fs::copy(dir_->file("model"), target);
  const auto ok = run_zhsenti({"quantize", "--model", dir_->file("model"), "--out", target});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(json::parse(read_file(target + "/config.json")).contains("quantization"));
}

TEST_F(QuantizeE2E, ACorruptInt8TensorIsRefusedByName) {
  const std::string bad = dir_->file("bad8");
  fs::copy(model8(), bad);
  // Drop the head's scales: the reader names the missing tensor.
  auto file = modelfile::SafetensorsFile::read(bad + "/model.safetensors");
  modelfile::SafetensorsWriter w;
  for (const auto& t : file.tensors()) {
    if (t.name == "head.weight.scale") continue;
    w.add(t.name, t.dtype, t.shape, file.data(t));
  }
  w.write(bad + "/model.safetensors");
  const auto r = run_zhsenti({"predict", "--model", bad, texts_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("head.weight.scale"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
