#include "zhsenti/core/staging_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>
#include <system_error>

#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"

namespace zhsenti {
namespace fs = std::filesystem;

namespace {

constexpr int kNameAttempts = 100;

fs::path without_trailing_slash(const fs::path& p) {
  return p.filename().empty() ? p.parent_path() : p;
}

fs::path parent_or_dot(const fs::path& p) {
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

std::string staging_prefix(const fs::path& target) {
  return fmt::format(".{}.tmp.", target.filename().string());
}

std::string random_suffix(std::random_device& rd) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s(6, ' ');
  for (char& c : s) c = kChars[rd() % (sizeof kChars - 1)];
  return s;
}

// An exclusive lock on the directory, or -1 if another process holds one.
int try_lock(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

StagingDir::StagingDir(const fs::path& target_path) {
  const fs::path target = without_trailing_slash(target_path);
  const fs::path parent = parent_or_dot(target);
  std::random_device rd;
  // mkdir rather than mkdtemp: mkdtemp creates 0700 whatever the umask. Locked right after
  // creation; a cleaner of another run that locked it first removes it, so take a new name
  // when the lock fails or the directory is already gone (no links left).
  for (int attempt = 0; attempt < kNameAttempts; ++attempt) {
    const fs::path candidate = parent / (staging_prefix(target) + random_suffix(rd));
    if (::mkdir(candidate.c_str(), 0777) != 0) {
      if (errno == EEXIST) continue;
      throw_io_error(target.string(), "cannot create a temporary directory beside");
    }
    const int fd = try_lock(candidate);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_nlink > 0) {
      path_ = candidate;
      lock_fd_ = fd;
      return;
    }
    if (fd >= 0) ::close(fd);
  }
  throw Error(ErrorCode::kIo,
              target.string() + ": cannot create a temporary directory beside: no free name");
}

StagingDir::~StagingDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::size_t remove_stale_staging(const fs::path& target_path) {
  const fs::path target = without_trailing_slash(target_path);
  const std::string prefix = staging_prefix(target);
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(parent_or_dot(target), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->path().filename().string().starts_with(prefix)) continue;
    std::error_code type_ec;
    if (it->symlink_status(type_ec).type() != fs::file_type::directory) continue;
    const int fd = try_lock(it->path());
    if (fd < 0) continue;  // a run still writing it
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
    ::close(fd);
    if (remove_ec) {
      log::warn("{}: cannot remove a staging directory left by an interrupted run: {}",
                it->path().string(), remove_ec.message());
    } else {
      log::info("removed {}, left by an interrupted run", it->path().string());
      ++removed;
    }
  }
  return removed;
}

}  // namespace zhsenti
