#include "zhsenti/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "zhsenti/core/error.h"

namespace zhsenti {

std::size_t read_fd(int fd, char* buf, std::size_t n, const std::string& name) {
  for (;;) {
    const ssize_t got = ::read(fd, buf, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throw_io_error(name, "cannot read");
  }
}

void write_fd(int fd, std::string_view data, const std::string& name, const char* what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io_error(name, what);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_file(const std::filesystem::path& path) {
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? "<stdin>" : path.string();
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io_error(name, "cannot open");
  std::string data;
  char chunk[1 << 16];
  try {
    while (const std::size_t n = read_fd(fd, chunk, sizeof chunk, name)) data.append(chunk, n);
  } catch (...) {
    if (!is_stdin) ::close(fd);
    throw;
  }
  if (!is_stdin) ::close(fd);
  return data;
}

}  // namespace zhsenti
