#pragma once
// The office console at /office/: login, one-time set-password links, logout, home, accounts,
// the audit log. Each page names the Permission it needs (server/roles.hpp); the navigation
// shows what the account's role reaches. Pages are French first (assets/web/i18n/fr.json),
// English when the browser prefers it.
//
// How a page is added: docs/web.md ("Adding a console page").
#include <filesystem>
#include <memory>
#include <string>

#include "allervers/core/time.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/router.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/static_files.hpp"

namespace allervers::web {

struct ConsoleOptions {
  std::filesystem::path assets_web;                      // templates/, i18n/, static/
  std::filesystem::path vendor_dir = "/usr/share/javascript";  // Debian's libjs-* packages
  bool secure_cookies = false;  // served over TLS, or behind a proxy that terminates TLS
  std::string public_url;       // where browsers reach the server (links shown); "": the request's Host
  std::string time_zone = "Europe/Paris";              // the town's: every time the console shows
  std::filesystem::path zoneinfo_dir = "/usr/share/zoneinfo";  // the tz database (tzdata)
};

class Console {
 public:
  // Loads the templates and translations; throws when one is refused or missing.
  Console(server::StorePool& stores, const core::Clock& clock, ConsoleOptions options);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Requests under /office/.
  server::HttpResponse handle(const server::HttpRequest& request);
  const StaticFiles& static_files() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The console at /office/ and its files at /static/, beside whatever `router` holds (the API).
void mount_console(server::Router& router, Console& console);

}  // namespace allervers::web
