#include "allervers/passes/base32.hpp"

namespace allervers::passes::base32 {

std::string encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(alphabet[(buffer >> bits) & 31u]);
    }
    buffer &= (1u << bits) - 1u;
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31u]);
  return out;
}

namespace {
int strict_value(char c) {
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    if (alphabet[i] == c) return static_cast<int>(i);
  return -1;
}
}  // namespace

std::optional<std::vector<std::uint8_t>> decode(std::string_view text) {
  const std::size_t total_bits = text.size() * 5;
  const std::size_t byte_count = total_bits / 8;
  // encode() never writes a whole character of padding.
  if (total_bits - byte_count * 8 >= 5) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(byte_count);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = strict_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFFu));
    }
    buffer &= (1u << bits) - 1u;
  }
  if (buffer != 0) return std::nullopt;  // padding bits must be zero
  return out;
}

char luhn_check(std::span<const int> values) {
  // Luhn mod N (N = 32): double every other symbol from the right, fold the overflow.
  int factor = 2;
  int sum = 0;
  for (auto it = values.rbegin(); it != values.rend(); ++it) {
    int addend = factor * *it;
    factor = factor == 2 ? 1 : 2;
    addend = addend / 32 + addend % 32;
    sum += addend;
  }
  const int check = (32 - sum % 32) % 32;
  return alphabet[static_cast<std::size_t>(check)];
}

}  // namespace allervers::passes::base32
