// The town's keys, device certificates, revoked and printed passes.
#include "allervers/server/store/keys.hpp"

#include <array>
#include <climits>

#include <nlohmann/json.hpp>

#include "allervers/crypto/at_rest.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "internal.hpp"

namespace allervers::server {

std::string KeyStore::server_secret(std::string_view name, const std::function<std::string()>& make, std::int64_t now_ms) {
  if (const auto held = db().query("SELECT value FROM server_secrets WHERE name = $1", {name}); !held.empty())
    return readable_secret(name, held.one().text(0));
  // Another server may store one meanwhile: the first stored wins, everyone reads it back.
  const std::string made = make();
  db().exec("INSERT INTO server_secrets(name, value, created_ms) VALUES($1, $2, $3) ON CONFLICT(name) DO NOTHING",
            {name, secrets_key_ ? secrets_key_->encrypt(name, made) : made, now_ms});
  return readable_secret(name, db().query("SELECT value FROM server_secrets WHERE name = $1", {name}).one().text(0));
}

void KeyStore::set_server_secret(std::string_view name, const std::string& value, std::int64_t now_ms) {
  const std::string stored = secrets_key_ ? secrets_key_->encrypt(name, value) : value;
  db().exec("INSERT INTO server_secrets(name, value, created_ms) VALUES($1, $2, $3) ON CONFLICT(name) DO UPDATE SET value = $2",
            {name, stored, now_ms});
}

void KeyStore::use_secrets_key(std::shared_ptr<const crypto::AtRestKey> key) { secrets_key_ = std::move(key); }

std::string KeyStore::readable_secret(std::string_view name, const std::string& stored) const {
  if (!crypto::is_encrypted_at_rest(stored)) return stored;  // kept in clear before keys were given
  if (!secrets_key_)
    throw StoreError("the server's secret \"" + std::string(name) +
                     "\" is encrypted: give the key it was encrypted with (--secrets-key-file FILE, "
                     "or the systemd credential allervers-secrets-key)");
  auto clear = secrets_key_->decrypt(name, stored);
  if (!clear)
    throw StoreError("the server's secret \"" + std::string(name) +
                     "\" does not open with this secrets key: it was encrypted with another one (or damaged)");
  return std::move(*clear);
}

int KeyStore::protect_secrets() {
  if (!secrets_key_) return 0;
  sql::Transaction tx(db());
  std::vector<std::pair<std::string, std::string>> clear;
  for (const auto row : db().query("SELECT name, value FROM server_secrets"))
    if (!crypto::is_encrypted_at_rest(row.text(1))) clear.emplace_back(row.text(0), row.text(1));
  for (auto& [name, value] : clear) {
    db().exec("UPDATE server_secrets SET value = $1 WHERE name = $2", {secrets_key_->encrypt(name, value), name});
    crypto::wipe(value);
  }
  tx.commit();
  return static_cast<int>(clear.size());
}

void KeyStore::put_secret(std::string_view name, const std::string& value, std::int64_t now_ms) {
  db().exec("INSERT INTO server_secrets(name, value, created_ms) VALUES($1, $2, $3) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            {name, secrets_key_ ? secrets_key_->encrypt(name, value) : value, now_ms});
}

std::vector<std::string> KeyStore::retired_secrets(std::string_view retired) {
  const auto held = db().query("SELECT value FROM server_secrets WHERE name = $1", {retired});
  if (held.empty()) return {};
  std::string text = readable_secret(retired, held.one().text(0));
  const auto list = nlohmann::json::parse(text, nullptr, false);
  crypto::wipe(text);
  if (!list.is_array()) throw StoreError("the server's secret \"" + std::string(retired) + "\" is damaged: not a JSON list");
  std::vector<std::string> out;
  for (const auto& item : list) {
    if (!item.is_string()) throw StoreError("the server's secret \"" + std::string(retired) + "\" is damaged: not a list of texts");
    out.push_back(item.get<std::string>());
  }
  return out;
}

void KeyStore::rotate_server_secret(std::string_view name, const std::string& made, std::string_view retired,
                                    const std::string& retired_entry, std::int64_t now_ms) {
  sql::Transaction tx(db());
  if (db().query("SELECT value FROM server_secrets WHERE name = $1", {name}).empty())
    throw StoreError("there is no \"" + std::string(name) + "\" to rotate yet");
  auto list = retired_secrets(retired);
  list.push_back(retired_entry);
  std::string listed = nlohmann::json(list).dump();
  put_secret(retired, listed, now_ms);
  put_secret(name, made, now_ms);
  tx.commit();
  crypto::wipe(listed);
  for (auto& text : list) crypto::wipe(text);
}

int KeyStore::drop_retired_secrets(std::string_view retired) {
  const auto count = static_cast<int>(retired_secrets(retired).size());
  db().exec("DELETE FROM server_secrets WHERE name = $1", {retired});
  return count;
}

CertificateRow insert_certificate(sql::Driver& db, const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                  std::int64_t now_ms) {
  const auto serial =
      db.query("INSERT INTO certificates(device, text, issued_ms) VALUES($1, '', $2) RETURNING serial", {device, now_ms}).one().int64(0);
  if (serial <= 0 || serial > std::int64_t{UINT32_MAX}) throw StoreError("device certificate serials are exhausted");
  CertificateRow row{static_cast<std::uint32_t>(serial), device, sign(static_cast<std::uint32_t>(serial)), now_ms, std::nullopt};
  db.exec("UPDATE certificates SET text = $1 WHERE serial = $2", {row.text, serial});
  return row;
}

CertificateRow KeyStore::add_certificate(const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                         std::int64_t now_ms) {
  sql::Transaction tx(db());
  auto row = insert_certificate(db(), device, sign, now_ms);
  tx.commit();
  return row;
}

std::vector<CertificateRow> KeyStore::certificates() {
  std::vector<CertificateRow> out;
  for (const auto row : db().query("SELECT serial, device, text, issued_ms, revoked_ms FROM certificates ORDER BY serial"))
    out.push_back({static_cast<std::uint32_t>(row.int64(0)), row.text(1), row.text(2), row.int64(3), row.opt_int64(4)});
  return out;
}

bool KeyStore::revoke_pass(const std::string& pass, const std::string& reason, std::int64_t now_ms) {
  return db().exec("INSERT INTO revoked_passes(pass, reason, revoked_ms) VALUES($1, $2, $3) ON CONFLICT(pass) DO NOTHING",
                   {pass, reason, now_ms}) > 0;
}

std::vector<RevokedPassRow> KeyStore::revoked_passes() {
  std::vector<RevokedPassRow> out;
  for (const auto row : db().query("SELECT pass, reason, revoked_ms FROM revoked_passes ORDER BY revoked_ms, pass"))
    out.push_back({row.text(0), row.text(1), row.int64(2)});
  return out;
}

void KeyStore::add_printed_passes(const std::vector<std::string>& ids, std::int64_t now_ms) {
  static constexpr std::array<std::string_view, 2> columns = {"pass", "printed_ms"};
  std::vector<sql::Param> values;
  values.reserve(ids.size() * columns.size());
  for (const auto& id : ids) values.insert(values.end(), {id, now_ms});
  sql::Transaction tx(db());
  db().insert_new({"printed_passes", columns, {}}, values);
  tx.commit();
}

std::optional<std::int64_t> KeyStore::printed_pass(const std::string& id) {
  const auto rows = db().query("SELECT printed_ms FROM printed_passes WHERE pass = $1", {id});
  return rows.empty() ? std::nullopt : std::optional(rows.one().int64(0));
}

std::int64_t KeyStore::printed_pass_count() { return db().query("SELECT COUNT(*) FROM printed_passes").one().int64(0); }

}  // namespace allervers::server
