#pragma once
// Augmented tokens back into text. Chinese has no spaces between words, so the default
// concatenates them, adding a space only where two ASCII letters or digits would otherwise
// fuse ("very" + "good" -> "very good"; 酒店 + wifi -> 酒店wifi). kSpace separates every
// token by one space, for consumers that read pre-segmented text.

#include <span>
#include <string>
#include <string_view>

namespace zhsenti::augment {

enum class JoinMode { kAuto, kSpace };

// "auto" | "space"; throws Error(kInvalidArgument) naming the bad value.
JoinMode parse_join_mode(std::string_view name);

std::string join_tokens(std::span<const std::string> tokens, JoinMode mode);

}  // namespace zhsenti::augment
