// The one output of commands: a file appears whole or not at all, and a failed write
// (/dev/full) is an error with its reason, to a file descriptor and to stdout.

#include "zhsenti/core/output.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti {
namespace {
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    return e.what();
  }
  return "";
}

TEST(Output, AFileAppearsOnCommitAndNotAfterAnAbandon) {
  const fs::path dir = fs::temp_directory_path() / ("zhsenti_output_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    Output out(dir / "a.txt");
    out.write("one\n");
    out.write(std::string(100000, 'x'));
    EXPECT_FALSE(fs::exists(dir / "a.txt"));
    out.commit();
  }
  EXPECT_EQ(read_file(dir / "a.txt").size(), 100004u);
  {
    Output out(dir / "a.txt");
    out.write("replacement");
    out.abandon();
  }
  EXPECT_EQ(read_file(dir / "a.txt").size(), 100004u) << "the old output stays";
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1)
      << "no temporary file is left";
  fs::remove_all(dir);
}

TEST(Output, WritesToAFullDeviceFailWithTheReason) {
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  EXPECT_EQ(error_of([&] { write_fd(full, "x", "/dev/full"); }),
            "/dev/full: cannot write: No space left on device");

  // stdout on /dev/full: stdio buffers the write, the flush reports it.
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  ASSERT_EQ(::dup2(full, STDOUT_FILENO), STDOUT_FILENO);
  const std::string error = error_of([] {
    Output out("-");
    out.write(std::string(1 << 16, 'x'));
    out.commit();
  });
  std::fflush(stdout);  // whatever stdio still holds goes to /dev/full, not the test's output
  std::clearerr(stdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(full);
  EXPECT_EQ(error.rfind("<stdout>: cannot write", 0), 0u) << error;
}

}  // namespace
}  // namespace zhsenti
