#pragma once
// The town's keys on the server, kept in its database (docs/server.md says why): the pass
// signing key (Ed25519, `passes::TownKey`) and the office's key pair for sealed contacts
// (X25519, libsodium crypto_box_seal). Both are made on first use; the private halves never
// leave the server. Devices get the public keys, their own certificate at enrolment, and at
// each sync every device certificate and the revocation list (`pass_keys`).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/core/time.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sync/protocol.hpp"

namespace allervers::server {

passes::TownKey town_key(ServerStore& store, const core::Instant& now);
// base64 (original variant, as crypto::ContactSealer reads it) of the office's public key.
std::string office_public_key(ServerStore& store, const core::Instant& now);
// base64 of the office's secret key: for opening sealed contacts at the office.
std::string office_secret_key(ServerStore& store, const core::Instant& now);

// Every office key still honoured, the current one first: sealed contacts and bundles open
// with any of them (`rotate-key office`).
crypto::OfficeKeyRing office_keys(ServerStore& store, const core::Instant& now);
// The same as base64 secret keys, for ExportOptions::open_contacts_with.
std::vector<std::string> office_secret_keys(ServerStore& store, const core::Instant& now);

// Key rotation (`allervers-server rotate-key town|office`, docs/security.md). The new key is
// made and becomes current; the old one is retired but still honoured: passes printed and
// certificates signed with the old town key keep verifying (devices receive the retired
// public keys at each sync, and ask for a certificate of the new key), contacts and bundles
// sealed for the old office key keep opening, until drop_retired_keys. Each returns the new
// public key's text ("AVK1-…", or base64 for the office).
std::string rotate_town_key(ServerStore& store, const core::Instant& now);
std::string rotate_office_key(ServerStore& store, const core::Instant& now);
// "AVK1-…" of the town keys retired and still trusted, oldest first.
std::vector<std::string> retired_town_keys(ServerStore& store);
enum class KeyKind { town, office };
// Ends the overlap: the retired keys are forgotten; how many there were.
int drop_retired_keys(ServerStore& store, KeyKind kind);

// A device's Ed25519 public key as sent (base64 of 32 bytes, a valid curve point); nothing
// when it is not one.
std::optional<std::array<std::uint8_t, 32>> read_device_public_key(const std::string& base64);

// Signs a device certificate for `serial` (the store assigns it): valid from a day before
// `now` for tuning::device_certificate_lifetime.
std::string certify_device(const passes::TownKey& town, std::uint32_t serial, const core::Uuid& device,
                           const std::array<std::uint8_t, 32>& device_public_key, const core::Instant& now);

// What the server holds revoked: passes reported lost, certificates of revoked devices.
passes::RevocationList revocation_list(ServerStore& store);
// The document of GET /api/v1/passes (certificates not revoked, by serial).
sync::protocol::PassKeys pass_keys(ServerStore& store, const core::Instant& now);

}  // namespace allervers::server
