#include "zhsenti/core/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "zhsenti/core/dir_swap.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBufferSize = 1 << 16;

fs::path parent_or_dot(const fs::path& p) {
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

}  // namespace

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io_error(path.string(), "cannot open for fsync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_io_error(path.string(), "fsync failed");
}

AtomicFileWriter::AtomicFileWriter(fs::path target) : target_(std::move(target)) {
  std::string name = ".";  // appended, not "." + ...: GCC 12 warns falsely on that at -O2
  name.append(target_.filename().string()).append(".tmp.XXXXXX");
  std::string pattern = (parent_or_dot(target_) / name).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) throw_io_error(target_.string(), "cannot create a temporary file beside");
  temp_ = pattern;
  ::fchmod(fd_, 0644);
  buffer_.reserve(kBufferSize);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFileWriter::flush_buffer() {
  write_fd(fd_, buffer_, temp_.string());
  buffer_.clear();
}

void AtomicFileWriter::write(std::string_view data) {
  if (buffer_.size() + data.size() > kBufferSize) flush_buffer();
  if (data.size() > kBufferSize) {
    write_fd(fd_, data, temp_.string());
  } else {
    buffer_.append(data);
  }
}

void AtomicFileWriter::commit() {
  flush_buffer();
  if (::fsync(fd_) != 0) throw_io_error(temp_.string(), "fsync failed");
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw_io_error(temp_.string(), "close failed");
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw_io_error(target_.string(), "cannot rename into place");
  committed_ = true;
  fsync_path(parent_or_dot(target_));
}

void write_file_atomic(const fs::path& target, std::string_view data) {
  AtomicFileWriter writer(target);
  writer.write(data);
  writer.commit();
}

namespace {

// The target without a trailing slash, its parent created and its stale staging removed:
// what the staging directory member is made from.
fs::path prepared_target(fs::path target) {
  if (target.filename().empty()) target = target.parent_path();
  const fs::path parent = parent_or_dot(target);
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error(ErrorCode::kIo, parent.string() + ": cannot create directory: " + ec.message());
  remove_stale_staging(target);
  return target;
}

}  // namespace

AtomicDirWriter::AtomicDirWriter(fs::path target)
    : target_(prepared_target(std::move(target))), staging_(target_) {}

AtomicDirWriter::~AtomicDirWriter() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_.path(), ec);
  }
}

void AtomicDirWriter::commit() {
  const fs::path& temp = staging_.path();
  for (const auto& entry : fs::directory_iterator(temp)) {
    if (entry.is_regular_file()) fsync_path(entry.path());
  }
  fsync_path(temp);
  std::error_code ec;
  fs::path old;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec)) {
      throw Error(ErrorCode::kIo, target_.string() + ": exists and is not a directory");
    }
    old = swap_directory(temp, target_).old;
  } else if (::rename(temp.c_str(), target_.c_str()) != 0) {
    throw_io_error(target_.string(), "cannot rename into place");
  }
  committed_ = true;
  fsync_path(parent_or_dot(target_));
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace zhsenti
