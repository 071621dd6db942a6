#include "stdout_io.h"

#include <cstdio>

#include "zhsenti/core/error.h"

namespace zhsenti::cli {

void write_stdout(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
    throw_io_error("<stdout>", "cannot write");
  }
}

void flush_stdout() {
  if (std::fflush(stdout) != 0) throw_io_error("<stdout>", "cannot write");
  // stdio keeps the error flag but not the reason of a write that failed earlier.
  if (std::ferror(stdout))
    throw Error(ErrorCode::kIo, "<stdout>: cannot write: a write to it failed");
}

}  // namespace zhsenti::cli
