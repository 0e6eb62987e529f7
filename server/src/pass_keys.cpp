// The town's keys on the server. Sections: keys · device certificates · what devices download.
#include "allervers/server/pass_keys.hpp"

#include <sodium.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "allervers/sync/tuning.hpp"

namespace allervers::server {

namespace tuning = sync::tuning;

namespace {

void start_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start (no source of randomness?)");
}

std::string to_base64(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Exactly `N` bytes from base64 (original variant), or nothing.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> from_base64(const std::string& text) {
  std::array<std::uint8_t, N> out{};
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != N || end != text.data() + text.size())
    return std::nullopt;
  return out;
}

std::array<std::uint8_t, crypto_box_SECRETKEYBYTES> office_secret(ServerStore& store, const core::Instant& now) {
  start_sodium();
  const std::string text = store.server_secret(secrets::office_key, [] {
    std::array<unsigned char, crypto_box_PUBLICKEYBYTES> pk{};
    std::array<unsigned char, crypto_box_SECRETKEYBYTES> sk{};
    crypto_box_keypair(pk.data(), sk.data());
    std::string out = to_base64(sk.data(), sk.size());
    sodium_memzero(sk.data(), sk.size());
    return out;
  }, now.utc_ms);
  auto sk = from_base64<crypto_box_SECRETKEYBYTES>(text);
  if (!sk) throw std::runtime_error("the office key held in the server database is damaged (server_secrets.office_key)");
  return *sk;
}

}  // namespace

// --- keys ------------------------------------------------------------------------------

passes::TownKey town_key(ServerStore& store, const core::Instant& now) {
  const std::string text = store.server_secret(secrets::town_key, [] { return passes::SecretKey::generate().str(); }, now.utc_ms);
  try {
    return passes::TownKey(passes::SecretKey::parse(text));
  } catch (const passes::KeyError& e) {
    throw std::runtime_error(std::string("the town key held in the server database is damaged (server_secrets.town_key): ") + e.what());
  }
}

std::string office_public_key(ServerStore& store, const core::Instant& now) {
  auto sk = office_secret(store, now);
  std::array<unsigned char, crypto_box_PUBLICKEYBYTES> pk{};
  crypto_scalarmult_base(pk.data(), sk.data());
  sodium_memzero(sk.data(), sk.size());
  return to_base64(pk.data(), pk.size());
}

std::string office_secret_key(ServerStore& store, const core::Instant& now) {
  auto sk = office_secret(store, now);
  std::string out = to_base64(sk.data(), sk.size());
  sodium_memzero(sk.data(), sk.size());
  return out;
}

// --- device certificates ---------------------------------------------------------------

std::optional<std::array<std::uint8_t, 32>> read_device_public_key(const std::string& base64) {
  start_sodium();
  if (base64.size() > 64) return std::nullopt;
  auto key = from_base64<32>(base64);
  if (!key || crypto_core_ed25519_is_valid_point(key->data()) != 1) return std::nullopt;
  return key;
}

std::string certify_device(const passes::TownKey& town, std::uint32_t serial, const core::Uuid& device,
                           const std::array<std::uint8_t, 32>& device_public_key, const core::Instant& now) {
  using std::chrono::seconds;
  const std::int64_t now_s = now.utc_ms / 1000;
  const std::int64_t from = now_s - std::chrono::duration_cast<seconds>(tuning::device_certificate_backdate).count();
  const std::int64_t until = now_s + std::chrono::duration_cast<seconds>(tuning::device_certificate_lifetime).count();
  return town.certify(serial, device, device_public_key, from, until).str();
}

// --- what devices download -------------------------------------------------------------

passes::RevocationList revocation_list(ServerStore& store) {
  passes::RevocationList list;
  for (const auto& r : store.revoked_passes())
    if (auto id = passes::PassId::parse(r.pass)) list.passes.insert(*id);
  for (const auto& c : store.certificates())
    if (c.revoked_ms) list.certificates.insert(c.serial);
  return list;
}

sync::protocol::PassKeys pass_keys(ServerStore& store, const core::Instant& now) {
  sync::protocol::PassKeys keys;
  keys.town_key = town_key(store, now).public_key().str();
  keys.office_public_key = office_public_key(store, now);
  for (const auto& c : store.certificates())
    if (!c.revoked_ms && !c.text.empty()) keys.certificates.push_back(c.text);
  keys.revocations = nlohmann::json::parse(revocation_list(store).to_json());
  return keys;
}

}  // namespace allervers::server
