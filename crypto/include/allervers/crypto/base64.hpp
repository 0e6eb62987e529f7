#pragma once
// base64 as the project writes it: the original alphabet with padding for keys and sealed
// contacts (docs/protocol.md), the URL-safe one without padding for device tokens.
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::crypto {

enum class Base64 { original, url_safe_unpadded };

std::string to_base64(std::span<const std::uint8_t> bytes, Base64 variant = Base64::original);
std::string to_base64(std::string_view bytes, Base64 variant = Base64::original);

// The bytes `text` encodes, or nothing when any of it is not base64 of `variant`. Characters
// in `ignore` (e.g. " \n\r\t" for a key pasted from a mail) are skipped.
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text, Base64 variant = Base64::original,
                                                     const char* ignore = nullptr);

// Exactly N bytes (a key), or nothing.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> from_base64_exact(std::string_view text, Base64 variant = Base64::original,
                                                             const char* ignore = nullptr) {
  auto bytes = from_base64(text, variant, ignore);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), bytes->data(), N);
  return out;
}

}  // namespace allervers::crypto
