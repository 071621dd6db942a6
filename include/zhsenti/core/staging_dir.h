#pragma once
// The temporary sibling a directory is written into before it is swapped into place
// (atomic_file.h AtomicDirWriter): ".NAME.tmp.XXXXXX" beside NAME, in the same file system so
// that the swap is a rename.
//
// A run killed while writing leaves its staging directory behind (a model's is tens of MB).
// Each live one holds an advisory lock (flock) on itself for as long as it exists, so the
// next run on the same target can tell leftovers, which nobody locks, from the staging
// directory of a run still going, and remove only the former.

#include <cstddef>
#include <filesystem>

namespace zhsenti {

class StagingDir {
 public:
  // Creates the directory beside `target` with mode 0777 less the umask, like mkdir(1): a
  // model written by one user stays readable by a server running as another.
  explicit StagingDir(const std::filesystem::path& target);
  ~StagingDir();  // releases the lock; the directory itself is its owner's to remove
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
};

// Removes the staging directories of `target` (".NAME.tmp.*") that no live StagingDir holds;
// returns how many. Never follows symbolic links; a directory it cannot remove is left.
std::size_t remove_stale_staging(const std::filesystem::path& target);

}  // namespace zhsenti
