#include "zhsenti/augment/rejoin.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"

namespace zhsenti::augment {
namespace {

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

JoinMode parse_join_mode(std::string_view name) {
  if (name == "auto") return JoinMode::kAuto;
  if (name == "space") return JoinMode::kSpace;
  throw Error(ErrorCode::kInvalidArgument,
              fmt::format("unknown join mode '{}' (auto or space)", name));
}

std::string join_tokens(std::span<const std::string> tokens, JoinMode mode) {
  std::string out;
  for (const auto& t : tokens) {
    if (t.empty()) continue;
    if (!out.empty() &&
        (mode == JoinMode::kSpace || (ascii_alnum(out.back()) && ascii_alnum(t.front())))) {
      out.push_back(' ');
    }
    out += t;
  }
  return out;
}

}  // namespace zhsenti::augment
