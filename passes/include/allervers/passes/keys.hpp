#pragma once
// The keys behind passes (Ed25519, libsodium) and the device certificate.
//
// The town's signing key stays on the server (or an offline machine). Each device makes its
// own signing key at enrolment and receives a DeviceCertificate: its public key, its device
// id, a short serial number and a validity, signed by the town key. A device issues passes
// with its own key; any device verifies them with the town's public key plus the certificates
// it received at sync. See docs/passes.md for the formats and the trade-offs.
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "allervers/core/uuid.hpp"

namespace allervers::passes {

// Raised for keys or certificates that cannot be read or used; the message says which and why.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Two bytes naming a town key (the start of its BLAKE2b hash). Carried in every pass so a
// code from another town is refused as such rather than as a forgery.
using KeyId = std::uint16_t;

class TownPublicKey {
 public:
  explicit TownPublicKey(const std::array<std::uint8_t, 32>& bytes);
  // Text form "AVK1-" + base32, as shipped to devices at enrolment and in config files.
  static TownPublicKey parse(std::string_view text);  // throws KeyError
  std::string str() const;
  const std::array<std::uint8_t, 32>& bytes() const { return bytes_; }
  KeyId id() const { return id_; }
  friend bool operator==(const TownPublicKey& a, const TownPublicKey& b) { return a.bytes_ == b.bytes_; }

 private:
  std::array<std::uint8_t, 32> bytes_;
  KeyId id_;
};

// An Ed25519 secret key, wiped from memory on destruction. Not copyable: one owner.
class SecretKey {
 public:
  static SecretKey generate();
  // Text form "AVS1-" + base32 of the 32-byte seed; throws KeyError.
  static SecretKey parse(std::string_view text);
  std::string str() const;
  std::array<std::uint8_t, 32> public_bytes() const;
  std::array<std::uint8_t, 64> sign(std::string_view message) const;

  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

 private:
  SecretKey() = default;
  std::array<std::uint8_t, 64> sk_{};  // libsodium layout: seed then public key
};

bool verify_signature(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                      const std::array<std::uint8_t, 64>& signature);
// Whether 32 bytes are an Ed25519 public key (a valid curve point): a device's key as sent.
bool is_public_key(const std::array<std::uint8_t, 32>& bytes);

struct DeviceCertificate {
  std::uint32_t serial = 0;  // assigned by the server, unique per town key; carried in passes
  KeyId town_key = 0;
  core::Uuid device;
  std::array<std::uint8_t, 32> device_public_key{};
  std::int64_t valid_from_s = 0;   // Unix seconds: the device may issue passes from...
  std::int64_t valid_until_s = 0;  // ...until (exclusive)
  std::array<std::uint8_t, 64> signature{};

  // Text form "AVC1-" + base32 of the signed fields and the signature (~210 characters).
  std::string str() const;
  static DeviceCertificate parse(std::string_view text);  // throws KeyError
  std::string signed_message() const;
  bool signed_by(const TownPublicKey& town) const;
  bool valid_at(std::int64_t unix_s) const { return unix_s >= valid_from_s && unix_s < valid_until_s; }
  friend bool operator==(const DeviceCertificate&, const DeviceCertificate&) = default;
};

// The town's signing key: issues passes printed by the town and certifies devices.
class TownKey {
 public:
  explicit TownKey(SecretKey secret);
  static TownKey generate() { return TownKey(SecretKey::generate()); }
  const TownPublicKey& public_key() const { return public_; }
  const SecretKey& secret() const { return secret_; }
  DeviceCertificate certify(std::uint32_t serial, const core::Uuid& device,
                            const std::array<std::uint8_t, 32>& device_public_key,
                            std::int64_t valid_from_s, std::int64_t valid_until_s) const;

 private:
  SecretKey secret_;
  TownPublicKey public_;
};

}  // namespace allervers::passes
