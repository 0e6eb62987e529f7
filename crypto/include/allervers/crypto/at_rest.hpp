#pragma once
// Secrets at rest: a value kept in a database (the town's pass-signing seed, the office's
// X25519 secret) encrypted under a key kept outside it, so that a copy or a backup of the
// database alone reveals nothing (docs/security.md). XChaCha20-Poly1305 (libsodium's IETF
// AEAD): a random 24-byte nonce per value, and the value's name as associated data, so rows
// cannot be swapped. Text form: "AVE1:" + base64(nonce || ciphertext || tag).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace allervers::crypto {

class AtRestKey {
 public:
  static AtRestKey generate();
  // The key in a file: base64 of 32 bytes (white space around it is ignored). Throws
  // CryptoError naming the file when it cannot be read, is not a key, or can be read by
  // anyone but its owner (mode & 077): a key others can read protects nothing.
  static AtRestKey read_file(const std::filesystem::path& path);
  // Writes a new key to `path`, 0600, refusing to overwrite one. Throws CryptoError.
  static AtRestKey create_file(const std::filesystem::path& path);

  AtRestKey(AtRestKey&& other) noexcept;
  AtRestKey& operator=(AtRestKey&& other) noexcept;
  AtRestKey(const AtRestKey&) = delete;
  AtRestKey& operator=(const AtRestKey&) = delete;
  ~AtRestKey();

  std::string encrypt(std::string_view name, std::string_view value) const;
  // Nothing when `text` was not encrypted by this key under this name, or is damaged.
  std::optional<std::string> decrypt(std::string_view name, std::string_view text) const;

 private:
  AtRestKey() = default;
  std::array<std::uint8_t, 32> key_{};
};

// Whether a stored value is in the encrypted text form (else it is a value kept in clear by
// an older version, to be encrypted when a key is given).
bool is_encrypted_at_rest(std::string_view text);

}  // namespace allervers::crypto
