#pragma once
// The socket side of the server: cpp-httplib adapted onto Api::handle.
#include <functional>
#include <string>

#include "allervers/server/api.hpp"

namespace allervers::server {

struct ListenOptions {
  std::string host = "127.0.0.1";
  int port = 8080;          // 0: any free port (the chosen one goes to on_listening)
  int threads = 8;          // requests served at once (each with its own database connection)
  bool log_requests = true;  // one line a request on stderr
  std::string tls_cert, tls_key;  // both set: HTTPS with this certificate chain and key (PEM)
};

// Serves until stop_requested() is noticed (checked on SIGINT/SIGTERM). Returns the exit code.
// `on_listening` gets the bound port once the socket accepts connections.
int serve_http(Api& api, const ListenOptions& options, const std::function<void(int port)>& on_listening);

}  // namespace allervers::server
