#pragma once
// The office console's accounts as operations, shared by the commands (add-user, list-users,
// disable-user) and the console's pages: each change is written to the audit log in the same
// call. Passwords are hashed with argon2id (crypto/password.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "allervers/core/time.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

// How long a set-password link stays valid: long enough for a mail read the next morning,
// short enough that a link forgotten in an inbox soon stops working.
inline constexpr std::int64_t kPasswordLinkLifetimeMs = 72LL * 3600 * 1000;
// A password is at least this long (ANSSI advises length over composition rules) and at most
// this many bytes (argon2 hashes any length; the form's bound stops absurd bodies).
inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;
inline constexpr std::size_t kMaxUserNameChars = 80;

// Who did something, for the audit log.
struct Actor {
  std::string name;    // the account's name; "cli" for a command
  std::string client;  // the client's address; "local" for a command
};

class AccountError : public std::runtime_error {
 public:
  // `code`: "invalid_name", "name_taken", "no_such_user", "weak_password", "link_invalid".
  AccountError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct PasswordLink {
  std::string token;  // goes into the link; only its hash is kept
  core::Instant expires;
};
// "BASE/office/set-password?token=TOKEN" (BASE without a trailing slash).
std::string password_link_url(std::string_view base_url, const std::string& token);

// A new account without a password, and a one-time link to set one. Throws AccountError
// (invalid_name, name_taken).
PasswordLink add_user(ServerStore& store, const std::string& name, Role role, const Actor& actor, const core::Instant& now);
// A new one-time link for an existing, active account (a forgotten password).
PasswordLink new_password_link(ServerStore& store, const std::string& name, const Actor& actor, const core::Instant& now);
// Disables by name; throws AccountError(no_such_user) when there is no active account so named.
void disable_user(ServerStore& store, const std::string& name, const Actor& actor, const core::Instant& now);
// Sets the password through a link. Throws AccountError (weak_password, link_invalid).
std::string set_password_with_link(ServerStore& store, const std::string& token, const std::string& password, const Actor& actor,
                                   const core::Instant& now);  // returns the account's name
// Empty when acceptable, otherwise the rule broken ("weak_password" message).
std::optional<std::string> password_problem(std::string_view password);

// One line of the audit log.
void audit(ServerStore& store, const Actor& actor, std::string action, std::string target, std::string detail,
           const core::Instant& now);

}  // namespace allervers::server
