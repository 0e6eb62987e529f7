// `serve`: the HTTP API, after publishing the catalog it is given (or the demo one).
#include <cstdio>
#include <fstream>

#include <optional>

#include "allervers/server/admin.hpp"
#include "allervers/server/backup.hpp"
#include "allervers/platform/install_paths.hpp"
#include "allervers/server/http.hpp"
#include "commands.hpp"
#ifdef ALLERVERS_WITH_WEB
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/public_site.hpp"
#endif

namespace allervers::server::cli {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

namespace {
struct ServeOptions {
  std::string listen = "127.0.0.1:8080", catalog_file, port_file;
  ListenOptions listen_options;
  bool quiet = false;
  // The office console (web/): its assets, Debian's JavaScript packages, cookies' Secure flag.
  std::string web_assets, vendor_dir = "/usr/share/javascript", public_url, time_zone = "Europe/Paris";
  bool behind_tls_proxy = false;
  std::string town_colour = "#1d4f91";  // the public pages' colour (contrast checked at start)
};

int serve(Context& context, ServeOptions& o) {
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
  o.listen_options.host = o.listen.substr(0, colon);
  o.listen_options.port = std::stoi(o.listen.substr(colon + 1));
  o.listen_options.log_requests = !o.quiet;
  auto store = context.open();
  if (!o.catalog_file.empty()) {
    if (publish_catalog(*store, read_text(o.catalog_file), context.clock.now()))
      std::fprintf(stderr, "allervers-server: published the catalog %s\n", o.catalog_file.c_str());
  } else if (store->latest_catalog_id() == 0) {
    publish_catalog(*store, read_text((platform::assets_dir() / "demo" / "catalog.json").string()), context.clock.now());
    std::fprintf(stderr, "allervers-server: no catalog was published: published the demo catalog\n");
  }
  const std::string backend = store->backend();
  store.reset();
  // `restore` refuses a SQLite database while this lock is held (backup.hpp).
  std::optional<ServingLock> serving;
  if (context.database.rfind("sqlite:", 0) == 0) serving.emplace(context.database.substr(7));
  Api api([&] { return context.open(); }, context.clock);
  Router router;
  mount_api(router, api);
#ifdef ALLERVERS_WITH_WEB
  StorePool pool([&] { return context.open(); });
  web::ConsoleOptions console_options;
  // Empty: the console's files shipped beside the program (platform/install_paths.hpp).
  console_options.assets_web = o.web_assets.empty() ? (platform::assets_dir() / "web").string() : o.web_assets;
  console_options.vendor_dir = o.vendor_dir;
  console_options.secure_cookies = o.behind_tls_proxy || !o.listen_options.tls_cert.empty();
  console_options.public_url = o.public_url;  // empty: the Host the browser used
  console_options.time_zone = o.time_zone;
  web::Console console(pool, context.clock, console_options);
  web::mount_console(router, console);
  // The residents' public pages at / (issue 13): every path the API and the console leave.
  web::PublicSiteOptions public_options;
  public_options.assets_web = console_options.assets_web;
  public_options.secure_cookies = console_options.secure_cookies;
  public_options.public_url = o.public_url;
  public_options.town_colour = o.town_colour;
  web::PublicSite public_site(pool, context.clock, public_options);
  web::mount_public_site(router, public_site);
#endif
  return serve_http(router, o.listen_options, [&](int port) {
    if (!o.port_file.empty()) {
      const std::string tmp = o.port_file + ".tmp";
      std::ofstream(tmp) << port << "\n";
      std::rename(tmp.c_str(), o.port_file.c_str());
    }
    std::fprintf(stderr, "allervers-server: listening on %s://%s:%d (database: %s)\n",
                 o.listen_options.tls_cert.empty() ? "http" : "https", o.listen_options.host.c_str(), port, backend.c_str());
  });
}
}  // namespace

void add_serve(CLI::App& app, Context& context) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "serve the HTTP API");
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (PORT 0: any free port)");
  cmd->add_option("--catalog", o->catalog_file,
                  "publish this catalog JSON at start when it differs (default: the demo one, when none is published)");
  cmd->add_option("--port-file", o->port_file, "write the port listened on into this file once ready");
  cmd->add_option("--threads", o->listen_options.threads, "requests served at once");
  cmd->add_flag("--quiet", o->quiet, "do not log each request");
  cmd->add_option("--web-assets", o->web_assets, "the console's templates, translations and static files (default: web/ in the shipped data, see ALLERVERS_ASSETS)");
  cmd->add_option("--vendor-dir", o->vendor_dir, "Debian's JavaScript packages: bootstrap5/, chart.js/ (libjs-bootstrap5, libjs-chart.js)");
  cmd->add_option("--public-url", o->public_url, "where browsers reach the server, for the links the console shows");
  cmd->add_option("--time-zone", o->time_zone, "the town's time zone, for every time the console shows (default Europe/Paris)");
  cmd->add_option("--town-colour", o->town_colour, "the town's colour on the public pages, #rrggbb (white text must read on it)");
  cmd->add_flag("--behind-tls-proxy", o->behind_tls_proxy, "a proxy in front terminates TLS: the console's cookies are Secure");
  cmd->add_option("--trusted-proxy", o->listen_options.trusted_proxies,
                  "a reverse proxy's address (repeatable; nginx on this machine: 127.0.0.1): requests from it take the client "
                  "address from X-Forwarded-For, for per-address limits and logs");
  cmd->add_option("--tls-cert", o->listen_options.tls_cert, "serve HTTPS with this certificate chain (PEM)");
  cmd->add_option("--tls-key", o->listen_options.tls_key, "the certificate's private key (PEM)");
  cmd->add_option("--max-connections", o->listen_options.max_connections, "connections open at once")->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections-per-address", o->listen_options.max_connections_per_address,
                  "connections open at once from one client address")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--idle-timeout", o->listen_options.idle_timeout, "seconds without traffic after which a connection is closed")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--head-timeout", o->listen_options.head_timeout, "seconds a request's line and headers may take to arrive (slow clients)")
      ->check(CLI::PositiveNumber);
  on_run(cmd, context, [o](Context& c) { return serve(c, *o); });
}

}  // namespace allervers::server::cli
