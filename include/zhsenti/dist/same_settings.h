#pragma once
// Every rank of a job must run the same command. A mismatch (a typo in one part of an MPMD
// command line, ranks of different builds) is refused before any work, naming the first
// setting and rank that differ.

#include <nlohmann/json.hpp>

namespace zhsenti::dist {

// Compares this rank's `settings` (a JSON object of what it was started with) with rank 0's;
// throws Error(kInvalidArgument) on every rank when any rank differs. Nothing in a world of one.
void check_same_settings(const nlohmann::json& settings);

}  // namespace zhsenti::dist
