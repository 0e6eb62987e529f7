// The office's machine tokens.
#include "allervers/server/store/office.hpp"

namespace allervers::server {
namespace {
OfficeToken token_from(const sql::Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.int64(3), row.opt_int64(4)};
}
}  // namespace

void OfficeStore::add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms,
                                   const std::string& scope) {
  db().exec("INSERT INTO office_tokens(token_hash, name, created_ms, scope) VALUES($1, $2, $3, $4)", {token_hash, name, now_ms, scope});
}

std::optional<OfficeToken> OfficeStore::office_by_token(const std::string& token_hash) {
  const auto rows = db().query(
      "SELECT token_hash, name, scope, created_ms, revoked_ms FROM office_tokens WHERE token_hash = $1 AND revoked_ms IS NULL",
      {token_hash});
  return rows.empty() ? std::nullopt : std::optional(token_from(rows[0]));
}

std::vector<OfficeToken> OfficeStore::office_tokens() {
  std::vector<OfficeToken> out;
  for (const auto row : db().query("SELECT token_hash, name, scope, created_ms, revoked_ms FROM office_tokens ORDER BY created_ms DESC"))
    out.push_back(token_from(row));
  return out;
}

bool OfficeStore::revoke_office_token(const std::string& token_hash, std::int64_t now_ms) {
  return db().exec("UPDATE office_tokens SET revoked_ms = $2 WHERE token_hash = $1 AND revoked_ms IS NULL", {token_hash, now_ms}) > 0;
}

}  // namespace allervers::server
