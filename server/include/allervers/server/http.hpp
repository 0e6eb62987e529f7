#pragma once
// The HTTP engine: libmicrohttpd (epoll, non-blocking TLS through GnuTLS) moving bytes on a
// few I/O threads, handlers (a Router's) run on a pool of worker threads. Bounds: memory per
// connection, bodies refused before they are read, connections per client address and in
// total, deadlines for slow and idle clients (http_tuning.hpp, docs/server.md).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/http_tuning.hpp"
#include "allervers/server/router.hpp"

namespace allervers::server {

class Api;

struct ListenOptions {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 address ("0.0.0.0", "::", "[::1]")
  int port = 8080;          // 0: any free port (the chosen one goes to on_listening)
  int threads = 8;          // requests handled at once (each with its own database connection)
  int io_threads = 0;       // 0: one per core, at most http_tuning::max_io_threads
  unsigned max_connections = http_tuning::max_connections;
  unsigned max_connections_per_address = http_tuning::max_connections_per_address;
  std::chrono::seconds idle_timeout = http_tuning::idle_timeout;
  std::chrono::seconds head_timeout = http_tuning::head_timeout;
  std::size_t body_budget_bytes = http_tuning::body_budget_bytes;
  bool log_requests = true;  // one line a request on stderr
  std::string tls_cert, tls_key;  // both set: HTTPS with this certificate chain and key (PEM)
  // Reverse proxies (nginx on the same machine: "127.0.0.1") whose X-Forwarded-For is believed:
  // a request from one of them gets its client address from that header (client_address_of).
  std::vector<std::string> trusted_proxies;
};

// The client's address for limits and logs. When `peer` is a trusted proxy, the rightmost hop
// of `forwarded_for` (X-Forwarded-For, "client, proxy1, proxy2") that is not itself a trusted
// proxy: the hops left of it were written by the client and prove nothing. Otherwise — an
// untrusted peer, no header, or a hop that is not an IP address — the peer itself.
std::string client_address_of(const std::string& peer, std::string_view forwarded_for, const std::vector<std::string>& trusted_proxies);

// The engine running on its own threads; stopped (gracefully) by stop() or the destructor.
class HttpServer {
 public:
  // Listens at once; throws std::runtime_error when it cannot (port taken, TLS pair unusable).
  // `router` must outlive the server.
  HttpServer(const Router& router, const ListenOptions& options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // No new connections or requests; requests being handled finish and are answered (within
  // http_tuning::shutdown_grace: past it, false and the process must exit without them).
  bool stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serves `router` until SIGINT/SIGTERM, then lets requests in flight finish (bounded by
// http_tuning::shutdown_grace). Returns the exit code. `on_listening` gets the bound port
// once the socket accepts connections.
int serve_http(const Router& router, const ListenOptions& options, const std::function<void(int port)>& on_listening);

// The API alone, mounted at /api/.
int serve_http(Api& api, const ListenOptions& options, const std::function<void(int port)>& on_listening);

}  // namespace allervers::server
