// The console's accounts: users, password links, sessions, login throttling.
#include "allervers/server/store/accounts.hpp"

namespace allervers::server {
namespace {

constexpr const char* kUserColumns = "u.id, u.name, u.role, u.password_hash, u.created_ms, u.disabled_ms";

UserRow user_from(const sql::Row& row, int first = 0) {
  UserRow u;
  u.id = row.text(first);
  u.name = row.text(first + 1);
  // An unknown role in the database (a newer server's) gets the least: viewer.
  u.role = role_named(row.text(first + 2)).value_or(Role::viewer);
  u.password_hash = row.text(first + 3);
  u.created_ms = row.int64(first + 4);
  u.disabled_ms = row.opt_int64(first + 5);
  return u;
}

}  // namespace

bool AccountStore::add_user(const UserRow& user) {
  return db().exec("INSERT INTO users(id, name, role, password_hash, created_ms) VALUES($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                   {user.id, user.name, to_string(user.role), user.password_hash, user.created_ms}) > 0;
}

std::optional<UserRow> AccountStore::user_by_name(const std::string& name) {
  const auto rows = db().query(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.name = $1", {name});
  return rows.empty() ? std::nullopt : std::optional(user_from(rows[0]));
}

std::optional<UserRow> AccountStore::user_by_id(const std::string& id) {
  const auto rows = db().query(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = $1", {id});
  return rows.empty() ? std::nullopt : std::optional(user_from(rows[0]));
}

std::vector<UserRow> AccountStore::users() {
  std::vector<UserRow> out;
  for (const auto row : db().query(std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.name")) out.push_back(user_from(row));
  return out;
}

bool AccountStore::disable_user(const std::string& id, std::int64_t now_ms) {
  const bool changed = db().exec("UPDATE users SET disabled_ms = $2 WHERE id = $1 AND disabled_ms IS NULL", {id, now_ms}) > 0;
  db().exec("UPDATE sessions SET ended_ms = $2 WHERE user_id = $1 AND ended_ms IS NULL", {id, now_ms});
  db().exec("UPDATE password_links SET used_ms = $2 WHERE user_id = $1 AND used_ms IS NULL", {id, now_ms});
  return changed;
}

void AccountStore::set_password_hash(const std::string& user_id, const std::string& hash) {
  db().exec("UPDATE users SET password_hash = $2 WHERE id = $1", {user_id, hash});
}

void AccountStore::add_password_link(const std::string& token_hash, const std::string& user_id, std::int64_t now_ms,
                                     std::int64_t expires_ms) {
  db().exec("INSERT INTO password_links(token_hash, user_id, created_ms, expires_ms) VALUES($1, $2, $3, $4)",
            {token_hash, user_id, now_ms, expires_ms});
}

std::optional<UserRow> AccountStore::password_link_user(const std::string& token_hash, std::int64_t now_ms) {
  const auto rows = db().query(std::string("SELECT ") + kUserColumns +
                                   " FROM password_links l JOIN users u ON u.id = l.user_id"
                                   " WHERE l.token_hash = $1 AND l.used_ms IS NULL AND l.expires_ms > $2 AND u.disabled_ms IS NULL",
                               {token_hash, now_ms});
  return rows.empty() ? std::nullopt : std::optional(user_from(rows[0]));
}

bool AccountStore::use_password_link(const std::string& token_hash, const std::string& password_hash, std::int64_t now_ms) {
  // Claimed in one UPDATE … RETURNING: two submissions of the same link cannot both win.
  const auto claimed = db().query(
      "UPDATE password_links SET used_ms = $2 WHERE token_hash = $1 AND used_ms IS NULL AND expires_ms > $2 RETURNING user_id",
      {token_hash, now_ms});
  if (claimed.empty()) return false;
  const std::string user = claimed[0].text(0);
  if (db().exec("UPDATE users SET password_hash = $2 WHERE id = $1 AND disabled_ms IS NULL", {user, password_hash}) == 0) return false;
  db().exec("UPDATE sessions SET ended_ms = $2 WHERE user_id = $1 AND ended_ms IS NULL", {user, now_ms});
  return true;
}

void AccountStore::add_session(const std::string& id_hash, const std::string& user_id, const std::string& csrf_token,
                               const std::string& client, std::int64_t now_ms) {
  db().exec("INSERT INTO sessions(id_hash, user_id, csrf_token, created_ms, last_seen_ms, client) VALUES($1, $2, $3, $4, $4, $5)",
            {id_hash, user_id, csrf_token, now_ms, client});
}

std::optional<SessionRow> AccountStore::touch_session(const std::string& id_hash, std::int64_t now_ms, std::int64_t idle_ms,
                                                      std::int64_t max_ms, std::int64_t resolution_ms) {
  // Read first: most requests find last_seen recent and write nothing (a write here would be a
  // commit and an fsync per console request, every live page's poll included).
  const auto rows = db().query(
      "SELECT user_id, csrf_token, client, created_ms, last_seen_ms FROM sessions WHERE id_hash = $1 AND ended_ms IS NULL "
      "AND last_seen_ms > $2 AND created_ms > $3",
      {id_hash, now_ms - idle_ms, now_ms - max_ms});
  if (rows.empty()) return std::nullopt;
  std::int64_t seen = rows[0].int64(4);
  if (now_ms < seen || now_ms - seen >= resolution_ms) {
    // Ended or expired between the read and now: no session.
    if (db().exec("UPDATE sessions SET last_seen_ms = $2 WHERE id_hash = $1 AND ended_ms IS NULL AND last_seen_ms > $3 AND created_ms > $4",
                  {id_hash, now_ms, now_ms - idle_ms, now_ms - max_ms}) == 0)
      return std::nullopt;
    seen = now_ms;
  }
  auto user = user_by_id(rows[0].text(0));
  if (!user || !user->active()) return std::nullopt;
  return SessionRow{id_hash, rows[0].text(1), rows[0].text(2), std::move(*user), rows[0].int64(3), seen};
}

void AccountStore::end_session(const std::string& id_hash, std::int64_t now_ms) {
  db().exec("UPDATE sessions SET ended_ms = $2 WHERE id_hash = $1 AND ended_ms IS NULL", {id_hash, now_ms});
}

}  // namespace allervers::server
