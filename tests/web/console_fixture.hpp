#pragma once
// The console in-process, as the console's tests (accounts, votes, editor, letters and mails) drive
// it: a server over its database with the demo catalog and an enrolled device (test::ApiRig),
// the console on a pool of that database, accounts with the test password; and a browser that
// keeps its session cookie and the page's CSRF token, sends forms as a browser does (same
// origin) and reads the answer back.
#include <map>
#include <string>

#include "allervers/server/accounts.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/sessions.hpp"
#include "server_fixture.hpp"
#include "web_form_support.hpp"

namespace allervers::test {

struct ConsoleRig : ApiRig {
  using ApiRig::ApiRig;
  server::StorePool pool{[this] { return server::open_store(url); }};
  web::Console console{pool, clock, {assets_dir() / "web", "/usr/share/javascript", false, "https://mairie.example"}};

  void account(const std::string& name, server::Role role) {
    const auto link = server::add_user(*store, name, role, {"cli", "local"}, clock.now());
    server::set_password_with_link(*store, link.token, kPassword, {"", "local"}, clock.now());
  }
  // Audit lines whose action starts with `action`.
  std::int64_t audits(const std::string& action) {
    server::AuditFilter f;
    f.action = action;
    return static_cast<std::int64_t>(store->audit_entries(f, 1000).size());
  }
};

struct ConsoleBrowser {
  explicit ConsoleBrowser(ConsoleRig& r) : console(r.console) {}
  explicit ConsoleBrowser(web::Console& c) : console(c) {}
  web::Console& console;
  std::string cookie, csrf;  // the session's, the last page's
  std::string client = "198.51.100.4", language = "fr-FR,fr;q=0.9,en;q=0.5";

  server::HttpResponse request(const std::string& method, const std::string& path, const std::map<std::string, std::string>& query,
                               const std::string& body, const std::string& content_type = "application/x-www-form-urlencoded",
                               const std::map<std::string, std::string>& extra = {}) {
    server::HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.client_address = client;
    r.headers["host"] = "mairie.example";
    r.headers["accept-language"] = language;
    if (!cookie.empty()) r.headers["cookie"] = web::kSessionCookie + std::string("=") + cookie;
    if (method == "POST") {
      r.headers["content-type"] = content_type;
      r.headers["origin"] = "https://mairie.example";
      r.headers["sec-fetch-site"] = "same-origin";
      r.body = body;
    }
    for (const auto& [k, v] : extra) r.headers[k] = v;
    auto response = console.handle(r);
    if (auto it = response.headers.find("Set-Cookie"); it != response.headers.end()) {
      const auto cookies = web::parse_cookies(it->second.substr(0, it->second.find(';')));
      cookie = cookies.empty() ? "" : cookies.begin()->second;
    }
    const auto at = response.body.find("name=\"csrf\" value=\"");
    if (at != std::string::npos) csrf = response.body.substr(at + 19, response.body.find('"', at + 19) - at - 19);
    return response;
  }
  // `target` may hold a query ("/office/vote?id=…&done=saved").
  server::HttpResponse send(const std::string& method, const std::string& target, const std::string& body = "",
                            const std::map<std::string, std::string>& extra = {}) {
    const auto q = target.find('?');
    std::map<std::string, std::string> query;
    for (std::string rest = q == std::string::npos ? "" : target.substr(q + 1); !rest.empty();) {
      const auto amp = rest.find('&');
      const std::string pair = rest.substr(0, amp);
      const auto eq = pair.find('=');
      query[web::percent_decode(pair.substr(0, eq), true)] = eq == std::string::npos ? "" : web::percent_decode(pair.substr(eq + 1), true);
      rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    }
    return request(method, target.substr(0, q), query, body, "application/x-www-form-urlencoded", extra);
  }
  server::HttpResponse get(const std::string& path, const std::map<std::string, std::string>& query = {}) {
    return request("GET", path, query, "");
  }
  server::HttpResponse post(const std::string& path, const std::map<std::string, std::string>& fields) {
    std::string body = "csrf=" + form_escape(csrf);
    for (const auto& [k, v] : fields) body += "&" + form_escape(k) + "=" + form_escape(v);
    return request("POST", path, {}, body);
  }
  server::HttpResponse login(const std::string& name, const std::string& password = kPassword) {
    return request("POST", "/office/login", {}, "name=" + form_escape(name) + "&password=" + form_escape(password));
  }
};

inline bool has(const server::HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

}  // namespace allervers::test
