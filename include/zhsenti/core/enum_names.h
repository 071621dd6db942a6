#pragma once
// A closed set of settings (a recurrent cell, a pooling, a token mode...) is a C++ enum in the
// code and a word in flags, config files and messages. One table per enum, the
// specialisation EnumNames<E>::kTable, gives both directions and the list of allowed words
// that error messages show, so a reader cannot accept a word another one would not write.
//
//   template <> struct EnumNames<CellType> {
//     static constexpr std::array<std::pair<CellType, std::string_view>, 3> kTable = {...};
//   };

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "zhsenti/core/setting_check.h"

namespace zhsenti {

template <typename E>
struct EnumNames;

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires {
  EnumNames<E>::kTable;
};

template <NamedEnum E>
constexpr std::string_view name_of(E value) {
  for (const auto& [e, name] : EnumNames<E>::kTable) {
    if (e == value) return name;
  }
  return "?";
}

template <NamedEnum E>
constexpr std::optional<E> find_named(std::string_view name) {
  for (const auto& [e, n] : EnumNames<E>::kTable) {
    if (n == name) return e;
  }
  return std::nullopt;
}

// "rnn, lstm, gru": the allowed words in table order.
template <NamedEnum E>
std::string names_list() {
  std::string list;
  for (const auto& [e, name] : EnumNames<E>::kTable) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

// The value `name` spells, or Error(kInvalidArgument) naming the setting as `names` knows it
// and the allowed words: "cell 'x' must be one of rnn, lstm, gru" (a config file's key) or
// "--cell must be one of rnn, lstm, gru, got 'x'" (a flag).
template <NamedEnum E>
E parse_setting(std::string_view name, SettingNames names, std::string_view key) {
  const std::optional<E> value = find_named<E>(name);
  check_setting(value.has_value(), names, key, fmt::format("'{}'", name),
                fmt::format("one of {}", names_list<E>()));
  return *value;
}

}  // namespace zhsenti
