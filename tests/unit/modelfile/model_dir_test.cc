#include "zhsenti/modelfile/model_dir.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/tensor_check.h"

namespace zhsenti::modelfile {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ModelDirTest : public TempDirTest {
 protected:
  ModelFiles make_files() {
    ModelFiles files;
    files.config.architecture = {{"cell", "lstm"}, {"hidden", 4}};
    files.config.tokenizer = {{"tokens", "word"}, {"max_len", 256}};
    files.config.labels = {"negative", "positive"};
    files.config.training_data = {"ab12", 9600, "train.tsv"};
    files.config.metrics = {{"accuracy", 0.9}};
    files.config.extra = {{"notes", "kept"}};
    files.weights.add_f32("embed.weight", {3, 2}, embed_);
    files.weights.add_f32("fc.bias", {2}, bias_);
    files.vocab = "<pad>\t0\n<unk>\t0\n好\t3\n";
    return files;
  }

  std::string error_of(const std::function<void()>& fn, ErrorCode expected) {
    try {
      fn();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), expected) << e.what();
      return e.what();
    }
    return "<no error>";
  }

  std::vector<float> embed_ = {1, 2, 3, 4, 5, 6};
  std::vector<float> bias_ = {0.5f, -0.5f};
};

TEST_F(ModelDirTest, WritesAndReadsBack) {
  ModelFiles files = make_files();
  files.metrics_log = "{\"epoch\":1}\n";
  files.report_html = "<html></html>";
  files.reference = json{{"length_hist", {1, 2, 3}}};
  const fs::path dir = dir_ / "model";
  write_model_dir(dir, files);

  const ModelDir m = read_model_dir(dir);
  EXPECT_EQ(m.config.format_version, kModelFormatVersion);
  EXPECT_EQ(m.config.labels, files.config.labels);
  EXPECT_EQ(m.config.architecture, files.config.architecture);
  EXPECT_EQ(m.config.tokenizer, files.config.tokenizer);
  EXPECT_EQ(m.config.training_data, files.config.training_data);
  EXPECT_EQ(m.config.metrics, files.config.metrics);
  EXPECT_EQ(m.config.extra, files.config.extra);
  EXPECT_EQ(m.config.zhsenti_version, library_version());
  EXPECT_EQ(m.config.created_at.size(), 20u);
  EXPECT_EQ(m.config.created_at.back(), 'Z');
  EXPECT_EQ(m.weights.to_f32("embed.weight"), embed_);
  EXPECT_EQ(m.weights.to_f32("fc.bias"), bias_);
  EXPECT_EQ(m.vocab, files.vocab);
  EXPECT_EQ(m.vocab_path(), (dir / "vocab.txt").string());
  EXPECT_EQ(m.metrics_log, files.metrics_log);
  EXPECT_EQ(m.report_html, files.report_html);
  EXPECT_EQ(m.reference, files.reference);

  // config.json is plain, readable JSON with the documented keys.
  const json cfg = json::parse(read_file(dir / "config.json"));
  for (const char* key : {"format_version", "architecture", "tokenizer", "labels", "training_data", "metrics",
                          "created_at", "zhsenti_version", "notes"}) {
    EXPECT_TRUE(cfg.contains(key)) << key;
  }
  EXPECT_EQ(cfg["training_data"]["sha256"], "ab12");
  EXPECT_EQ(cfg["training_data"]["rows"], 9600);
}

TEST_F(ModelDirTest, OptionalFilesMayBeAbsent) {
  write_model_dir(dir_ / "m", make_files());
  const ModelDir m = read_model_dir(dir_ / "m");
  EXPECT_FALSE(m.metrics_log);
  EXPECT_FALSE(m.report_html);
  EXPECT_FALSE(m.reference);
}

TEST_F(ModelDirTest, ReplacingIsAtomicAndLeavesNoStagingDirectories) {
  const fs::path dir = dir_ / "model";
  ModelFiles first = make_files();
  first.report_html = "old report";
  write_model_dir(dir, first);
  ModelFiles second = make_files();
  second.config.labels = {"neg", "neu", "pos"};
  write_model_dir(dir, second);
  const ModelDir m = read_model_dir(dir);
  EXPECT_EQ(m.config.labels.size(), 3u);
  EXPECT_FALSE(m.report_html) << "no file of the old directory may survive";
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir_)) entries.push_back(e.path().filename().string());
  EXPECT_EQ(entries, std::vector<std::string>{"model"});
}

TEST_F(ModelDirTest, FailedWriteKeepsTheOldModel) {
  const fs::path dir = dir_ / "model";
  write_model_dir(dir, make_files());
  ModelFiles bad = make_files();
  bad.config.labels = {"only-one"};
  EXPECT_NE(error_of([&] { write_model_dir(dir, bad); }, ErrorCode::kInvalidArgument)
                .find("a classifier needs at least 2 labels"),
            std::string::npos);
  bad = make_files();
  bad.vocab.clear();
  EXPECT_THROW(write_model_dir(dir, bad), Error);
  EXPECT_EQ(read_model_dir(dir).config.labels.size(), 2u);
}

