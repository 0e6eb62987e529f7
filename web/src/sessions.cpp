// Sessions, logins with their throttle, CSRF checks.
#include "allervers/web/sessions.hpp"

#include <algorithm>

#include "allervers/crypto/password.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/web/http_basics.hpp"

namespace allervers::web {
namespace {

// How long `subject` must still wait, 0 when it may try now.
std::int64_t wait_for(server::ServerStore& store, const std::string& subject, std::int64_t now_ms) {
  return store.throttle_wait_ms(server::throttle_purposes::login, subject, kLoginThrottle, now_ms);
}

}  // namespace

const std::string& Sessions::dummy_hash() {
  std::call_once(dummy_once_, [this] { dummy_hash_ = crypto::hash_password(crypto::random_token()); });
  return dummy_hash_;
}

LoginResult Sessions::login(server::ServerStore& store, const std::string& name, const std::string& password,
                            const std::string& client, const core::Instant& now) {
  const server::Actor actor{name, client};
  LoginResult result;
  const std::int64_t wait = std::max(wait_for(store, server::throttle_subjects::account(name), now.utc_ms),
                                     wait_for(store, server::throttle_subjects::address(client), now.utc_ms));
  if (wait > 0) {
    result.outcome = LoginResult::Outcome::throttled;
    result.retry_in_ms = wait;
    server::audit(store, actor, "login.throttled", name, "", now);
    return result;
  }
  const auto user = store.user_by_name(name);
  // The same slow check whether or not the account exists: timing tells nothing.
  const bool ok = crypto::verify_password(user && !user->password_hash.empty() ? user->password_hash : dummy_hash(), password) && user &&
                  user->active() && !user->password_hash.empty();
  auto tx = store.transaction();
  if (!ok) {
    store.throttle_record(server::throttle_purposes::login, server::throttle_subjects::account(name), kLoginThrottle, now.utc_ms);
    store.throttle_record(server::throttle_purposes::login, server::throttle_subjects::address(client), kLoginThrottle, now.utc_ms);
    server::audit(store, actor, "login.failed", name, "", now);
    tx.commit();
    return result;
  }
  // Success forgives the account's failures, not the address's (one known account must not
  // reset the count of an address guessing others).
  store.throttle_clear(server::throttle_purposes::login, server::throttle_subjects::account(name));
  result.cookie_value = crypto::random_token(32);
  store.add_session(server::hash_secret(result.cookie_value), user->id, crypto::random_token(32), client, now.utc_ms);
  server::audit(store, actor, "login", name, "", now);
  tx.commit();
  result.outcome = LoginResult::Outcome::ok;
  return result;
}

std::optional<Session> Sessions::current(server::ServerStore& store, const server::HttpRequest& request, const core::Instant& now) const {
  const auto cookies = parse_cookies(request.header("cookie"));
  const auto it = cookies.find(kSessionCookie);
  if (it == cookies.end() || it->second.empty() || it->second.size() > 100) return std::nullopt;
  const std::string id_hash = server::hash_secret(it->second);
  auto row = store.touch_session(id_hash, now.utc_ms, kSessionIdleMs, kSessionMaxMs, kSessionSeenResolutionMs);
  if (!row) return std::nullopt;
  return Session{id_hash, row->csrf_token, std::move(row->user)};
}

void Sessions::logout(server::ServerStore& store, const Session& session, const std::string& client, const core::Instant& now) const {
  auto tx = store.transaction();
  store.end_session(session.id_hash, now.utc_ms);
  server::audit(store, {session.user.name, client}, "logout", session.user.name, "", now);
  tx.commit();
}

std::string Sessions::session_cookie(const std::string& id) const {
  return set_cookie(kSessionCookie, id, {"/", secure_cookies_, std::nullopt});
}

std::string Sessions::cleared_cookie() const { return clear_cookie(kSessionCookie, {"/", secure_cookies_, std::nullopt}); }

bool check_csrf(const server::HttpRequest& request, const Form* form, const Session& session) {
  if (!same_origin(request)) return false;
  std::string token = request.header("x-csrf-token");
  if (token.empty() && form) token = form->get("csrf");
  return !token.empty() && crypto::equal_secrets(token, session.csrf_token);
}

}  // namespace allervers::web
