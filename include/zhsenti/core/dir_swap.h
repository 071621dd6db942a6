#pragma once
// Puts a complete directory in place of an existing one.
//
// rename(2) cannot replace a non-empty directory, so the obvious way is two renames (the old
// directory aside, the new one in), and a crash between them leaves nothing at the target.
// renameat2(RENAME_EXCHANGE) swaps the two names in one step: a reader, or a crash, sees the
// old or the new directory. Linux file systems that lack it (it answers EINVAL or ENOSYS)
// get the two renames, with the old directory put back if the second one fails.

#include <filesystem>

namespace zhsenti {

enum class SwapMethod {
  kExchange,    // one renameat2(RENAME_EXCHANGE)
  kTwoRenames,  // the fallback: old aside to "<staged>.old", then staged in
};

struct SwapResult {
  SwapMethod method;
  std::filesystem::path old;  // where the previous directory now is, for the caller to remove
};

// Moves the directory `staged` to `target`, which must exist. `exchange` false forces the
// fallback (for tests of it). Throws Error(kIo) naming `target`; then `target` is unchanged.
SwapResult swap_directory(const std::filesystem::path& staged, const std::filesystem::path& target,
                          bool exchange = true);

}  // namespace zhsenti
