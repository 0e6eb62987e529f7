#pragma once
// Who is asking: console sessions and logins.
//
// A session id is 32 random bytes in an HttpOnly, SameSite=Strict cookie (Secure under TLS or
// behind a TLS proxy); the database keeps only its keyed hash, so a copy of the database opens
// no session. A session ends after `idle_ms` without a request, after `max_ms` whatever
// happens, at logout, when its account is disabled or its password set anew.
//
// Every request that changes something carries the session's CSRF token (a form's hidden
// `csrf` field, or the X-CSRF-Token header for fetch()) and must not come from another site
// (Origin, Sec-Fetch-Site): check_csrf.
//
// Logins are throttled per account and per client address by the server's throttle area
// (store/throttle.hpp, in the database: several servers behind a load balancer agree): after
// kFreeLoginFailures failures in a row, each attempt waits a delay that doubles with each
// further failure, up to kMaxLoginDelayMs.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "allervers/core/time.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/store.hpp"
#include "allervers/web/forms.hpp"

namespace allervers::web {

inline constexpr const char* kSessionCookie = "allervers_session";
// Long enough for a meeting's notes between two clicks, short enough for a shared office PC.
inline constexpr std::int64_t kSessionIdleMs = 30LL * 60 * 1000;
// A working day: a session never outlives it.
inline constexpr std::int64_t kSessionMaxMs = 12LL * 3600 * 1000;
// How stale a session's "last seen" may be in the database: a request writes it only once it
// is this old, so the console's pages and their live polls (every 3 s) read without committing.
// A session may then end idle up to this much before kSessionIdleMs after its last request.
inline constexpr std::int64_t kSessionSeenResolutionMs = 30LL * 1000;
// A person mistypes; a robot does not stop at three.
inline constexpr std::int64_t kFreeLoginFailures = 3;
inline constexpr std::int64_t kFirstLoginDelayMs = 1000;
inline constexpr std::int64_t kMaxLoginDelayMs = 15LL * 60 * 1000;
// A failure this long after the previous one starts the count again: an office behind one
// address does not pile up a week of typos.
inline constexpr std::int64_t kLoginFailureMemoryMs = 3600LL * 1000;

// The console's login throttle.
inline constexpr server::ThrottlePolicy kLoginThrottle{kFreeLoginFailures, kFirstLoginDelayMs, kMaxLoginDelayMs, kLoginFailureMemoryMs};
// The wait imposed after `failures` failures in a row (0 while failures <= kFreeLoginFailures).
inline std::int64_t login_delay_ms(std::int64_t failures) { return kLoginThrottle.delay_ms(failures); }

struct Session {
  std::string id_hash, csrf_token;
  server::UserRow user;
};

struct LoginResult {
  enum class Outcome { ok, wrong, throttled } outcome = Outcome::wrong;
  std::string cookie_value;     // ok: the session id for the cookie
  std::int64_t retry_in_ms = 0; // throttled: how long to wait
};

class Sessions {
 public:
  explicit Sessions(bool secure_cookies) : secure_cookies_(secure_cookies) {}

  // Checks the name and password unless a throttle holds; audits the outcome.
  LoginResult login(server::ServerStore& store, const std::string& name, const std::string& password, const std::string& client,
                    const core::Instant& now);
  // The request's session, touched; nothing when there is none or it expired.
  std::optional<Session> current(server::ServerStore& store, const server::HttpRequest& request, const core::Instant& now) const;
  void logout(server::ServerStore& store, const Session& session, const std::string& client, const core::Instant& now) const;

  // Set-Cookie values.
  std::string session_cookie(const std::string& id) const;
  std::string cleared_cookie() const;

 private:
  const std::string& dummy_hash();  // verified against when the account does not exist
  bool secure_cookies_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// True when `request` may change something for `session`: same origin, and its CSRF token
// (`form`'s "csrf" field, or the X-CSRF-Token header) equals the session's.
bool check_csrf(const server::HttpRequest& request, const Form* form, const Session& session);

}  // namespace allervers::web
