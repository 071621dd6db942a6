#pragma once
// Argument checks that throw instead of aborting (the library never aborts on bad input).

#include <fmt/format.h>

#include "zhsenti/core/error.h"

#define ZHSENTI_CHECK_ARG(cond, ...)                                                   \
  do {                                                                                 \
    if (!(cond)) throw ::zhsenti::Error(::zhsenti::ErrorCode::kInvalidArgument,        \
                                        ::fmt::format(__VA_ARGS__));                   \
  } while (0)

#define ZHSENTI_CHECK_INTERNAL(cond)                                                        \
  do {                                                                                      \
    if (!(cond))                                                                            \
      throw ::zhsenti::Error(::zhsenti::ErrorCode::kInternal,                               \
                             ::fmt::format("internal error: {} ({}:{})", #cond, __FILE__, \
                                           __LINE__));                                      \
  } while (0)
