#include "allervers/crypto/hash.hpp"

#include <sodium.h>

#include <array>

#include "allervers/crypto/start.hpp"

namespace allervers::crypto {

std::string hash_hex(std::string_view data, std::size_t bytes, std::span<const std::uint8_t> key) {
  start();
  if (bytes < crypto_generichash_BYTES_MIN || bytes > crypto_generichash_BYTES_MAX ||
      (!key.empty() && (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX)))
    throw CryptoError("hash_hex: a BLAKE2b hash is 16 to 64 bytes, its key none or 16 to 64 bytes");
  std::array<unsigned char, crypto_generichash_BYTES_MAX> h{};
  crypto_generichash(h.data(), bytes, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     key.empty() ? nullptr : key.data(), key.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), h.data(), bytes);
  hex.pop_back();
  return hex;
}

std::string sha256_hex(std::string_view data) {
  start();
  std::array<unsigned char, crypto_hash_sha256_BYTES> h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex(h.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  hex.pop_back();
  return hex;
}

}  // namespace allervers::crypto
