// Skewed training labels end to end: on a small synthetic set whose rare class is never the
// most likely one for any text, plain training (the defaults, which name the skew and the flag
// in the log) never predicts it, while the skewed-data defaults (--skew-defaults) recall it.
// The decision rule `--calibrate` stores goes through the model directory and is applied by
// predict and serve.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "serve_harness.h"
#include "zhsenti/core/file.h"

namespace zhsenti::testing {
namespace {

using json = nlohmann::json;

// 8 % "angry". The cue 怒 is in 60 % of angry texts and 8 % of the others, so even a text with
// the cue is angry with probability 0.39: a model of the posterior never says angry, a model
// with the prior divided out (odds 7.5:1) says it for every text with the cue.
std::string skewed_tsv(int rows, unsigned seed) {
  const std::vector<std::string> filler = {"今天", "天气", "我们", "出门", "吃饭", "路上",
                                           "同事", "周末", "看到", "消息", "大家", "一起"};
  unsigned x = seed;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  std::string out = "label\ttext\n";
  for (int i = 0; i < rows; ++i) {
    const bool angry = next() % 100 < 8;
    const bool cue = next() % 100 < (angry ? 60u : 8u);
    std::string text = filler[next() % filler.size()] + filler[next() % filler.size()];
    if (cue) text += "怒";
    text += filler[next() % filler.size()] + filler[next() % filler.size()];
    out += (angry ? "angry\t" : "neutral\t") + text + "\n";
  }
  return out;
}

const std::vector<std::string> kSmallModel = {
    "--embed-dim", "8",  "--hidden",     "8",    "--ngram-buckets", "0", "--pretrain-epochs", "0",
    "--epochs",    "4",  "--batch-size", "32",   "--lr",            "0.02", "--threads", "1"};

RunResult train(TempDir& dir, const std::string& out, std::vector<std::string> extra) {
  std::vector<std::string> args = {"train", "--train", dir.file("train.tsv"), "--dev",
                                   dir.file("dev.tsv"), "--out", out};
  args.insert(args.end(), kSmallModel.begin(), kSmallModel.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return run_zhsenti(args);
}

double recall_of(const json& metrics, const std::string& label) {
  for (const auto& c : metrics["per_class"]) {
    if (c["label"] == label) return c["recall"].get<double>();
  }
  ADD_FAILURE() << "no label " << label;
  return -1;
}

json eval_test(TempDir& dir, const std::string& model) {
  const auto r = run_zhsenti({"eval", "--model", model, "--data", dir.file("test.tsv"), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

class SkewE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.write("train.tsv", skewed_tsv(800, 1));
    dir.write("dev.tsv", skewed_tsv(400, 2));
    dir.write("test.tsv", skewed_tsv(400, 3));
  }
  TempDir dir;
};

std::string skew_line(const RunResult& r) {
  const auto at = r.err.find("skewed labels");
  if (at == std::string::npos) return "";
  return r.err.substr(at, r.err.find('\n', at) - at);
}

TEST_F(SkewE2E, SkewDefaultsRecallTheRareClassPlainTrainingMisses) {
  auto r = train(dir, dir.file("plain"), {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The defaults stay plain, and one line names the skew and the flag that would switch.
  std::string line = skew_line(r);
  EXPECT_NE(line.find("--skew-defaults would set --metric macro_f1"), std::string::npos) << r.err;
  const json plain = eval_test(dir, dir.file("plain"));
  EXPECT_LT(recall_of(plain, "angry"), 0.15) << plain.dump();
  EXPECT_TRUE(plain["label_skew"]["skewed"].get<bool>());
  EXPECT_EQ(json::parse(read_file(dir.file("plain/config.json")))["training"]["config"]["metric"],
            "accuracy");

  r = train(dir, dir.file("default"), {"--skew-defaults"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One line names what changed and the flag that turns it off.
  line = skew_line(r);
  EXPECT_NE(line.find("--no-skew-defaults"), std::string::npos) << r.err;
  EXPECT_NE(line.find("--metric macro_f1"), std::string::npos) << line;
  const json defaults = eval_test(dir, dir.file("default"));
  EXPECT_GT(recall_of(defaults, "angry"), 0.35) << defaults.dump();
  EXPECT_GT(defaults["macro_avg"]["f1"].get<double>(), plain["macro_avg"]["f1"].get<double>() + 0.1);
  const json config = json::parse(read_file(dir.file("default/config.json")));
  EXPECT_EQ(config["training"]["config"]["metric"], "macro_f1");

  // The eval report shows the skewed set's view: recall per label and a PR curve per label.
  r = run_zhsenti({"eval", "--model", dir.file("default"), "--data", dir.file("test.tsv"),
                   "--report", dir.file("report.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("skewed labels"), std::string::npos) << r.out;
  const std::string html = read_file(dir.file("report.html"));
  EXPECT_NE(html.find("Skewed labels: macro F1"), std::string::npos);
  EXPECT_NE(html.find("angry (AP "), std::string::npos);
}

TEST_F(SkewE2E, StoredDecisionRuleRoundTripsAndPredictAndServeApplyIt) {
  const std::string model = dir.file("model");
  // The plain model misses the rare class, so a rule fitted on dev gains and is stored.
  auto r = train(dir, model, {"--calibrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(model + "/decision.json")) << r.err;
  const json rule = json::parse(read_file(model + "/decision.json"));
  const json config = json::parse(read_file(model + "/config.json"));
  EXPECT_EQ(rule["labels"], config["labels"]);
  const auto offsets = rule["log_offsets"].get<std::vector<double>>();
  ASSERT_EQ(offsets.size(), 2u);
  EXPECT_NE(offsets[0], offsets[1]);

  const std::string text = "今天天气怒我们出门";
  r = run_zhsenti({"predict", "--model", model, "--text", text, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json ruled = json::parse(r.out);
  r = run_zhsenti({"predict", "--model", model, "--text", text, "--json", "--no-decision-rule"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json raw = json::parse(r.out);
  // p'_c = p_c exp(o_c) / sum_k p_k exp(o_k), from the raw probabilities.
  const auto labels = config["labels"].get<std::vector<std::string>>();
  double norm = 0;
  for (std::size_t c = 0; c < 2; ++c) {
    norm += raw["probabilities"][labels[c]].get<double>() * std::exp(offsets[c]);
  }
  for (std::size_t c = 0; c < 2; ++c) {
    const double expected = raw["probabilities"][labels[c]].get<double>() * std::exp(offsets[c]) / norm;
    EXPECT_NEAR(ruled["probabilities"][labels[c]].get<double>(), expected, 1e-4) << labels[c];
  }

  ServerProcess server({"--model", model});
  const auto reply = http_request(server.port(), "POST", "/v1/predict", json{{"text", text}}.dump());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json served = json::parse(reply.body);
  EXPECT_EQ(served["label"], ruled["label"]);
  for (const auto& label : labels) {
    EXPECT_NEAR(served["probabilities"][label].get<double>(),
                ruled["probabilities"][label].get<double>(), 1e-4)
        << label;
  }
}

}  // namespace
}  // namespace zhsenti::testing
