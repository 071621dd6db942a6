// train -> eval -> predict end to end on a small generated data set whose labels follow
// from the words in each text, so a working pipeline must learn it and a broken one cannot.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TrainE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = dir_.write("train.tsv", synthetic_reviews_tsv(240, 1));
    dev_ = dir_.write("dev.tsv", synthetic_reviews_tsv(60, 2));
  }
  std::vector<std::string> small_model(const std::string& out, int epochs) const {
    return {"train",
            "--train",
            train_,
            "--dev",
            dev_,
            "--out",
            out,
            "--tokens",
            "char",
            "--embed-dim",
            "16",
            "--hidden",
            "16",
            "--epochs",
            std::to_string(epochs),
            "--batch-size",
            "16",
            "--lr",
            "0.01",
            "--threads",
            "1",
            "--seed",
            "7",
            "-q"};
  }
  TempDir dir_;
  std::string train_, dev_;
};

TEST_F(TrainE2E, TrainEvalPredictLearnsTheTask) {
  const std::string model = dir_.file("model");
  auto args = small_model(model, 6);
  args.insert(args.begin() + 1, "--json");
  const auto t = run_zhsenti(args);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto summary = nlohmann::json::parse(t.out);
  EXPECT_GE(summary["dev"]["accuracy"].get<double>(), 0.9) << t.out;
  for (const char* f : {"config.json", "model.safetensors", "vocab.txt", "metrics.jsonl",
                        "report.html", "reference.json"}) {
    EXPECT_TRUE(std::filesystem::exists(model + "/" + f)) << f;
  }
  EXPECT_FALSE(std::filesystem::exists(model + ".ckpt")) << "checkpoint removed after success";

  const auto e = run_zhsenti(
      {"eval", "--model", model, "--data", dev_, "--json", "--report", dir_.file("r.html")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto metrics = nlohmann::json::parse(e.out);
  EXPECT_GE(metrics["accuracy"].get<double>(), 0.9);
  EXPECT_EQ(metrics["num_examples"].get<int>(), 60);
  EXPECT_NE(read_all(dir_.file("r.html")).find("<svg"), std::string::npos);

  const auto p = run_zhsenti({"predict", "--model", model, "--json", "--text",
                              "房间非常好，服务很满意", "--text", "房间太差了，很失望"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  std::istringstream lines(p.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(nlohmann::json::parse(first)["label"], "1") << p.out;
  EXPECT_EQ(nlohmann::json::parse(second)["label"], "0") << p.out;
  const auto probs = nlohmann::json::parse(first)["probabilities"];
  EXPECT_NEAR(probs["0"].get<double>() + probs["1"].get<double>(), 1.0, 1e-5);

  // Lines from stdin, order kept.
  const auto s = run_zhsenti({"predict", "--model", model}, "很失望\n非常好\n");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.out.substr(0, 2), "0\t") << s.out;
  EXPECT_NE(s.out.find("\n1\t"), std::string::npos) << s.out;
}

TEST_F(TrainE2E, SameSeedOneThreadIsBitIdenticalAndResumeContinuesExactly) {
  // Also with a moving average of the weights, which the checkpoint must carry, and with
  // pre-trained embeddings frozen for the first epoch: the resumed run must neither train
  // new vectors nor miss the unfreezing.
  const std::string extra = dir_.write("extra.txt", "房间很好，服务不错\n味道一般\n");
  std::string plain_model;
  for (const std::string variant : {"plain", "ema", "pretrain"}) {
    SCOPED_TRACE(variant);
    const std::string a = dir_.file("a-" + variant), b = dir_.file("b-" + variant),
                      c = dir_.file("c-" + variant);
    // A constant rate: a cosine schedule spans the epochs of each invocation, so stopping
    // at one epoch and resuming to three follows another curve than three straight epochs.
    auto model = [&](const std::string& out, int epochs) {
      auto args = small_model(out, epochs);
      args.insert(args.end(), {"--schedule", "constant"});
      if (variant == "ema") args.insert(args.end(), {"--ema-decay", "0.9"});
      if (variant == "pretrain") {
        args.insert(args.end(),
                    {"--pretrain-epochs", "2", "--unlabelled", extra, "--unfreeze-after", "1"});
      }
      return args;
    };
    ASSERT_EQ(run_zhsenti(model(a, 3)).exit_code, 0);
    ASSERT_EQ(run_zhsenti(model(b, 3)).exit_code, 0);
    EXPECT_EQ(read_all(a + "/model.safetensors"), read_all(b + "/model.safetensors"));

    // Stop after one epoch keeping the checkpoint, then resume to three.
    auto first = model(c, 1);
    first.push_back("--keep-checkpoint");
    ASSERT_EQ(run_zhsenti(first).exit_code, 0);
    ASSERT_TRUE(std::filesystem::exists(c + ".ckpt/state.json"));
    auto resume = model(c, 3);
    resume.push_back("--resume");
    const auto r = run_zhsenti(resume);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_all(a + "/model.safetensors"), read_all(c + "/model.safetensors"));
    if (variant == "plain") {
      plain_model = read_all(a + "/model.safetensors");
    } else {
      EXPECT_NE(read_all(a + "/model.safetensors"), plain_model) << "the variant changes it";
    }
  }
}

TEST_F(TrainE2E, ResumeWithOtherSettingsIsRefused) {
  const std::string m = dir_.file("m");
  auto first = small_model(m, 1);
  first.push_back("--keep-checkpoint");
  ASSERT_EQ(run_zhsenti(first).exit_code, 0);
  auto other = small_model(m, 2);
  *(std::find(other.begin(), other.end(), "--hidden") + 1) = "8";
  other.push_back("--resume");
  const auto r = run_zhsenti(other);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("different settings"), std::string::npos) << r.err;
}

TEST_F(TrainE2E, BadInputsGiveClearErrors) {
  const std::string bad = dir_.write("bad.tsv", "label\ttext_a\n1\t好\nno-tab-here\n");
  auto r = run_zhsenti({"train", "--train", bad, "--out", dir_.file("x"), "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.tsv:3"), std::string::npos) << r.err;

  r = run_zhsenti(
      {"train", "--train", train_, "--out", dir_.file("x"), "--cell", "transformer", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--cell"), std::string::npos) << r.err;

  r = run_zhsenti(
      {"train", "--train", train_, "--out", dir_.file("x"), "--ngram-order", "4", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--ngram-order must be 2 or 3, got 4"), std::string::npos) << r.err;

  r = run_zhsenti({"eval", "--model", dir_.file("missing"), "--data", dev_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;

  const std::string cfg = dir_.write("cfg.json", R"({"hiden": 3})");
  r = run_zhsenti({"train", "--config", cfg, "--train", train_, "--out", dir_.file("x"), "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("hiden"), std::string::npos) << r.err;
}

TEST_F(TrainE2E, CosineScheduleDecaysOverThePlannedSteps) {
  // 240 rows / batch 16 = 15 steps per epoch, 60 in all; the lr logged after each epoch is
  // the one of its last step: 0.01 * (1 + cos(pi * t / 60)) / 2 at t = 14, 29, 44, 59.
  const std::string model = dir_.file("model");
  auto args = small_model(model, 4);
  args.insert(args.end(), {"--schedule", "cosine", "--early-stopping", "0"});
  ASSERT_EQ(run_zhsenti(args).exit_code, 0);
  std::istringstream lines(read_all(model + "/metrics.jsonl"));
  std::vector<double> lrs;
  for (std::string line; std::getline(lines, line);) {
    lrs.push_back(nlohmann::json::parse(line)["lr"].get<double>());
  }
  const double pi = 3.14159265358979323846;
  ASSERT_EQ(lrs.size(), 4u);
  for (int e = 0; e < 4; ++e) {
    const double t = 15.0 * (e + 1) - 1;
    EXPECT_NEAR(lrs[static_cast<std::size_t>(e)], 0.01 * (1 + std::cos(pi * t / 60)) / 2, 1e-6)
        << e;
  }
}

TEST_F(TrainE2E, NgramEmbeddingsAreSavedAndUsedByPredict) {
  for (const std::string order : {"2", "3"}) {
    SCOPED_TRACE("--ngram-order " + order);
    const std::string model = dir_.file("model-" + order);
    auto args = small_model(model, 6);
    args.insert(args.end(), {"--ngram-buckets", "97", "--ngram-order", order, "--json"});
    const auto t = run_zhsenti(args);
    ASSERT_EQ(t.exit_code, 0) << t.err;
    EXPECT_GE(nlohmann::json::parse(t.out)["dev"]["accuracy"].get<double>(), 0.9) << t.out;
    const auto config = nlohmann::json::parse(read_all(model + "/config.json"));
    EXPECT_EQ(config["architecture"]["ngram_buckets"], 97);
    EXPECT_EQ(config["architecture"]["ngram_order"], std::stoi(order));
    const auto e = run_zhsenti({"eval", "--model", model, "--data", dev_, "--json"});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(e.out)["accuracy"].get<double>(),
                     nlohmann::json::parse(t.out)["dev"]["accuracy"].get<double>());
  }
}

TEST_F(TrainE2E, EvalRejectsLabelsTheModelDoesNotKnow) {
  const std::string model = dir_.file("model");
  ASSERT_EQ(run_zhsenti(small_model(model, 1)).exit_code, 0);
  const std::string odd = dir_.write("odd.tsv", "label\ttext_a\n1\t好\n7\t差\n");
  const auto r = run_zhsenti({"eval", "--model", model, "--data", odd});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("odd.tsv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'7'"), std::string::npos) << r.err;
}

TEST_F(TrainE2E, OversampleDrawsTheSmallerClassUpToTheLarger) {
  // 60 praise rows against 12 complaints: 48 complaints are drawn again.
  std::string data = "label\ttext_a\n";
  const std::string all = synthetic_reviews_tsv(120, 9);
  std::istringstream lines(all);
  std::string line;
  std::getline(lines, line);  // header
  int negatives = 0;
  while (std::getline(lines, line)) {
    if (line[0] == '1' || negatives++ < 12) data += line + "\n";
  }
  const std::string model = dir_.file("model");
  auto args = small_model(model, 1);
  args[2] = dir_.write("imbalanced.tsv", data);
  args.pop_back();  // -q: the log line is the evidence
  args.push_back("--oversample");
  const auto t = run_zhsenti(args);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.err.find("oversampling: 48 training rows drawn again"), std::string::npos) << t.err;
  const auto config = nlohmann::json::parse(read_all(model + "/config.json"));
  EXPECT_EQ(config["training"]["config"]["oversample"], true);
}

}  // namespace
}  // namespace zhsenti::testing
