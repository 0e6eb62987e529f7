#pragma once
// What every web response and request shares: the security headers every HTML answer carries,
// cookies read and written, and which origin a request comes from (CSRF's second line).
//
// Sections: headers · cookies · origin.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "allervers/server/http_message.hpp"

namespace allervers::web {

// --- headers -----------------------------------------------------------------------------

// No inline script or style, no eval, nothing from elsewhere: scripts and styles are files
// under /static/ on this server (docs/security.md, "The office console").
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

enum class Caching {
  no_store,    // a page behind a login, or one showing personal data: never kept
  revalidate,  // a public page or a static file: kept, checked with its ETag
  immutable,   // a file named by its content (a media file): kept a year, never asked again
};

// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
// Cross-Origin-Opener-Policy, Permissions-Policy, Cache-Control.
void add_security_headers(server::HttpResponse& response, Caching caching);

// An HTML answer with the headers above.
server::HttpResponse html_response(int status, std::string html, Caching caching);
// 303 See Other to `location` (after a POST), with the headers above.
server::HttpResponse redirect(const std::string& location);

// --- cookies -----------------------------------------------------------------------------

// The Cookie header's pairs (the first of a repeated name wins; malformed pairs skipped).
std::map<std::string, std::string> parse_cookies(std::string_view header);

struct CookieOptions {
  std::string path = "/";
  bool secure = false;                  // under TLS, or behind a TLS proxy
  std::optional<long long> max_age_s;   // absent: a session cookie (gone when the browser closes)
};
// A Set-Cookie value: always HttpOnly and SameSite=Strict. `value` must be cookie-safe
// (base64url tokens are); throws std::invalid_argument otherwise.
std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& options);
// A Set-Cookie value that removes the cookie.
std::string clear_cookie(std::string_view name, const CookieOptions& options);

// --- origin ------------------------------------------------------------------------------

// False when the browser says the request comes from another site: Sec-Fetch-Site is
// "cross-site" or "same-site" (another host of the same site), or Origin names another host
// than Host. A request with neither header (an old browser, a command-line client) passes: the
// CSRF token is the first line, this the second.
bool same_origin(const server::HttpRequest& request);

}  // namespace allervers::web
