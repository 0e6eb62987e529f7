// The console's accounts as operations, each audited in the same call.
#include "allervers/server/accounts.hpp"

#include "allervers/core/text.hpp"
#include "allervers/crypto/password.hpp"
#include "allervers/server/secrets.hpp"

namespace allervers::server {
namespace {

// User ids: random, never shown, never reused (names may be, once the account is disabled … not
// here: names are unique for ever, so the audit log's "actor" always means one account).
std::string new_user_id() { return "u-" + crypto::random_token(12); }

void check_name(const std::string& name) {
  if (core::is_blank(name) || core::find_text_problem(name, core::Lines::single) || core::code_point_count(name) > kMaxUserNameChars)
    throw AccountError("invalid_name", "a user name is 1 to " + std::to_string(kMaxUserNameChars) +
                                           " characters on one line, not only spaces");
}

PasswordLink make_link(ServerStore& store, const std::string& user_id, const core::Instant& now) {
  PasswordLink link{crypto::random_token(32), {now.utc_ms + kPasswordLinkLifetimeMs, now.offset_minutes}};
  store.add_password_link(hash_secret(link.token), user_id, now.utc_ms, link.expires.utc_ms);
  return link;
}

}  // namespace

std::string password_link_url(std::string_view base_url, const std::string& token) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/office/set-password?token=" + token;  // the token is base64url: nothing to escape
}

void audit(ServerStore& store, const Actor& actor, std::string action, std::string target, std::string detail,
           const core::Instant& now) {
  store.audit({0, now.utc_ms, actor.name, std::move(action), std::move(target), std::move(detail), actor.client});
}

PasswordLink add_user(ServerStore& store, const std::string& name, Role role, const Actor& actor, const core::Instant& now) {
  check_name(name);
  auto tx = store.transaction();
  UserRow user;
  user.id = new_user_id();
  user.name = name;
  user.role = role;
  user.created_ms = now.utc_ms;
  if (!store.add_user(user)) throw AccountError("name_taken", "there is already an account named \"" + name + "\"");
  auto link = make_link(store, user.id, now);
  audit(store, actor, "user.add", name, std::string("role=") + to_string(role), now);
  tx.commit();
  return link;
}

PasswordLink new_password_link(ServerStore& store, const std::string& name, const Actor& actor, const core::Instant& now) {
  const auto user = store.user_by_name(name);
  if (!user || !user->active()) throw AccountError("no_such_user", "no active account named \"" + name + "\"");
  auto tx = store.transaction();
  auto link = make_link(store, user->id, now);
  audit(store, actor, "user.password_link", name, "", now);
  tx.commit();
  return link;
}

void disable_user(ServerStore& store, const std::string& name, const Actor& actor, const core::Instant& now) {
  const auto user = store.user_by_name(name);
  auto tx = store.transaction();
  if (!user || !user->active() || !store.disable_user(user->id, now.utc_ms))
    throw AccountError("no_such_user", "no active account named \"" + name + "\" (see list-users)");
  audit(store, actor, "user.disable", name, "", now);
  tx.commit();
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return "a password is at most " + std::to_string(kMaxPasswordBytes) + " bytes";
  if (core::find_text_problem(password, core::Lines::single)) return "a password is text on one line";
  if (core::code_point_count(password) < kMinPasswordChars)
    return "a password is at least " + std::to_string(kMinPasswordChars) + " characters";
  return std::nullopt;
}

std::string set_password_with_link(ServerStore& store, const std::string& token, const std::string& password, const Actor& actor,
                                   const core::Instant& now) {
  if (auto problem = password_problem(password)) throw AccountError("weak_password", *problem);
  const std::string token_hash = hash_secret(token);
  const auto user = store.password_link_user(token_hash, now.utc_ms);
  if (!user) throw AccountError("link_invalid", "this link is unknown, already used or expired");
  const std::string hash = crypto::hash_password(password);  // slow: outside the transaction
  auto tx = store.transaction();
  if (!store.use_password_link(token_hash, hash, now.utc_ms))
    throw AccountError("link_invalid", "this link is unknown, already used or expired");
  audit(store, {user->name, actor.client}, "user.set_password", user->name, "", now);
  tx.commit();
  return user->name;
}

}  // namespace allervers::server
