#pragma once
// Writes that never leave a half-written file: data goes to a temporary file in the same
// directory, is fsync'ed, then renamed over the target (rename is atomic on POSIX), and the
// directory is fsync'ed so the rename itself survives a crash.

#include <filesystem>
#include <string>
#include <string_view>

#include "zhsenti/core/staging_dir.h"

namespace zhsenti {

class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path target);
  ~AtomicFileWriter();  // removes the temporary file unless commit() succeeded
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(std::string_view data);
  void commit();

 private:
  void flush_buffer();

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::string buffer_;
  bool committed_ = false;
};

void write_file_atomic(const std::filesystem::path& target, std::string_view data);

// A directory written as a whole: files go into a temporary sibling directory (staging_dir.h;
// leftovers of killed runs on the same target are removed first); commit() fsyncs them and
// swaps the directory into place (dir_swap.h). A reader sees the old or the new directory,
// never a mixture. Replacing an existing target is the caller's decision to check: this only
// refuses a target that is not a directory.
class AtomicDirWriter {
 public:
  explicit AtomicDirWriter(std::filesystem::path target);
  ~AtomicDirWriter();
  AtomicDirWriter(const AtomicDirWriter&) = delete;
  AtomicDirWriter& operator=(const AtomicDirWriter&) = delete;

  const std::filesystem::path& staging() const { return staging_.path(); }
  void commit();

 private:
  std::filesystem::path target_;
  StagingDir staging_;
  bool committed_ = false;
};

// fsync a file or directory by path; throws on failure.
void fsync_path(const std::filesystem::path& path);

}  // namespace zhsenti
