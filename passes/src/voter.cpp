// The voter's keyed hash and the receipt code (voter.hpp).
#include "allervers/passes/voter.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

#include "allervers/crypto/hash.hpp"
#include "allervers/crypto/random.hpp"

namespace allervers::passes {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

std::array<std::uint8_t, 32> voter_key_bytes(const std::string& voter_key) {
  std::array<std::uint8_t, 32> key{};
  if (voter_key.size() != key.size() * 2) throw std::invalid_argument("voter_key is not 32 bytes of hex");
  for (std::size_t i = 0; i < key.size(); ++i) {
    const int hi = hex_value(voter_key[2 * i]), lo = hex_value(voter_key[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("voter_key is not lower-case hex");
    key[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return key;
}

std::string voter_hash(const core::Vote& vote, std::string_view pass_id) {
  std::array<std::uint8_t, 32> key{};
  try {
    key = voter_key_bytes(vote.voter_key);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("vote " + vote.id + ": " + e.what());
  }
  std::string message = "allervers vote v1\n" + vote.id + "\n";
  message.append(pass_id);
  return crypto::hash_hex(message, 32, key);
}

std::string new_receipt() {
  constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  for (std::size_t i = 0; i < core::kReceiptLength; ++i) out += alphabet[crypto::random_below(32)];
  return out;
}

std::string new_voter_key() {
  std::array<std::uint8_t, 32> key{};
  crypto::random_fill(key);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : key) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

}  // namespace allervers::passes
