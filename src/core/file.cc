#include "zhsenti/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "zhsenti/core/error.h"

namespace zhsenti {

std::string read_file(const std::filesystem::path& path) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io_error(path.string(), "cannot open");
  std::string data;
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      if (!is_stdin) ::close(fd);
      throw_io_error(is_stdin ? "<stdin>" : path.string(), "cannot read");
    }
    data.append(chunk, static_cast<std::size_t>(n));
  }
  if (!is_stdin) ::close(fd);
  return data;
}

}  // namespace zhsenti
