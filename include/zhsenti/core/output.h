#pragma once
// Where a command's text result goes: standard output, or a file that appears only when
// complete (atomic_file.h). A failed write to either (a full disk, /dev/full, a closed pipe)
// is an Error(kIo) naming it, never a silent success with the output lost.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace zhsenti {

class AtomicFileWriter;

// Writes all of `data` to stdout (through stdio, which fmt::print shares); throws Error(kIo)
// "<stdout>: cannot write: <reason>".
void write_stdout(std::string_view data);
// Flushes stdout and throws Error(kIo) if that, or any earlier write to it, failed. The CLI
// calls it after every command, so output printed through any path is covered.
void flush_stdout();

class Output {
 public:
  // Empty or "-": stdout.
  explicit Output(const std::filesystem::path& path);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view data);
  // Makes the output final: the file is renamed into place; stdout is flushed and checked.
  void commit();
  // After an error: stdout keeps (and flushes) what was written, lines before the error; a
  // file is not created.
  void abandon();

 private:
  std::unique_ptr<AtomicFileWriter> file_;
};

}  // namespace zhsenti
