// The HTTP request path without sockets: the router with the API and the office console
// mounted as `allervers-server serve` mounts them, over a SQLite database with the demo
// catalog, one enrolled device and one admin account. The input is a request in text:
//   METHOD TARGET\n
//   name: value\n …
//   \n
//   body
// where @TOKEN@, @DEVICE@, @COOKIE@ and @CSRF@ stand for the device's token and id, the admin's
// session cookie and its CSRF token, so the fuzzer reaches what is behind them. No answer may be a 500 (a
// handler that threw), and a streamed answer is read to its end.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include "allervers/core/time.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/router.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/sessions.hpp"
#include "harness.hpp"

using namespace allervers;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "correct horse battery staple";

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

struct World {
  fs::path dir;
  std::string url;
  core::ManualClock clock{{1'790'000'000'000, 60}};
  std::unique_ptr<server::Api> api;
  std::unique_ptr<server::StorePool> pool;
  std::unique_ptr<web::Console> console;
  server::Router router;
  std::string token, device, cookie, csrf;
  std::unique_ptr<server::ServerStore> store_;

  World() {
    char tmpl[] = "/dev/shm/allervers-fuzz-http-XXXXXX";
    const char* made = mkdtemp(tmpl);
    if (!made) {
      char fallback[] = "/tmp/allervers-fuzz-http-XXXXXX";
      made = mkdtemp(fallback);
    }
    fuzz::require(made != nullptr, "no temporary folder");
    dir = made;
    url = "sqlite:" + (dir / "server.db").string();
    auto store = server::open_store(url);
    std::ifstream in(ALLERVERS_SOURCE_DIR "/assets/demo/catalog.json", std::ios::binary);
    server::publish_catalog(*store, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), clock.now());
    const auto code = server::create_enrol_code(*store, "Borne", clock.now(), 3600'000);
    const auto link = server::add_user(*store, "Admin", server::Role::admin, {"cli", "local"}, clock.now());
    server::set_password_with_link(*store, link.token, kPassword, {"", "local"}, clock.now());

    api = std::make_unique<server::Api>([this] { return server::open_store(url); }, clock);
    pool = std::make_unique<server::StorePool>([this] { return server::open_store(url); });
    console = std::make_unique<web::Console>(
        *pool, clock, web::ConsoleOptions{ALLERVERS_SOURCE_DIR "/assets/web", "/usr/share/javascript", false, ""});
    server::mount_api(router, *api);
    web::mount_console(router, *console);

    server::HttpRequest enrol;
    enrol.method = "POST";
    enrol.path = sync::protocol::enrol_path;
    enrol.client_address = "192.0.2.1";
    enrol.headers["content-type"] = "application/json";
    core::UuidGenerator ids(1);
    const core::Uuid id = ids.next(clock.now().utc_ms);
    device = id.str();
    enrol.body = sync::protocol::encode_enrol_request({code.code, id, "Borne"});
    const auto enrolled = router.handle(enrol);
    fuzz::require(enrolled.status == 200, "the fuzz world's device could not enrol");
    token = sync::protocol::decode_enrol_response(enrolled.body).token;

    store_ = std::move(store);
    keep_session();
  }

  std::optional<server::SessionRow> session_of(const std::string& cookie_value) {
    return store_->touch_session(server::hash_secret(cookie_value), clock.now().utc_ms, 1LL << 40, 1LL << 40, web::kSessionSeenResolutionMs);
  }

  // Logs the admin in again when the session has ended (a fuzzed logout).
  void keep_session() {
    if (!cookie.empty() && session_of(cookie)) return;
    auto user = store_->user_by_name("Admin");
    if (!user || !user->active()) return;  // disabled by an input: the rest of the run is anonymous
    server::HttpRequest login;
    login.method = "POST";
    login.path = "/office/login";
    login.client_address = "192.0.2.2";
    login.headers["host"] = "localhost";
    login.headers["content-type"] = "application/x-www-form-urlencoded";
    login.headers["origin"] = "http://localhost";
    login.headers["sec-fetch-site"] = "same-origin";
    login.body = std::string("name=Admin&password=") + replace_all(kPassword, " ", "+");
    const auto answer = router.handle(login);
    const auto set_cookie = answer.headers.count("Set-Cookie") ? answer.headers.at("Set-Cookie") : std::string();
    const auto eq = set_cookie.find('=');
    if (answer.status != 303 || eq == std::string::npos) return;  // throttled by inputs: later
    cookie = set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
    const auto session = session_of(cookie);
    fuzz::require(session.has_value(), "the fuzz world's session is not in the store");
    csrf = session->csrf_token;
  }
  ~World() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

World& world() {
  static World w;
  return w;
}

}  // namespace

ALLERVERS_FUZZ_TARGET(http) {
  auto& w = world();
  std::string text(fuzz::text_of(data, size));
  text = replace_all(std::move(text), "@TOKEN@", w.token);
  text = replace_all(std::move(text), "@COOKIE@", w.cookie);
  text = replace_all(std::move(text), "@CSRF@", w.csrf);
  text = replace_all(std::move(text), "@DEVICE@", w.device);

  server::HttpRequest request;
  request.client_address = "198.51.100.4";
  std::string_view rest(text);
  auto next_line = [&rest]() {
    const auto eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  const auto first = next_line();
  const auto space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  std::string target = space == std::string_view::npos ? std::string("/") : std::string(first.substr(space + 1));
  const auto q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) {
    try {
      const auto form = web::parse_urlencoded(target.substr(q + 1));
      for (const auto& key : {"token", "expired", "actor", "action", "logged_out", "password_set", "code", "since", "kind", "device",
                              "consultation", "format", "page", "q"})
        if (form.has(key)) request.query[key] = form.get(key);
    } catch (const web::FormError&) {
    }
  }
  while (!rest.empty()) {
    const auto line = next_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers[name] = std::string(value);
  }
  request.body = std::string(rest);

  const auto response = w.router.handle(request);
  if (response.status == 500) std::fprintf(stderr, "500: %s\n", response.body.c_str());
  fuzz::require(response.status >= 100 && response.status <= 599, "an answer without a valid status");
  fuzz::require(response.status != 500, "a handler failed (500)");
  if (response.stream) {
    std::string part;
    std::size_t total = 0;
    for (int i = 0; i < 100000; ++i) {
      part.clear();
      const bool more = response.stream(part, 64 * 1024);
      total += part.size();
      if (!more) break;
    }
    (void)total;
  }
  w.keep_session();  // an input that logged out (or disabled the admin) does not end the run's reach
  return 0;
}
