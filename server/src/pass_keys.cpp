// The town's keys on the server. Sections: keys · device certificates · what devices download.
#include "allervers/server/pass_keys.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <unordered_set>

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

// Certificates found signed by a town key, remembered for this process. Each device's sync
// asks for the pass keys, and each answer lists every device's certificate, checked against the
// trusted town keys (a damaged row must not make devices refuse the whole set): with 1,000
// devices, 1,000 Ed25519 verifications a request. A certificate's text never changes (its
// signature and its key's id are in it), so a text found signed by a key stays so; revocation
// and retirement are read from the database at each request, as before. Only successes are
// kept, at most kMaxRemembered (then forgotten all at once and checked again).
class SignedCertificates {
 public:
  bool signed_by(const std::string& text, const passes::DeviceCertificate& certificate, const passes::TownPublicKey& key) {
    std::string entry = key.str() + '\n' + text;
    {
      std::lock_guard lock(mutex_);
      if (known_.count(entry)) return true;
    }
    if (!certificate.signed_by(key)) return false;
    std::lock_guard lock(mutex_);
    if (known_.size() >= kMaxRemembered) known_.clear();
    known_.insert(std::move(entry));
    return true;
  }

 private:
  static constexpr std::size_t kMaxRemembered = 100'000;  // ~40 MB at most; a town has hundreds of devices
  std::mutex mutex_;
  std::unordered_set<std::string> known_;
};

SignedCertificates& signed_certificates() {
  static SignedCertificates remembered;
  return remembered;
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

crypto::OfficeKeyRing office_keys(ServerStore& store, const core::Instant& now) {
  crypto::OfficeKeyRing ring;
  ring.add(office_key(store, now));
  for (const auto& text : store.retired_secrets(secrets::retired_office_keys)) {
    auto key = crypto::OfficeKey::from_base64(text);
    if (!key) throw std::runtime_error("a retired office key held in the server database is damaged (server_secrets.office_keys_retired)");
    ring.add(std::move(*key));
  }
  return ring;
}

std::vector<std::string> office_secret_keys(ServerStore& store, const core::Instant& now) {
  std::vector<std::string> keys{office_secret_key(store, now)};
  for (auto& text : store.retired_secrets(secrets::retired_office_keys)) keys.push_back(std::move(text));
  return keys;
}

std::vector<std::string> retired_town_keys(ServerStore& store) { return store.retired_secrets(secrets::retired_town_keys); }

std::string rotate_town_key(ServerStore& store, const core::Instant& now) {
  const passes::TownKey old = town_key(store, now);
  // Passes name their town key by a 2-byte id: the new key's must differ from every key
  // still trusted, or its passes would be checked against the wrong one.
  std::vector<passes::KeyId> taken{old.public_key().id()};
  for (const auto& text : retired_town_keys(store)) taken.push_back(passes::TownPublicKey::parse(text).id());
  for (;;) {
    std::string text = passes::SecretKey::generate().str();
    const passes::TownKey candidate(passes::SecretKey::parse(text));
    if (std::find(taken.begin(), taken.end(), candidate.public_key().id()) != taken.end()) {
      crypto::wipe(text);
      continue;
    }
    store.rotate_server_secret(secrets::town_key, text, secrets::retired_town_keys, old.public_key().str(), now.utc_ms);
    crypto::wipe(text);
    return candidate.public_key().str();
  }
}

std::string rotate_office_key(ServerStore& store, const core::Instant& now) {
  std::string old = office_secret_key(store, now);
  const auto made = crypto::OfficeKey::generate();
  std::string text = made.secret_key_base64();
  store.rotate_server_secret(secrets::office_key, text, secrets::retired_office_keys, old, now.utc_ms);
  crypto::wipe(text);
  crypto::wipe(old);
  return made.public_key_base64();
}

int drop_retired_keys(ServerStore& store, KeyKind kind) {
  return store.drop_retired_secrets(kind == KeyKind::town ? secrets::retired_town_keys : secrets::retired_office_keys);
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
  const passes::TownKey town = town_key(store, now);
  keys.town_key = town.public_key().str();
  keys.office_public_key = office_public_key(store, now);
  keys.retired_town_keys = retired_town_keys(store);
  // Only certificates of a key still trusted: once retired keys are dropped, the certificates
  // they signed are no longer sent (devices would refuse the whole set).
  std::vector<passes::TownPublicKey> trusted{town.public_key()};
  for (const auto& text : keys.retired_town_keys) trusted.push_back(passes::TownPublicKey::parse(text));
  const auto signed_by_trusted = [&](const std::string& text) {
    try {
      const auto certificate = passes::DeviceCertificate::parse(text);
      return std::any_of(trusted.begin(), trusted.end(),
                         [&](const auto& key) { return signed_certificates().signed_by(text, certificate, key); });
    } catch (const passes::KeyError&) {
      return false;
    }
  };
  for (const auto& c : store.certificates())
    if (!c.revoked_ms && !c.text.empty() && signed_by_trusted(c.text)) keys.certificates.push_back(c.text);
  keys.revocations = nlohmann::json::parse(revocation_list(store).to_json());
  return keys;
}

}  // namespace allervers::server
