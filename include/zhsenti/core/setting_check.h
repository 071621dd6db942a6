#pragma once
// A setting is checked once, where it is defined, but reaches that check from readers that
// know it by different names: a config file by its JSON key ("hidden 0 must be >= 1"), the
// command line by its flag ("--hidden must be >= 1, got 0"). The flag of key `a_b` is `--a-b`.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "zhsenti/core/error.h"

namespace zhsenti {

enum class SettingNames { kJsonKeys, kFlags };

// Throws Error(kInvalidArgument) naming the setting unless ok. `value` is formatted only then.
template <typename T>
void check_setting(bool ok, SettingNames names, std::string_view key, const T& value,
                   std::string_view rule) {
  if (ok) return;
  if (names == SettingNames::kJsonKeys) {
    throw Error(ErrorCode::kInvalidArgument, fmt::format("{} {} must be {}", key, value, rule));
  }
  std::string flag(key);
  std::replace(flag.begin(), flag.end(), '_', '-');
  throw Error(ErrorCode::kInvalidArgument, fmt::format("--{} must be {}, got {}", flag, rule, value));
}

}  // namespace zhsenti
