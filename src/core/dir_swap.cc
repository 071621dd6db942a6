#include "zhsenti/core/dir_swap.h"

#include <fcntl.h>
#include <stdio.h>

#include <cerrno>

#include "zhsenti/core/error.h"

namespace zhsenti {
namespace fs = std::filesystem;

SwapResult swap_directory(const fs::path& staged, const fs::path& target, bool exchange) {
  if (exchange) {
    if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
      return {SwapMethod::kExchange, staged};
    }
    if (errno != EINVAL && errno != ENOSYS) {
      throw_io_error(target.string(), "cannot swap into place");
    }
  }
  fs::path old = staged;
  old += ".old";
  if (::rename(target.c_str(), old.c_str()) != 0) {
    throw_io_error(target.string(), "cannot move aside");
  }
  if (::rename(staged.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::rename(old.c_str(), target.c_str());
    errno = err;
    throw_io_error(target.string(), "cannot rename into place");
  }
  return {SwapMethod::kTwoRenames, old};
}

}  // namespace zhsenti
