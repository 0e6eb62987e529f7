#pragma once
// Contact details travel sealed for the office (libsodium crypto_box_seal: X25519 and
// XSalsa20-Poly1305): the device seals with the office's public key and cannot read them
// back; only the office, holding the secret key on the server, opens them. Both keys are
// written as base64 (original alphabet, padded) of 32 bytes (docs/protocol.md).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::crypto {

// The device's side: seals with the office's public key.
class ContactSealer {
 public:
  // Nothing when the text is not base64 of a 32-byte public key (white space is skipped).
  static std::optional<ContactSealer> from_base64(std::string_view public_key_base64);
  // base64 of the sealed box holding `contact` (UTF-8). Throws CryptoError when sealing fails.
  std::string seal(std::string_view contact) const;

 private:
  std::array<std::uint8_t, 32> public_key_{};
};

// The office's key pair, on the server. The secret key is wiped when the object goes.
class OfficeKey {
 public:
  static OfficeKey generate();
  // Nothing when the text is not base64 of a 32-byte secret key.
  static std::optional<OfficeKey> from_base64(std::string_view secret_key_base64);

  OfficeKey(OfficeKey&& other) noexcept;
  OfficeKey& operator=(OfficeKey&& other) noexcept;
  OfficeKey(const OfficeKey&) = delete;
  OfficeKey& operator=(const OfficeKey&) = delete;
  ~OfficeKey();

  std::string public_key_base64() const;
  std::string secret_key_base64() const;  // to keep it in the server's database
  // The contact a device sealed for this key; nothing when it cannot be opened (sealed for
  // another key, damaged, not base64).
  std::optional<std::string> open(std::string_view sealed_base64) const;

 private:
  OfficeKey() = default;
  std::array<std::uint8_t, 32> secret_{};
  std::array<std::uint8_t, 32> public_{};
};

// The office's current key and the keys it retired (`rotate-key office`): a contact sealed by
// a device that had not yet heard of the new key still opens during the overlap.
class OfficeKeyRing {
 public:
  void add(OfficeKey key) { keys_.push_back(std::move(key)); }
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  // With the first key (the current one first) that opens it; nothing when none does.
  std::optional<std::string> open(std::string_view sealed_base64) const;

 private:
  std::vector<OfficeKey> keys_;
};

// Overwrites a string holding personal data before it is released.
void wipe(std::string& text);

}  // namespace allervers::crypto