TEST_F(ModelDirTest, NewerFormatVersionNamesBothVersions) {
  const fs::path dir = dir_ / "model";
  write_model_dir(dir, make_files());
  json cfg = json::parse(read_file(dir / "config.json"));
  cfg["format_version"] = kModelFormatVersion + 1;
  std::ofstream(dir / "config.json") << cfg.dump();
  const std::string msg = error_of([&] { read_model_dir(dir); }, ErrorCode::kFormat);
  EXPECT_NE(msg.find((dir / "config.json").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("model format version " + std::to_string(kModelFormatVersion + 1) + " is newer"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("(format version " + std::to_string(kModelFormatVersion) + ")"), std::string::npos) << msg;
}

TEST_F(ModelDirTest, MissingFilesAreNamed) {
  EXPECT_EQ(error_of([&] { read_model_dir(dir_ / "none"); }, ErrorCode::kNotFound),
            (dir_ / "none").string() + ": no such model directory");
  for (const char* name : {"config.json", "model.safetensors", "vocab.txt"}) {
    const fs::path dir = dir_ / (std::string("m_") + name);
    write_model_dir(dir, make_files());
    fs::remove(dir / name);
    const std::string msg = error_of([&] { read_model_dir(dir); }, ErrorCode::kNotFound);
    EXPECT_NE(msg.find(std::string("missing model file ") + name), std::string::npos) << msg;
  }
}

TEST_F(ModelDirTest, CorruptFilesAreReported) {
  const fs::path dir = dir_ / "model";
  write_model_dir(dir, make_files());
  std::ofstream(dir / "config.json") << "{ not json";
  EXPECT_NE(error_of([&] { read_model_dir(dir); }, ErrorCode::kParse).find("config.json: not valid JSON"),
            std::string::npos);
  // Without its config.json marker the directory is no longer a model that may be replaced
  // (model_out.h): the second case gets a directory of its own.
  const fs::path truncated = dir_ / "truncated";
  write_model_dir(truncated, make_files());
  const std::string weights = read_file(truncated / "model.safetensors");
  std::ofstream(truncated / "model.safetensors", std::ios::binary)
      << weights.substr(0, weights.size() - 4);
  EXPECT_NE(
      error_of([&] { read_model_dir(truncated); }, ErrorCode::kFormat).find("(truncated file)"),
      std::string::npos);
}

TEST(ModelConfig, ValidatesKeys) {
  const json good = {{"format_version", 1}, {"architecture", json::object()}, {"tokenizer", json::object()},
                     {"labels", {"a", "b"}}};
  EXPECT_NO_THROW(ModelConfig::from_json(good, "c.json"));
  auto err = [&](json j) {
    try {
      ModelConfig::from_json(j, "c.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  json j = good;
  j.erase("labels");
  EXPECT_EQ(err(j), "c.json: missing key \"labels\"");
  j = good;
  j["labels"] = {"a", "a"};
  EXPECT_EQ(err(j), "c.json: label \"a\" appears twice");
  j["labels"] = {"a", 3};
  EXPECT_EQ(err(j), "c.json: label 1 must be a non-empty string, got 3");
  j = good;
  j["format_version"] = "1";
  EXPECT_EQ(err(j), "c.json: \"format_version\" must be a positive integer, got \"1\"");
  j["format_version"] = 0;
  EXPECT_EQ(err(j), "c.json: \"format_version\" must be a positive integer, got 0");
  j = good;
  j["architecture"] = 5;
  EXPECT_EQ(err(j), "c.json: \"architecture\" must be an object");
  j = good;
  j["training_data"] = {{"rows", -1}};
  EXPECT_EQ(err(j), "c.json: \"training_data.rows\" must be a non-negative integer, got -1");
  EXPECT_EQ(err(json::array()), "c.json: config must be a JSON object, got array");
}

TEST(TensorCheck, ReportsAllDifferencesAtOnce) {
  const std::vector<float> a(6), c(6), d(2);
  const std::vector<std::int8_t> e(4);
  SafetensorsWriter w;
  w.add_f32("a", {2, 3}, a);
  w.add_f32("c", {2, 3}, c);
  w.add_f32("extra", {2}, d);
  w.add_i8("e", {4}, e);
  const auto f = SafetensorsFile::parse(w.serialize(), "m.safetensors");
  const std::vector<ExpectedTensor> good = {{"a", {2, 3}}, {"c", {2, 3}}, {"extra", {2}}, {"e", {4}, DType::kI8}};
  EXPECT_NO_THROW(check_tensors(f, good));
  const std::vector<ExpectedTensor> any_dtype = {{"a", {2, 3}}, {"c", {2, 3}}, {"extra", {2}}, {"e", {4}, std::nullopt}};
  EXPECT_NO_THROW(check_tensors(f, any_dtype));
  const std::vector<ExpectedTensor> expected = {{"a", {2, 3}}, {"b", {3, 4}}, {"c", {3, 2}}, {"e", {4}}};
  try {
    check_tensors(f, expected);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::kFormat);
    EXPECT_STREQ(err.what(),
                 "m.safetensors: tensors do not match the model: missing b [3, 4]; c has shape [2, 3], expected "
                 "[3, 2]; e has dtype I8, expected F32; unexpected extra [2]");
  }
}

}  // namespace
}  // namespace zhsenti::modelfile
