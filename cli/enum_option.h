#pragma once
// A flag whose value is one word of a closed set (core/enum_names.h): its help lists the
// words, a word outside them is refused with the same message a config file's key gets
// ("--emoji must be one of keep, drop, got 'x'"), and the default shows by name.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>

#include "zhsenti/core/enum_names.h"
#include "zhsenti/core/error.h"

namespace zhsenti::cli {

template <NamedEnum E>
std::string enum_help(const std::string& help) {
  std::string words = names_list<E>();  // "a, b, c" -> "a | b | c"
  std::string bars;
  for (const char ch : words) {
    if (ch == ',') {
      bars += " |";
    } else {
      bars += ch;
    }
  }
  return help.empty() ? bars : fmt::format("{}: {}", bars, help);
}

// `value` is set when the flag is parsed; a word outside the set is a usage error (CLI11's
// exit code, as every malformed flag). show_default: print the current value in --help.
template <NamedEnum E>
CLI::Option* add_enum_option(CLI::App* cmd, const std::string& flag, E& value,
                             const std::string& help, bool show_default = true) {
  std::string key = flag.substr(flag.find_first_not_of('-'));
  std::replace(key.begin(), key.end(), '-', '_');
  CLI::Option* opt = cmd->add_option_function<std::string>(
      flag, [&value](const std::string& word) { value = find_named<E>(word).value(); },
      enum_help<E>(help));
  opt->check(CLI::Validator(
      [key](std::string& word) -> std::string {
        try {
          parse_setting<E>(word, SettingNames::kFlags, key);
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      ""));
  if (show_default) opt->default_str(std::string(name_of(value)));
  return opt;
}

}  // namespace zhsenti::cli
