#include "allervers/crypto/sealed_box.hpp"

#include <sodium.h>

#include <vector>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/start.hpp"

namespace allervers::crypto {

static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32);

// --- the device's side -----------------------------------------------------------------

std::optional<ContactSealer> ContactSealer::from_base64(std::string_view public_key_base64) {
  auto key = from_base64_exact<crypto_box_PUBLICKEYBYTES>(public_key_base64, Base64::original, " \n\r\t");
  if (!key) return std::nullopt;
  ContactSealer s;
  s.public_key_ = *key;
  return s;
}

std::string ContactSealer::seal(std::string_view contact) const {
  start();
  std::vector<unsigned char> box(contact.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(contact.data()), contact.size(),
                      public_key_.data()) != 0)
    throw CryptoError("sealing the contact for the office failed");
  return to_base64(std::span<const std::uint8_t>(box));
}

// --- the office's side -----------------------------------------------------------------

OfficeKey OfficeKey::generate() {
  start();
  OfficeKey key;
  crypto_box_keypair(key.public_.data(), key.secret_.data());
  return key;
}

std::optional<OfficeKey> OfficeKey::from_base64(std::string_view secret_key_base64) {
  auto secret = from_base64_exact<crypto_box_SECRETKEYBYTES>(secret_key_base64);
  if (!secret) return std::nullopt;
  OfficeKey key;
  key.secret_ = *secret;
  sodium_memzero(secret->data(), secret->size());
  crypto_scalarmult_base(key.public_.data(), key.secret_.data());
  return key;
}

OfficeKey::OfficeKey(OfficeKey&& other) noexcept : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

OfficeKey& OfficeKey::operator=(OfficeKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

OfficeKey::~OfficeKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string OfficeKey::public_key_base64() const { return to_base64(std::span<const std::uint8_t>(public_)); }
std::string OfficeKey::secret_key_base64() const { return to_base64(std::span<const std::uint8_t>(secret_)); }

std::optional<std::string> OfficeKey::open(std::string_view sealed_base64) const {
  const auto box = crypto::from_base64(sealed_base64);
  if (!box || box->size() < crypto_box_SEALBYTES) return std::nullopt;
  std::string clear(box->size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(clear.data()), box->data(), box->size(), public_.data(),
                           secret_.data()) != 0)
    return std::nullopt;
  return clear;
}

std::optional<std::string> OfficeKeyRing::open(std::string_view sealed_base64) const {
  for (const auto& key : keys_)
    if (auto opened = key.open(sealed_base64)) return opened;
  return std::nullopt;
}

// --- personal data ---------------------------------------------------------------------

void wipe(std::string& text) {
  if (!text.empty()) sodium_memzero(text.data(), text.size());
  text.clear();
}

}  // namespace allervers::crypto
