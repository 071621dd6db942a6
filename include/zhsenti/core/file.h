#pragma once
// Whole-file reads with errors that name the file.

#include <filesystem>
#include <string>

namespace zhsenti {

// Reads a file into memory; "-" reads standard input.
std::string read_file(const std::filesystem::path& path);

}  // namespace zhsenti
