#include "zhsenti/core/staging_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "zhsenti/core/atomic_file.h"

namespace zhsenti {
namespace {
namespace fs = std::filesystem;

class StagingDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zhsenti_staging_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// Restores the umask when a test ends, pass or fail.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST_F(StagingDirTest, IsANamedSiblingWithTheUmasksMode) {
  for (const mode_t mask : {022, 027, 077}) {
    const ScopedUmask scoped(mask);
    const StagingDir staging(dir_ / "model");
    EXPECT_EQ(staging.path().parent_path(), dir_);
    EXPECT_TRUE(staging.path().filename().string().starts_with(".model.tmp.")) << staging.path();
    EXPECT_EQ(mode_of(staging.path()), 0777 & ~mask) << "umask " << std::oct << mask;
    fs::remove_all(staging.path());
  }
}

TEST_F(StagingDirTest, StaleStagingIsRemovedButLiveOnesAndOthersAreKept) {
  fs::create_directories(dir_ / ".model.tmp.dead01" / "sub");
  write_file_atomic(dir_ / ".model.tmp.dead01" / "sub" / "model.safetensors", "big");
  fs::create_directories(dir_ / ".model.tmp.dead02.old");   // a fallback swap's old dir
  write_file_atomic(dir_ / ".model.tmp.file01", "x");       // a file, not a staging dir
  fs::create_directories(dir_ / ".model.ckpt.tmp.dead03");  // another target's
  fs::create_directories(dir_ / "model");                   // the target itself
  fs::create_directories(dir_ / "elsewhere");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / ".model.tmp.link01");
  const StagingDir live(dir_ / "model");

  EXPECT_EQ(remove_stale_staging(dir_ / "model"), 2u);
  EXPECT_FALSE(fs::exists(dir_ / ".model.tmp.dead01"));
  EXPECT_FALSE(fs::exists(dir_ / ".model.tmp.dead02.old"));
  EXPECT_TRUE(fs::exists(live.path())) << "a live run's staging directory is locked";
  EXPECT_TRUE(fs::exists(dir_ / ".model.tmp.file01"));
  EXPECT_TRUE(fs::exists(dir_ / ".model.ckpt.tmp.dead03"));
  EXPECT_TRUE(fs::exists(dir_ / "model"));
  EXPECT_TRUE(fs::is_symlink(dir_ / ".model.tmp.link01"));
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere"));

  EXPECT_EQ(remove_stale_staging(dir_ / "model.ckpt/"), 1u);
  EXPECT_FALSE(fs::exists(dir_ / ".model.ckpt.tmp.dead03"));
}

TEST_F(StagingDirTest, DirectoryWriterRemovesStaleStagingAndCommitsWithTheUmasksMode) {
  const ScopedUmask scoped(022);
  fs::create_directories(dir_ / ".model.tmp.dead01");
  {
    AtomicDirWriter w(dir_ / "model");
    EXPECT_FALSE(fs::exists(dir_ / ".model.tmp.dead01"));
    write_file_atomic(w.staging() / "config.json", "v1");
    w.commit();
  }
  EXPECT_EQ(mode_of(dir_ / "model"), 0755u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace zhsenti
