// zhsenti finetune end to end: a small base model, then fine-tuning runs on new data with the
// same labels, a new label set, the server's feedback file, and bad inputs.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
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

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_all(path)); }

// One base model for the whole suite: training it is the slow part.
class FinetuneE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    base_ = dir_->file("base");
    const auto r = run_zhsenti({"train",
                                "--train",
                                dir_->write("train.tsv", synthetic_reviews_tsv(200, 1)),
                                "--dev",
                                dir_->write("dev.tsv", synthetic_reviews_tsv(40, 2)),
                                "--out",
                                base_,
                                "--embed-dim",
                                "16",
                                "--hidden",
                                "16",
                                "--ngram-buckets",
                                "64",
                                "--epochs",
                                "2",
                                "--batch-size",
                                "16",
                                "--lr",
                                "0.01",
                                "--threads",
                                "1",
                                "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  RunResult finetune(const std::string& train, const std::string& out,
                     std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{
        "finetune", "--model", base_, "--train",  train, "--validation-split",
        "0.25",     "--out",   out,   "--epochs", "1",   "--threads",
        "1",        "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_zhsenti(args);
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string base_;
  TempDir work_;
};

std::unique_ptr<TempDir> FinetuneE2E::dir_;
std::string FinetuneE2E::base_;

TEST_F(FinetuneE2E, SameLabelsKeepTheModelAndExtendItsVocabulary) {
  // New data with characters the base never saw (鲜, 嫩, 咸).
  std::string data = synthetic_reviews_tsv(40, 3);
  for (int i = 0; i < 6; ++i) data += "1\t鲜嫩可口\n0\t太咸了\n";
  const std::string out = work_.file("tuned");
  const auto r = finetune(work_.write("new.tsv", data), out, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const std::string base_vocab = read_all(base_ + "/vocab.txt");
  const std::string vocab = read_all(out + "/vocab.txt");
  ASSERT_GT(vocab.size(), base_vocab.size());
  EXPECT_EQ(vocab.substr(0, base_vocab.size()), base_vocab) << "old ids must keep their rows";
  EXPECT_NE(vocab.find("鲜\t"), std::string::npos);

  const auto base_config = read_json(base_ + "/config.json");
  const auto config = read_json(out + "/config.json");
  EXPECT_EQ(config["labels"], base_config["labels"]);
  EXPECT_EQ(config["training"]["config"]["init_model"], base_);
  EXPECT_FLOAT_EQ(config["training"]["config"]["lr"].get<float>(),
                  base_config["training"]["config"]["lr"].get<float>() / 2);
  EXPECT_EQ(config["architecture"]["hidden"], base_config["architecture"]["hidden"]);

  const auto p = run_zhsenti({"predict", "--model", out, "--text", "鲜嫩可口，非常好", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(nlohmann::json::parse(p.out)["label"], "1") << p.out;
}

TEST_F(FinetuneE2E, NoExtendVocabKeepsTheBaseVocabulary) {
  std::string data = synthetic_reviews_tsv(40, 4) + "1\t鲜嫩可口\n0\t太咸了\n";
  const std::string out = work_.file("tuned");
  const auto r = finetune(work_.write("new.tsv", data), out, {"--no-extend-vocab"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_all(out + "/vocab.txt"), read_all(base_ + "/vocab.txt"));
}

TEST_F(FinetuneE2E, UnknownLabelIsAnErrorNamingFileAndLine) {
  const std::string data = "label\ttext_a\n1\t很好\n0\t很差\n2\t一般般\n";
  const std::string path = work_.write("new.tsv", data);
  const auto r = finetune(path, work_.file("tuned"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'2'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--new-labels"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(work_.file("tuned")));
}

TEST_F(FinetuneE2E, NewLabelsReplaceTheOutputLayer) {
  std::string data = "label\ttext_a\n";
  for (int i = 0; i < 20; ++i) {
    const std::string n = std::to_string(i);
    data += "喜\t非常好很满意" + n + "\n怒\t太差了很生气" + n + "\n哀\t很失望难过" + n + "\n";
  }
  const std::string out = work_.file("emotions");
  const auto r = finetune(work_.write("emotions.tsv", data), out, {"--new-labels"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto config = read_json(out + "/config.json");
  EXPECT_EQ(config["labels"], nlohmann::json({"哀", "喜", "怒"}));
  EXPECT_EQ(config["architecture"]["num_classes"], 3);
  const auto p = run_zhsenti({"predict", "--model", out, "--text", "很失望", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(nlohmann::json::parse(p.out)["probabilities"].size(), 3u) << p.out;
}

TEST_F(FinetuneE2E, ReadsTheServersFeedbackFile) {
  // The lines `serve --feedback-file` appends (docs/api.md): text and label plus metadata.
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    const std::string n = std::to_string(i);
    lines += R"({"text": "送餐太慢了，很失望)" + n +
             R"(", "label": "0", "predicted": "1", )"
             R"("model": "base", "model_version": "abc", "time": "2026-12-01T10:00:00Z"})"
             "\n";
    lines += R"({"text": "味道很好，非常满意)" + n +
             R"(", "label": "1", "predicted": "1", )"
             R"("model": "base", "model_version": "abc", "time": "2026-12-01T10:00:01Z", )"
             R"("prediction_id": "x-1"})"
             "\n";
  }
  const auto r = finetune(work_.write("feedback.jsonl", lines), work_.file("tuned"), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["train_rows"].get<int>() + summary["dev_rows"].get<int>(), 24);
}

TEST_F(FinetuneE2E, ArchitectureCannotBeChanged) {
  const auto r = finetune(work_.write("new.tsv", synthetic_reviews_tsv(20, 5)), work_.file("t"),
                          {"--hidden", "32"});
  EXPECT_NE(r.exit_code, 0);  // the architecture is the base model's
  EXPECT_NE(r.err.find("--hidden"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
