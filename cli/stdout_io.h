#pragma once
// Standard output is where commands put their results, so a failed write to it (a full disk,
// /dev/full, a closed pipe) must fail the command with exit code 1 and say so, never end in
// a silent success with the output lost.

#include <string_view>

namespace zhsenti::cli {

// Writes all of `data` to stdout; throws Error(kIo) "<stdout>: cannot write: <reason>".
void write_stdout(std::string_view data);

// Flushes stdout and throws Error(kIo) if that, or any earlier write to it, failed. main()
// calls it after every command, so output printed through any path is covered.
void flush_stdout();

}  // namespace zhsenti::cli
