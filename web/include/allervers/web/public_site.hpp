#pragma once
// The residents' public pages at / (issue 13; docs/web.md, "The public pages"): the open
// consultations, answering one a question per page, proposing an idea with a photo, the open
// data. No account and no JavaScript needed: server-rendered forms whose state travels in a
// signed token (public_tokens.hpp). What they take in is stored as captures of channel `web`
// from the public pseudo-device (kWebDevice), through the devices' very ingest.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "allervers/core/time.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/router.hpp"
#include "allervers/server/store_pool.hpp"

namespace allervers::web {

// The device id of every capture made on the public pages: a server-owned pseudo-device that
// no token names (it never syncs), with its own sequence (docs/decisions.md).
inline constexpr const char* kWebDevice = "00000000-0000-7000-8000-00000000a11e";

// The limits against ballot-stuffing without accounts, named once (docs/security.md).
namespace public_limits {
inline constexpr std::int64_t form_lifetime_ms = 3LL * 3600 * 1000;  // a survey started, then lunch
inline constexpr std::int64_t window_ms = 3600LL * 1000;             // submissions counted per hour
inline constexpr std::int64_t per_address = 30;                      // a household, a school's wifi
inline constexpr std::int64_t per_address_assembly = 400;            // an assembly's phones behind one wifi
inline constexpr std::int64_t burst_window_ms = 10LL * 60 * 1000;    // what counts as a burst
inline constexpr std::int64_t burst_count = 5;                       // flagged from the 6th in 10 minutes
inline constexpr std::int64_t burst_count_assembly = 120;
inline constexpr std::int64_t assembly_link_lifetime_ms = 8LL * 3600 * 1000;  // the evening of the assembly
inline constexpr std::size_t max_body = 64 * 1024;                            // every form but the idea's
inline constexpr std::size_t max_idea_body = 10 * 1024 * 1024 + 256 * 1024;   // a 10 MB photo and the fields
// Open data: a cell (consultation × quartier × channel × day) under this count is not published.
inline constexpr std::int64_t open_data_min_cell = 5;
}  // namespace public_limits

struct PublicSiteOptions {
  std::filesystem::path assets_web;  // templates/, i18n/
  bool secure_cookies = false;
  std::string public_url;            // where residents reach the server ("": the request's Host)
  std::string town_colour = "#1d4f91";  // the town's colour (serve --town-colour), checked #rrggbb
};

class PublicSite {
 public:
  PublicSite(server::StorePool& stores, const core::Clock& clock, PublicSiteOptions options);
  ~PublicSite();
  PublicSite(const PublicSite&) = delete;
  PublicSite& operator=(const PublicSite&) = delete;

  server::HttpResponse handle(const server::HttpRequest& request);
  // The 413 page for a body over the limit (before it is read).
  server::HttpResponse too_large(const server::HttpRequest& head);
  // The body limit judged from a request's head.
  static std::size_t max_body(const server::HttpRequest& head);

  // The address an assembly's QR code carries: a signed token naming the assembly, valid for
  // `lifetime_ms` from `now`. Throws std::invalid_argument for an unknown assembly.
  std::string assembly_link(server::ServerStore& store, const std::string& base_url, const std::string& assembly, core::Instant now,
                            std::int64_t lifetime_ms = public_limits::assembly_link_lifetime_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The public pages at / (every path no other mount takes), with their body limits and 413 page.
void mount_public_site(server::Router& router, PublicSite& site);

}  // namespace allervers::web
