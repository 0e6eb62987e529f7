// A top-level value of a stored record, found without parsing the rest.
#include "record_value.hpp"

namespace allervers::server {

namespace {

// The end of the JSON value starting at `i` (a string, number, literal, object or array).
std::size_t skip_value(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '"') return i + 1;
    }
    return std::string_view::npos;
  }
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') {
        i = skip_value(s, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return std::string_view::npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;  // number, true, false, null
  return i;
}

}  // namespace

std::string_view record_value(std::string_view record, std::string_view key) {
  if (record.empty() || record[0] != '{') return {};
  std::size_t i = 1;
  while (i < record.size() && record[i] == '"') {
    const std::size_t key_end = skip_value(record, i);
    if (key_end == std::string_view::npos || key_end >= record.size() || record[key_end] != ':') return {};
    const std::string_view name = record.substr(i + 1, key_end - i - 2);
    const std::size_t value = key_end + 1;
    const std::size_t end = skip_value(record, value);
    if (end == std::string_view::npos) return {};
    if (name == key) return record.substr(value, end - value);
    if (end >= record.size() || record[end] != ',') return {};
    i = end + 1;
  }
  return {};
}

}  // namespace allervers::server
