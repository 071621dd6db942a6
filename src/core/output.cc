#include "zhsenti/core/output.h"

#include <cstdio>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"

namespace zhsenti {

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

Output::Output(const std::filesystem::path& path) {
  if (!path.empty() && path != "-") file_ = std::make_unique<AtomicFileWriter>(path);
}

Output::~Output() = default;

void Output::write(std::string_view data) {
  if (file_) {
    file_->write(data);
  } else {
    write_stdout(data);
  }
}

void Output::commit() {
  if (file_) {
    file_->commit();
  } else {
    flush_stdout();
  }
}

void Output::abandon() {
  if (file_) {
    file_.reset();  // removes the temporary file
  } else {
    std::fflush(stdout);
  }
}

}  // namespace zhsenti
