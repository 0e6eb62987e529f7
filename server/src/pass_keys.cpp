// The town's keys on the server. Sections: keys · device certificates · what devices download.
#include "allervers/server/pass_keys.hpp"

#include <chrono>
#include <stdexcept>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::server {

namespace tuning = sync::tuning;

namespace {

crypto::OfficeKey office_key(ServerStore& store, const core::Instant& now) {
  const std::string text = store.server_secret(secrets::office_key, [] { return crypto::OfficeKey::generate().secret_key_base64(); },
                                               now.utc_ms);
  auto key = crypto::OfficeKey::from_base64(text);
  if (!key) throw std::runtime_error("the office key held in the server database is damaged (server_secrets.office_key)");
  return std::move(*key);
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
  return office_key(store, now).public_key_base64();
}

std::string office_secret_key(ServerStore& store, const core::Instant& now) {
  return office_key(store, now).secret_key_base64();
}

// --- device certificates ---------------------------------------------------------------

std::optional<std::array<std::uint8_t, 32>> read_device_public_key(const std::string& base64) {
  if (base64.size() > 64) return std::nullopt;
  auto key = crypto::from_base64_exact<32>(base64);
  if (!key || !passes::is_public_key(*key)) return std::nullopt;
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
