#include "zhsenti/modelfile/model_out.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::modelfile {
namespace {

namespace fs = std::filesystem;

class ModelOutTest : public TempDirTest {
 protected:
  ModelFiles files() {
    ModelFiles f;
    f.config.labels = {"neg", "pos"};
    f.weights.add_f32("w", {2}, weights_);
    f.vocab = "<pad>\t0\n<unk>\t0\n";
    return f;
  }
  std::string refusal(const fs::path& dir) {
    try {
      check_model_out(dir);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      return e.what();
    }
    return "accepted";
  }
  std::vector<float> weights_{1.0f, 2.0f};
};

TEST_F(ModelOutTest, OnlyAnAbsentPathOrAModelDirectoryMayBeReplaced) {
  EXPECT_EQ(refusal(dir_ / "new"), "accepted");
  write_model_dir(dir_ / "model", files());
  EXPECT_TRUE(is_model_dir(dir_ / "model"));
  EXPECT_EQ(refusal(dir_ / "model"), "accepted");
  EXPECT_EQ(refusal(dir_ / "model/"), "accepted");

  // A damaged or newer model still carries the marker and may be replaced.
  fs::create_directories(dir_ / "newer");
  std::ofstream(dir_ / "newer" / "config.json") << R"({"format_version": 99})";
  EXPECT_EQ(refusal(dir_ / "newer"), "accepted");

  fs::create_directories(dir_ / "project");
  std::ofstream(dir_ / "project" / "train.tsv") << "label\ttext\n";
  fs::create_directories(dir_ / "empty");
  fs::create_directories(dir_ / "other_json");
  std::ofstream(dir_ / "other_json" / "config.json") << R"({"name": "my app"})";
  fs::create_directories(dir_ / "broken_json");
  std::ofstream(dir_ / "broken_json" / "config.json") << "{";
  std::ofstream(dir_ / "file.txt") << "notes";
  fs::create_symlink(dir_ / "nowhere", dir_ / "dangling");
  for (const char* name :
       {"project", "empty", "other_json", "broken_json", "file.txt", "dangling"}) {
    const fs::path p = dir_ / name;
    EXPECT_FALSE(is_model_dir(p)) << name;
    EXPECT_EQ(refusal(p), "--out " + p.string() + ": exists and is not a model directory");
  }
}

TEST_F(ModelOutTest, WriteModelDirRefusesANonModelAndTouchesNothing) {
  fs::create_directories(dir_ / "project");
  std::ofstream(dir_ / "project" / "README") << "notes";
  try {
    write_model_dir(dir_ / "project", files());
    FAIL() << "a directory that is not a model was replaced";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()), "cannot write model " + (dir_ / "project").string() +
                                         ": exists and is not a model directory");
  }
  EXPECT_EQ(read_file(dir_ / "project" / "README"), "notes");
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir_))
    entries.push_back(e.path().filename().string());
  EXPECT_EQ(entries, std::vector<std::string>{"project"}) << "no staging directory is left";
}

}  // namespace
}  // namespace zhsenti::modelfile
