#pragma once
// The town's keys, device certificates and passes: secrets made on first use (the town key,
// the office key), certificates by serial, revoked passes, printed passes. Tables:
// server_secrets, certificates, revoked_passes, printed_passes.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::crypto {
class AtRestKey;
}

namespace allervers::server {

// The rows of server_secrets, by name: declared here once (pass_keys.cpp makes and reads them).
namespace secrets {
inline constexpr std::string_view town_key = "town_key";      // "AVS1-…", the town's pass signing key
inline constexpr std::string_view office_key = "office_key";  // base64 of the office's X25519 secret key
// JSON arrays of the keys `rotate-key` retired and still honoured, oldest first:
inline constexpr std::string_view retired_town_keys = "town_keys_retired";      // "AVK1-…" public keys
inline constexpr std::string_view retired_office_keys = "office_keys_retired";  // base64 secret keys
inline constexpr std::string_view smtp_password = "smtp_password";  // the town's mail relay's password ("" none)
}  // namespace secrets

// A device certificate as issued: its serial, the device it names, its "AVC1-…" text.
struct CertificateRow {
  std::uint32_t serial = 0;
  std::string device;
  std::string text;
  std::int64_t issued_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

struct RevokedPassRow {
  std::string pass;  // the 10-character id
  std::string reason;
  std::int64_t revoked_ms = 0;
};

class KeyStore : public virtual StoreArea {
 public:
  // The value stored under `name`, made by `make` and stored when there is none yet. Servers
  // starting together on one database all end up with the first one stored.
  // With a secrets key (use_secrets_key), values are stored encrypted under it and read back
  // through it; without one, an encrypted value is refused with a sentence naming the option.
  std::string server_secret(std::string_view name, const std::function<std::string()>& make, std::int64_t now_ms);
  // Replaces the value under `name` (a setting the town gives, like the relay's password),
  // encrypted under the secrets key when one is in use.
  void set_server_secret(std::string_view name, const std::string& value, std::int64_t now_ms);
  // The key kept outside the database (--secrets-key-file, or the systemd credential).
  void use_secrets_key(std::shared_ptr<const crypto::AtRestKey> key);
  // Encrypts the values still in clear (kept by an older version) under the key in use; how
  // many. A no-op without a key.
  int protect_secrets();

  // A key rotation, in one transaction: the value under `name` becomes `made`, and
  // `retired_entry` is appended to the JSON array of texts kept under `retired`. Both are
  // stored encrypted when a secrets key is in use. Throws StoreError when `name` holds nothing.
  void rotate_server_secret(std::string_view name, const std::string& made, std::string_view retired,
                            const std::string& retired_entry, std::int64_t now_ms);
  // The texts kept under `retired`, oldest first (none when nothing was rotated).
  std::vector<std::string> retired_secrets(std::string_view retired);
  // Forgets them once the overlap is over; how many there were.
  int drop_retired_secrets(std::string_view retired);

  // `sign` makes the certificate's text for the serial the store assigns (unique, from 1), in
  // the same transaction.
  CertificateRow add_certificate(const std::string& device, const std::function<std::string(std::uint32_t serial)>& sign,
                                 std::int64_t now_ms);
  std::vector<CertificateRow> certificates();  // every one, by serial

  // Passes reported lost or misused; false when it was already revoked.
  bool revoke_pass(const std::string& pass, const std::string& reason, std::int64_t now_ms);
  std::vector<RevokedPassRow> revoked_passes();

  // Pass ids printed by the town (`passes --count`), so a typed fallback code can be checked.
  void add_printed_passes(const std::vector<std::string>& ids, std::int64_t now_ms);
  std::optional<std::int64_t> printed_pass(const std::string& id);  // when printed
  std::int64_t printed_pass_count();

 private:
  std::string readable_secret(std::string_view name, const std::string& stored) const;
  void put_secret(std::string_view name, const std::string& value, std::int64_t now_ms);
  std::shared_ptr<const crypto::AtRestKey> secrets_key_;
};

}  // namespace allervers::server
