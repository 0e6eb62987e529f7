// `serve`: the HTTP API, after publishing the catalog it is given (or the demo one).
#include <cstdio>
#include <fstream>
#include <iostream>

#include <optional>

#include "allervers/server/admin.hpp"
#include "allervers/server/backup.hpp"
#include "allervers/platform/install_paths.hpp"
#include "allervers/server/http.hpp"
#include "commands.hpp"
#ifdef ALLERVERS_WITH_WEB
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/web/idea_mail.hpp"
#include "allervers/web/public_site.hpp"
#endif

namespace allervers::server::cli {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::filesystem::path catalog_dir(const std::string& catalog_file) {
  const auto dir = std::filesystem::path(catalog_file).parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
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
  // Mails about ideas (web/idea_mail.hpp): the town's relay; the password is the server secret
  // `smtp_password` (`mail-password`). No host: mails stay queued.
  std::string smtp_host, smtp_user, smtp_from, smtp_tls = "none";
  int smtp_port = 25;
  double mail_interval_s = 60;
};

int serve(Context& context, ServeOptions& o) {
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
  o.listen_options.host = o.listen.substr(0, colon);
  o.listen_options.port = std::stoi(o.listen.substr(colon + 1));
  o.listen_options.log_requests = !o.quiet;
  auto store = context.open();
  if (!o.catalog_file.empty()) {
    if (publish_catalog(*store, read_text(o.catalog_file), context.clock.now(), catalog_dir(o.catalog_file)))
      std::fprintf(stderr, "allervers-server: published the catalog %s\n", o.catalog_file.c_str());
  } else if (store->latest_catalog_id() == 0) {
    const auto demo = platform::assets_dir() / "demo" / "catalog.json";
    publish_catalog(*store, read_text(demo.string()), context.clock.now(), demo.parent_path());
    std::fprintf(stderr, "allervers-server: no catalog was published: published the demo catalog\n");
  }
  const std::string backend = store->backend();
  store.reset();
  // `restore` refuses a SQLite database while this lock is held (backup.hpp).
  std::optional<ServingLock> serving;
  if (context.database.rfind("sqlite:", 0) == 0) serving.emplace(context.database.substr(7));
#ifdef ALLERVERS_WITH_WEB
  const ApiOptions api_options{o.public_url};  // the public pages the devices' QR codes open
#else
  const ApiOptions api_options{};  // no public pages in this build
#endif
  Api api([&] { return context.open(); }, context.clock, api_options);
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
  std::optional<web::MailLoop> mail_loop;
  if (!o.smtp_host.empty()) {
    if (o.public_url.empty()) throw std::runtime_error("--smtp-host needs --public-url: the mails link to the public pages");
    if (o.smtp_from.empty()) throw std::runtime_error("--smtp-host needs --smtp-from, the mails' sender (\"Mairie de … <adresse@…>\")");
    web::SmtpSettings smtp;
    smtp.host = o.smtp_host;
    smtp.port = o.smtp_port;
    smtp.user = o.smtp_user;
    smtp.from = o.smtp_from;
    if (o.smtp_tls == "starttls") smtp.tls = web::SmtpSettings::Tls::starttls;
    else if (o.smtp_tls == "tls") smtp.tls = web::SmtpSettings::Tls::tls;
    else if (o.smtp_tls != "none") throw std::runtime_error("--smtp-tls is none, starttls or tls, not " + o.smtp_tls);
    if (!smtp.user.empty()) {
      auto lease_store = context.open();
      smtp.password = web::smtp_password(*lease_store, context.clock.now());
    }
    mail_loop.emplace(pool, context.clock, web::IdeaMailOptions{console_options.assets_web, o.public_url, o.smtp_from}, std::move(smtp),
                      std::chrono::milliseconds(static_cast<std::int64_t>(o.mail_interval_s * 1000)));
  }
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
  cmd->add_option("--smtp-host", o->smtp_host, "the town's mail relay: residents who consented are mailed when their idea's state changes");
  cmd->add_option("--smtp-port", o->smtp_port, "the relay's port (default 25; 587 with --smtp-tls starttls, 465 with tls)");
  cmd->add_option("--smtp-tls", o->smtp_tls, "none, starttls (required) or tls (SMTPS)");
  cmd->add_option("--smtp-user", o->smtp_user, "the relay's account, when it asks for one (its password: `mail-password`)");
  cmd->add_option("--smtp-from", o->smtp_from, "the mails' sender, e.g. \"Mairie de Saint-Aubin <participation@ville.fr>\"");
  cmd->add_option("--mail-interval", o->mail_interval_s, "seconds between two looks at the mail outbox (default 60)")->check(CLI::PositiveNumber);
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
#ifdef ALLERVERS_WITH_WEB
  // The mail relay's password, read from the standard input (never a command-line argument,
  // which other users of the machine can read).
  auto* password = app.add_subcommand("mail-password", "set the mail relay's password (read from standard input), kept as the server's secrets are");
  on_run(password, context, [](Context& c) {
    std::string line;
    std::getline(std::cin, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    auto store = c.open();
    web::set_smtp_password(*store, line, c.clock.now());
    crypto::wipe(line);
    std::fprintf(stderr, "allervers-server: the mail relay's password is set\n");
    return 0;
  });
#endif
}

}  // namespace allervers::server::cli
