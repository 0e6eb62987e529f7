// Security headers, cookies, the request's origin.
#include "allervers/web/http_basics.hpp"

#include <stdexcept>

#include "allervers/core/text.hpp"

namespace allervers::web {
namespace {

bool cookie_safe(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

std::string attributes(const CookieOptions& o) {
  std::string out = "; Path=" + o.path + "; HttpOnly; SameSite=Strict";
  if (o.secure) out += "; Secure";
  if (o.max_age_s) out += "; Max-Age=" + std::to_string(*o.max_age_s);
  return out;
}

}  // namespace

void add_security_headers(server::HttpResponse& response, Caching caching) {
  auto& h = response.headers;
  h["Content-Security-Policy"] = kContentSecurityPolicy;
  h["X-Content-Type-Options"] = "nosniff";
  h["Referrer-Policy"] = "same-origin";
  h["X-Frame-Options"] = "DENY";
  h["Cross-Origin-Opener-Policy"] = "same-origin";
  h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
  switch (caching) {
    case Caching::no_store: h["Cache-Control"] = "no-store"; break;
    case Caching::revalidate: h["Cache-Control"] = "no-cache"; break;
    case Caching::immutable: h["Cache-Control"] = "public, max-age=31536000, immutable"; break;
  }
}

server::HttpResponse html_response(int status, std::string html, Caching caching) {
  server::HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  add_security_headers(r, caching);
  return r;
}

server::HttpResponse redirect(const std::string& location) {
  server::HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers["Location"] = location;
  add_security_headers(r, Caching::no_store);
  return r;
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view pair = core::trim_ows(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = core::trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace(std::string(core::trim_ows(pair.substr(0, eq))), std::string(value));
  }
  return out;
}

std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& options) {
  if (name.empty() || !cookie_safe(name) || name.find('=') != std::string_view::npos || !cookie_safe(value))
    throw std::invalid_argument("set_cookie: a cookie name or value with characters a cookie cannot hold");
  return std::string(name) + "=" + std::string(value) + attributes(options);
}

std::string clear_cookie(std::string_view name, const CookieOptions& options) {
  CookieOptions o = options;
  o.max_age_s = 0;
  return std::string(name) + "=" + attributes(o);
}

bool same_origin(const server::HttpRequest& request) {
  const std::string site = request.header("sec-fetch-site");
  if (site == "cross-site" || site == "same-site") return false;
  const std::string origin = request.header("origin");
  if (origin.empty()) return true;
  if (origin == "null") return false;  // a sandboxed frame, a redirect from elsewhere
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return false;
  return origin.substr(scheme_end + 3) == request.header("host");
}

}  // namespace allervers::web
