// `serve`: the HTTP API, after publishing the catalog it is given (or the demo one).
#include <cstdio>
#include <fstream>

#include "allervers/server/admin.hpp"
#include "allervers/server/http.hpp"
#include "commands.hpp"

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
    publish_catalog(*store, read_text(std::string(ALLERVERS_ASSETS_DIR) + "/demo/catalog.json"), context.clock.now());
    std::fprintf(stderr, "allervers-server: no catalog was published: published the demo catalog\n");
  }
  const std::string backend = store->backend();
  store.reset();
  Api api([&] { return context.open(); }, context.clock);
  return serve_http(api, o.listen_options, [&](int port) {
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
