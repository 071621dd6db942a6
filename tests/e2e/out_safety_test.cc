// --out never deletes what it is pointed at: a model command replaces only a directory that
// holds a model, every other command writing a file or a directory refuses an existing
// directory it would have to remove, and leftovers of killed runs are cleaned up.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;

// Every file under `dir` (relative path -> content): "touched nothing" means this is equal.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files[fs::relative(e.path(), dir).string()] = ss.str();
  }
  return files;
}

class OutSafetyE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    // The issue's scenario: the data and notes live in the directory given as --out.
    project_ = dir_.file("proj");
    fs::create_directories(project_);
    train_ = project_ + "/train.tsv";
    dev_ = project_ + "/dev.tsv";
    std::ofstream(train_) << synthetic_reviews_tsv(120, 1);
    std::ofstream(dev_) << synthetic_reviews_tsv(40, 2);
    std::ofstream(project_ + "/README") << "notes\n";
  }
  TempDir dir_;
  std::string project_, train_, dev_;
};

TEST_F(OutSafetyE2E, TrainRefusesADirectoryThatIsNotAModelAndTouchesNothing) {
  const auto before = snapshot(dir_.path());
  for (const std::string& out : {project_, project_ + "/"}) {
    const auto r = run_zhsenti(tiny_train_args(train_, dev_, out));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(
        r.err.find("zhsenti: error: --out " + out + ": exists and is not a model directory\n"),
        std::string::npos)
        << r.err;
    EXPECT_EQ(snapshot(dir_.path()), before) << "nothing added, changed or removed";
  }
  EXPECT_FALSE(fs::exists(project_ + ".ckpt"));
}

TEST_F(OutSafetyE2E, TrainAndFinetuneRefuseAFileAndFinetuneAProjectDirectory) {
  const std::string model = dir_.file("model");
  ASSERT_EQ(run_zhsenti(tiny_train_args(train_, dev_, model)).exit_code, 0);
  const std::string notes = dir_.write("notes.txt", "keep me");
  const auto before = snapshot(dir_.path());

  auto r = run_zhsenti(tiny_train_args(train_, dev_, notes));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--out " + notes + ": exists and is not a model directory"),
            std::string::npos)
      << r.err;
  for (const std::string& out : {notes, project_}) {
    r = run_zhsenti({"finetune", "--model", model, "--train", train_, "--dev", dev_, "--out", out,
                     "--epochs", "1", "-q"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--out " + out + ": exists and is not a model directory"),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(snapshot(dir_.path()), before);
}

TEST_F(OutSafetyE2E, ACheckpointPathThatIsNotACheckpointIsRefused) {
  const std::string model = dir_.file("model");
  fs::create_directories(model + ".ckpt");
  std::ofstream(model + ".ckpt/mine") << "x";
  const auto r = run_zhsenti(tiny_train_args(train_, dev_, model));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(model + ".ckpt: exists and is not a checkpoint directory"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(model));
  EXPECT_TRUE(fs::exists(model + ".ckpt/mine"));
}

// A model is replaced as before; staging directories of killed runs (the model's and the
// checkpoint's) go; the new directory follows the umask so other users can read it.
TEST_F(OutSafetyE2E, AModelIsReplacedAndStaleStagingIsRemoved) {
  const std::string model = dir_.file("model");
  ASSERT_EQ(run_zhsenti(tiny_train_args(train_, dev_, model)).exit_code, 0);
  for (const char* stale :
       {".model.tmp.k1ll3d", ".model.ckpt.tmp.k1ll3d", ".model.tmp.abcdef.old"}) {
    fs::create_directories(dir_.file(stale));
    std::ofstream(dir_.file(stale) + "/model.safetensors") << std::string(4096, 'x');
  }
  const mode_t old_mask = ::umask(022);  // inherited by the child
  auto args = tiny_train_args(train_, dev_, model);
  args.insert(args.end(), {"--seed", "9"});
  const auto r = run_zhsenti(args);
  ::umask(old_mask);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(model + "/config.json"));
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir_.path()))
    entries.push_back(e.path().filename().string());
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries, (std::vector<std::string>{"model", "proj"}));
  struct stat st {};
  ASSERT_EQ(::stat(model.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u) << std::oct << (st.st_mode & 0777);
}

TEST_F(OutSafetyE2E, TuneRefusesADirectoryThatIsNotASearch) {
  const std::string space = dir_.write("space.json", R"({"cell": ["gru", "lstm"]})");
  const auto before = snapshot(dir_.path());
  const auto r = run_zhsenti({"tune", "--train", train_, "--dev", dev_, "--space", space, "--out",
                              project_, "--trials", "1", "--epochs", "1", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--out " + project_ + ": exists and is not a tune directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(dir_.path()), before);
}

// Commands writing one file replace a file atomically but never remove a directory.
TEST_F(OutSafetyE2E, FileWritingCommandsLeaveADirectoryOut) {
  const auto before = snapshot(dir_.path());
  const std::vector<std::vector<std::string>> commands = {
      {"augment", "--input", train_, "--out", project_},
      {"clean", train_, "-o", project_},
      {"segment", "--mode", "char", train_, "-o", project_},
  };
  for (const auto& args : commands) {
    const auto r = run_zhsenti(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
    EXPECT_EQ(snapshot(dir_.path()), before) << args[0];
    EXPECT_TRUE(fs::is_directory(project_)) << args[0];
  }
}

}  // namespace
}  // namespace zhsenti::testing
