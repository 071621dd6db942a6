#include "zhsenti/core/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti {
namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zhsenti_atomic_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAndReplaces) {
  write_file_atomic(dir_ / "a.txt", "first");
  EXPECT_EQ(read_file(dir_ / "a.txt"), "first");
  write_file_atomic(dir_ / "a.txt", std::string(200000, 'x'));
  EXPECT_EQ(read_file(dir_ / "a.txt").size(), 200000u);
  EXPECT_EQ(entries(), 1u) << "no temporary file may be left behind";
}

TEST_F(AtomicFileTest, UncommittedWriterLeavesTargetUntouched) {
  write_file_atomic(dir_ / "a.txt", "old");
  {
    AtomicFileWriter w(dir_ / "a.txt");
    w.write("new but abandoned");
  }
  EXPECT_EQ(read_file(dir_ / "a.txt"), "old");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnIoErrorNamingThePath) {
  try {
    write_file_atomic(dir_ / "nope" / "a.txt", "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
  }
}

TEST_F(AtomicFileTest, DirectoryWriterSwapsWholeDirectory) {
  const fs::path model = dir_ / "model";
  {
    AtomicDirWriter w(model);
    write_file_atomic(w.staging() / "config.json", "v1");
    w.commit();
  }
  {
    AtomicDirWriter w(model);
    write_file_atomic(w.staging() / "config.json", "v2");
    // Before commit the old directory is intact.
    EXPECT_EQ(read_file(model / "config.json"), "v1");
    w.commit();
  }
  EXPECT_EQ(read_file(model / "config.json"), "v2");
  {
    AtomicDirWriter w(model);
    write_file_atomic(w.staging() / "config.json", "abandoned");
  }
  EXPECT_EQ(read_file(model / "config.json"), "v2");
  EXPECT_EQ(entries(), 1u) << "staging directories must be cleaned up";
}

TEST_F(AtomicFileTest, DirectoryWriterNeverReplacesAFile) {
  write_file_atomic(dir_ / "model", "a file, not a directory");
  {
    AtomicDirWriter w(dir_ / "model");
    write_file_atomic(w.staging() / "config.json", "v1");
    EXPECT_THROW(w.commit(), Error);
  }
  EXPECT_EQ(read_file(dir_ / "model"), "a file, not a directory");
  EXPECT_EQ(entries(), 1u);
}

TEST(FileTest, ReadMissingFileNamesIt) {
  try {
    read_file("/nonexistent/zhsenti.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/zhsenti.txt"), std::string::npos);
  }
}

}  // namespace zhsenti
