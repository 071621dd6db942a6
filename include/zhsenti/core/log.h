#pragma once
// Structured logging over spdlog. Messages go to stderr, as text or as one JSON object per
// line (--log-format json), so that data on stdout stays clean for pipes.

#include <spdlog/spdlog.h>

#include <string_view>

namespace zhsenti::log {

enum class Format { kText, kJson };

// level: trace|debug|info|warn|error|off. Throws Error(kInvalidArgument) on an unknown name.
void init(std::string_view level = "info", Format format = Format::kText);

using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;

}  // namespace zhsenti::log
