// The office's tokens.
#include "allervers/server/store/office.hpp"

namespace allervers::server {

void OfficeStore::add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms) {
  db().exec("INSERT INTO office_tokens(token_hash, name, created_ms) VALUES($1, $2, $3)", {token_hash, name, now_ms});
}

std::optional<std::string> OfficeStore::office_by_token(const std::string& token_hash) {
  const auto rows = db().query("SELECT name FROM office_tokens WHERE token_hash = $1", {token_hash});
  return rows.empty() ? std::nullopt : std::optional(rows.one().text(0));
}

}  // namespace allervers::server
