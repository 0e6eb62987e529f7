#include "allervers/core/crockford.hpp"

namespace allervers::core::crockford {

std::optional<int> typed_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') c = '0';
  if (c == 'I' || c == 'L') c = '1';
  const auto pos = alphabet.find(c);
  if (pos == std::string_view::npos) return std::nullopt;
  return static_cast<int>(pos);
}

}  // namespace allervers::core::crockford
