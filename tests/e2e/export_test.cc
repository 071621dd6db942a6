// zhsenti encode and zhsenti export onnx end to end, and their bad inputs: corrupt models,
// invalid text, an --out that is not ONNX or cannot be written. (That the exported graph
// computes predict's probabilities is tests/onnx/parity_test.js, in ONNX Runtime.)

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "zhsenti/core/file.h"

namespace zhsenti::testing {
namespace {

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class ExportE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string train = dir_->write("train.tsv", synthetic_reviews_tsv(120, 1));
    model_ = dir_->file("model");
    const auto r = run_zhsenti({"train", "--train",
                                train,   "--out",
                                model_,  "--tokens",
                                "char",  "--embed-dim",
                                "8",     "--hidden",
                                "8",     "--epochs",
                                "1",     "--pretrain-epochs",
                                "0",     "--ngram-buckets",
                                "50",    "--ngram-order",
                                "3",     "--max-len",
                                "6",     "--threads",
                                "1",     "--validation-split",
                                "0.2",   "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
  static std::string model_;
};
TempDir* ExportE2E::dir_ = nullptr;
std::string ExportE2E::model_;

TEST_F(ExportE2E, EncodePrintsTruncatedIdsAndTheirNgramRows) {
  const auto r = run_zhsenti(
      {"encode", "--model", model_, "--text", "这家酒店的服务非常好，下次还来", "--text", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  const auto& text = lines[0];
  EXPECT_EQ(text["length"], 6) << "--max-len 6 keeps the first six characters";
  ASSERT_EQ(text["ids"].size(), 6u);
  ASSERT_EQ(text["bigram_ids"].size(), 6u);
  ASSERT_EQ(text["trigram_ids"].size(), 6u);
  for (const auto& id : text["bigram_ids"]) EXPECT_LT(id.get<int>(), 50);
  EXPECT_NE(text["bigram_ids"], text["trigram_ids"]);
  // An empty text is the single <pad> id, as the predictor feeds it.
  EXPECT_EQ(lines[1]["ids"], nlohmann::json::array({0}));
  EXPECT_EQ(lines[1]["length"], 1);

  // The same text from a file gives the same line; the ids do not depend on the batch.
  const std::string file = dir_->write("texts.txt", "这家酒店的服务非常好，下次还来\n");
  const auto f = run_zhsenti({"encode", "--model", model_, file});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(json_lines(f.out).at(0), text);
}

TEST_F(ExportE2E, EncodeNamesTheLineOfInvalidUtf8) {
  const std::string file = dir_->write("bad.txt", "好\n\xff\xfe\n");
  const auto r = run_zhsenti({"encode", "--model", model_, file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.txt:2"), std::string::npos) << r.err;
}

TEST_F(ExportE2E, ExportWritesAnOnnxFileAndReplacesOnlyOnnxFiles) {
  const std::string out = dir_->file("model.onnx");
  auto r = run_zhsenti({"export", "onnx", "--model", model_, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string first = read_file(out);
  EXPECT_GT(first.size(), 1000u);
  EXPECT_NE(first.find("probabilities"), std::string::npos);
  EXPECT_NE(first.find("bigram_ids"), std::string::npos);
  EXPECT_NE(first.find("trigram_ids"), std::string::npos);
  // Exporting again over an ONNX file is allowed and gives the same bytes.
  r = run_zhsenti({"export", "onnx", "--model", model_, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out), first);
}

TEST_F(ExportE2E, ExportNeverOverwritesAFileThatIsNotOnnx) {
  for (const std::string content : {"my notes, not a model\n", ""}) {
    const std::string out = dir_->write("notes.txt", content);
    const auto r = run_zhsenti({"export", "onnx", "--model", model_, "--out", out});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not an ONNX model"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("notes.txt"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), content);
  }
  // Nor a directory.
  const auto r = run_zhsenti({"export", "onnx", "--model", model_, "--out", dir_->path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not an ONNX model"), std::string::npos) << r.err;
}

TEST_F(ExportE2E, ExportToAnUnwritablePlaceLeavesNothing) {
  const std::string out = dir_->file("missing/dir/model.onnx");
  const auto r = run_zhsenti({"export", "onnx", "--model", model_, "--out", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(r.err.empty());
  EXPECT_FALSE(std::filesystem::exists(dir_->file("missing")));
}

TEST_F(ExportE2E, CorruptModelsGiveTheReadersError) {
  namespace fs = std::filesystem;
  const std::string broken = dir_->file("broken");
  fs::copy(model_, broken, fs::copy_options::recursive);
  const std::string weights = broken + "/model.safetensors";
  fs::resize_file(weights, fs::file_size(weights) / 2);
  const std::string out = dir_->file("broken.onnx");
  auto r = run_zhsenti({"export", "onnx", "--model", broken, "--out", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model.safetensors"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  r = run_zhsenti({"export", "onnx", "--model", dir_->file("no-such-model"), "--out", out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-model"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  r = run_zhsenti({"encode", "--model", broken, "--text", "好"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model.safetensors"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zhsenti::testing
