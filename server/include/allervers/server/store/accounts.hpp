#pragma once
// The office console's accounts: users (role, argon2id password hash), one-time links to set a
// password, sessions (the cookie's id stored hashed, with its CSRF token). Tables: users,
// password_links, sessions. (Logins are throttled by the throttle area, store/throttle.hpp.)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/roles.hpp"
#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct UserRow {
  std::string id, name;
  Role role = Role::viewer;
  std::string password_hash;  // "" until the person has set one
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> disabled_ms;
  bool active() const { return !disabled_ms; }
};

struct SessionRow {
  std::string id_hash, csrf_token, client;
  UserRow user;
  std::int64_t created_ms = 0, last_seen_ms = 0;
};


class AccountStore : public virtual StoreArea {
 public:
  // --- users
  // False when the name is taken.
  bool add_user(const UserRow& user);
  std::optional<UserRow> user_by_name(const std::string& name);
  std::optional<UserRow> user_by_id(const std::string& id);
  std::vector<UserRow> users();  // by name
  // Disables the account, ends its sessions and its links; false when no such active account.
  // Inside the caller's transaction.
  bool disable_user(const std::string& id, std::int64_t now_ms);
  void set_password_hash(const std::string& user_id, const std::string& hash);

  // --- one-time links to set a password
  void add_password_link(const std::string& token_hash, const std::string& user_id, std::int64_t now_ms, std::int64_t expires_ms);
  // The link's user when the link is known, unused, unexpired and its account active.
  std::optional<UserRow> password_link_user(const std::string& token_hash, std::int64_t now_ms);
  // Uses the link and sets the password in one transaction; false when the link was no longer
  // valid (used meanwhile, expired). The account's other sessions end.
  bool use_password_link(const std::string& token_hash, const std::string& password_hash, std::int64_t now_ms);

  // --- sessions
  void add_session(const std::string& id_hash, const std::string& user_id, const std::string& csrf_token,
                   const std::string& client, std::int64_t now_ms);
  // A session not ended, of an active account, seen within `idle_ms` and begun within
  // `max_ms`; its last_seen is moved to now once it is `resolution_ms` old (or ahead of now),
  // and returned as stored.
  std::optional<SessionRow> touch_session(const std::string& id_hash, std::int64_t now_ms, std::int64_t idle_ms, std::int64_t max_ms,
                                          std::int64_t resolution_ms);
  void end_session(const std::string& id_hash, std::int64_t now_ms);
};

}  // namespace allervers::server
