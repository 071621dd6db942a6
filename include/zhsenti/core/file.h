#pragma once
// Reads and writes of file descriptors with errors that name the file. These are the only
// read(2)/write(2) loops: a call a signal interrupts (EINTR) is retried here.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace zhsenti {

// Reads a file into memory; "-" reads standard input.
std::string read_file(const std::filesystem::path& path);

// Up to n bytes from fd; 0 only at the end of the input. Throws Error(kIo)
// "<name>: cannot read: <reason>".
std::size_t read_fd(int fd, char* buf, std::size_t n, const std::string& name);

// All of data to fd (short writes continue). Throws Error(kIo) "<name>: <what>: <reason>".
void write_fd(int fd, std::string_view data, const std::string& name,
              const char* what = "cannot write");

}  // namespace zhsenti
