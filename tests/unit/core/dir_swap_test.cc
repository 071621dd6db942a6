#include "zhsenti/core/dir_swap.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti {
namespace {
namespace fs = std::filesystem;

class DirSwapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zhsenti_swap_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "target");
    fs::create_directories(dir_ / "staged");
    write_file_atomic(dir_ / "target" / "config.json", "old");
    write_file_atomic(dir_ / "target" / "only_old", "x");
    write_file_atomic(dir_ / "staged" / "config.json", "new");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DirSwapTest, ExchangeSwapsBothNamesInOneStep) {
  const SwapResult r = swap_directory(dir_ / "staged", dir_ / "target");
  // The test directory is on a file system with RENAME_EXCHANGE (ext4, tmpfs, xfs, btrfs).
  EXPECT_EQ(r.method, SwapMethod::kExchange);
  EXPECT_EQ(read_file(dir_ / "target" / "config.json"), "new");
  EXPECT_FALSE(fs::exists(dir_ / "target" / "only_old")) << "no mixture of old and new";
  EXPECT_EQ(r.old, dir_ / "staged");
  EXPECT_EQ(read_file(r.old / "config.json"), "old");
}

TEST_F(DirSwapTest, FallbackRenamesTheOldDirectoryAsideThenTheNewIn) {
  const SwapResult r = swap_directory(dir_ / "staged", dir_ / "target", /*exchange=*/false);
  EXPECT_EQ(r.method, SwapMethod::kTwoRenames);
  EXPECT_EQ(read_file(dir_ / "target" / "config.json"), "new");
  EXPECT_FALSE(fs::exists(dir_ / "target" / "only_old"));
  EXPECT_FALSE(fs::exists(dir_ / "staged"));
  EXPECT_EQ(r.old.filename(), "staged.old");
  EXPECT_EQ(read_file(r.old / "config.json"), "old");
}

TEST_F(DirSwapTest, FailedSwapLeavesTheTargetAsItWasAndNamesIt) {
  for (const bool exchange : {true, false}) {
    try {
      swap_directory(dir_ / "missing", dir_ / "target", exchange);
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kIo);
      EXPECT_NE(std::string(e.what()).find((dir_ / "target").string()), std::string::npos)
          << e.what();
    }
    EXPECT_EQ(read_file(dir_ / "target" / "config.json"), "old") << "exchange " << exchange;
  }
}

}  // namespace
}  // namespace zhsenti
