#include "allervers/passes/keys.hpp"

#include <sodium.h>

#include <cstring>
#include <vector>

#include "allervers/crypto/start.hpp"
#include "allervers/passes/base32.hpp"
#include "bytes.hpp"

namespace allervers::passes {

namespace {

constexpr std::string_view public_prefix = "AVK1-";
constexpr std::string_view secret_prefix = "AVS1-";
constexpr std::string_view certificate_prefix = "AVC1-";
constexpr std::string_view certificate_domain = "allervers device certificate v1\n";
constexpr std::size_t certificate_body = 1 + 2 + 4 + 16 + 32 + 8 + 8;

KeyId key_id_of(const std::array<std::uint8_t, 32>& public_key) {
  std::array<std::uint8_t, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), public_key.data(), public_key.size(), nullptr, 0);
  return static_cast<KeyId>((hash[0] << 8) | hash[1]);
}

std::vector<std::uint8_t> decode_prefixed(std::string_view text, std::string_view prefix, const char* what) {
  if (text.substr(0, prefix.size()) != prefix)
    throw KeyError(std::string(what) + ": expected text starting with " + std::string(prefix));
  auto bytes = base32::decode(text.substr(prefix.size()));
  if (!bytes) throw KeyError(std::string(what) + ": not valid base32 after " + std::string(prefix));
  return *bytes;
}

}  // namespace

// ---- TownPublicKey ---------------------------------------------------------------------------

TownPublicKey::TownPublicKey(const std::array<std::uint8_t, 32>& bytes) : bytes_(bytes), id_(0) {
  crypto::start();
  id_ = key_id_of(bytes_);
}

TownPublicKey TownPublicKey::parse(std::string_view text) {
  const auto bytes = decode_prefixed(text, public_prefix, "town public key");
  if (bytes.size() != 32) throw KeyError("town public key: expected 32 bytes, found " + std::to_string(bytes.size()));
  std::array<std::uint8_t, 32> key{};
  std::memcpy(key.data(), bytes.data(), key.size());
  return TownPublicKey(key);
}

std::string TownPublicKey::str() const { return std::string(public_prefix) + base32::encode(bytes_); }

// ---- SecretKey -------------------------------------------------------------------------------

SecretKey SecretKey::generate() {
  crypto::start();
  SecretKey key;
  std::array<std::uint8_t, 32> pk{};
  crypto_sign_keypair(pk.data(), key.sk_.data());
  return key;
}

SecretKey SecretKey::parse(std::string_view text) {
  crypto::start();
  auto seed = decode_prefixed(text, secret_prefix, "secret key");
  if (seed.size() != crypto_sign_SEEDBYTES) {
    sodium_memzero(seed.data(), seed.size());
    throw KeyError("secret key: expected 32 bytes, found " + std::to_string(seed.size()));
  }
  SecretKey key;
  std::array<std::uint8_t, 32> pk{};
  crypto_sign_seed_keypair(pk.data(), key.sk_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return key;
}

std::string SecretKey::str() const {
  return std::string(secret_prefix) + base32::encode(std::span(sk_.data(), crypto_sign_SEEDBYTES));
}

std::array<std::uint8_t, 32> SecretKey::public_bytes() const {
  std::array<std::uint8_t, 32> pk{};
  crypto_sign_ed25519_sk_to_pk(pk.data(), sk_.data());
  return pk;
}

std::array<std::uint8_t, 64> SecretKey::sign(std::string_view message) const {
  std::array<std::uint8_t, 64> signature{};
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk_.data());
  return signature;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : sk_(other.sk_) { sodium_memzero(other.sk_.data(), other.sk_.size()); }

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    sk_ = other.sk_;
    sodium_memzero(other.sk_.data(), other.sk_.size());
  }
  return *this;
}

SecretKey::~SecretKey() { sodium_memzero(sk_.data(), sk_.size()); }

bool verify_signature(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                      const std::array<std::uint8_t, 64>& signature) {
  crypto::start();
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key.data()) == 0;
}

bool is_public_key(const std::array<std::uint8_t, 32>& bytes) {
  crypto::start();
  return crypto_core_ed25519_is_valid_point(bytes.data()) == 1;
}

// ---- DeviceCertificate -----------------------------------------------------------------------

std::string DeviceCertificate::signed_message() const {
  std::string out(certificate_domain);
  detail::put(out, std::uint8_t{1});
  detail::put(out, town_key);
  detail::put(out, serial);
  out.append(reinterpret_cast<const char*>(device.bytes().data()), device.bytes().size());
  out.append(reinterpret_cast<const char*>(device_public_key.data()), device_public_key.size());
  detail::put(out, static_cast<std::uint64_t>(valid_from_s));
  detail::put(out, static_cast<std::uint64_t>(valid_until_s));
  return out;
}

std::string DeviceCertificate::str() const {
  std::string body = signed_message().substr(certificate_domain.size());
  body.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  return std::string(certificate_prefix) +
         base32::encode(std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

DeviceCertificate DeviceCertificate::parse(std::string_view text) {
  const auto bytes = decode_prefixed(text, certificate_prefix, "device certificate");
  if (bytes.size() != certificate_body + 64)
    throw KeyError("device certificate: expected " + std::to_string(certificate_body + 64) + " bytes, found " +
                   std::to_string(bytes.size()));
  if (bytes[0] != 1) throw KeyError("device certificate: unknown version " + std::to_string(bytes[0]));
  detail::Reader in(bytes, 1);
  DeviceCertificate c;
  c.town_key = in.get<std::uint16_t>();
  c.serial = in.get<std::uint32_t>();
  std::array<std::uint8_t, 16> uuid{};
  in.copy(uuid);
  c.device = core::Uuid(uuid);
  in.copy(c.device_public_key);
  c.valid_from_s = static_cast<std::int64_t>(in.get<std::uint64_t>());
  c.valid_until_s = static_cast<std::int64_t>(in.get<std::uint64_t>());
  in.copy(c.signature);
  return c;
}

bool DeviceCertificate::signed_by(const TownPublicKey& town) const {
  return town_key == town.id() && verify_signature(town.bytes(), signed_message(), signature);
}

// ---- TownKey ---------------------------------------------------------------------------------

TownKey::TownKey(SecretKey secret) : secret_(std::move(secret)), public_(secret_.public_bytes()) {}

DeviceCertificate TownKey::certify(std::uint32_t serial, const core::Uuid& device,
                                   const std::array<std::uint8_t, 32>& device_public_key, std::int64_t valid_from_s,
                                   std::int64_t valid_until_s) const {
  if (valid_until_s <= valid_from_s) throw KeyError("device certificate: validity ends before it starts");
  DeviceCertificate c;
  c.serial = serial;
  c.town_key = public_.id();
  c.device = device;
  c.device_public_key = device_public_key;
  c.valid_from_s = valid_from_s;
  c.valid_until_s = valid_until_s;
  c.signature = secret_.sign(c.signed_message());
  return c;
}

}  // namespace allervers::passes
