#pragma once
// An enum's stable names (script words, log lines, translation-key tails) declared once, as
// one table beside the enum's code; both directions read that table, so a name and its
// value cannot drift apart between a to_string and a from_string written twice.
#include <cstddef>
#include <optional>
#include <string_view>

namespace allervers::core {

template <class Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name of `value`, or "?" when the table misses it.
template <class Enum, std::size_t N>
constexpr const char* name_of(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

// The value called `name`, or nothing.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const auto& entry : table)
    if (name == entry.name) return entry.value;
  return std::nullopt;
}

}  // namespace allervers::core
