// cpp-httplib adapted onto Api::handle. httplib decodes gzip request bodies itself; the
// reader below stops at the size limit, so a compressed "bomb" is cut off, not inflated.
#include "allervers/server/http.hpp"

#include <httplib.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "allervers/core/time.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::server {
namespace {

namespace protocol = sync::protocol;
namespace tuning = sync::tuning;

HttpRequest adapt(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [name, value] : req.params) r.query.emplace(name, value);
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "content-encoding") continue;  // already decoded by httplib
    r.headers[lower] = value;
  }
  return r;
}

void answer(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  if (from.status != 304) to.set_content(from.body, from.content_type.empty() ? "application/json" : from.content_type.c_str());
}

void set_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  res.set_content(protocol::encode_error({code, message, {}}), "application/json");
}

}  // namespace

int serve_http(Api& api, const ListenOptions& options, const std::function<void(int port)>& on_listening) {
  // SIGINT/SIGTERM are taken by a thread of ours (blocked everywhere else) that stops the server.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<httplib::Server> holder;
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!tls->is_valid()) {
      std::fprintf(stderr, "allervers-server: cannot use the TLS certificate %s with the key %s (unreadable, or not a pair)\n",
                   options.tls_cert.c_str(), options.tls_key.c_str());
      return 1;
    }
    holder = std::move(tls);
  } else {
    holder = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *holder;
  const int threads = std::max(1, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_payload_max_length(tuning::server_max_wire_bytes);
  server.set_tcp_nodelay(true);  // headers and body go out in two writes: without it, Nagle meets delayed ACK (40 ms)
  server.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(tuning::server_read_timeout).count(), 0);
  server.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(tuning::server_write_timeout).count(), 0);

  auto plain = [&api](const httplib::Request& req, httplib::Response& res) {
    HttpRequest r = adapt(req);
    r.body = req.body;
    answer(api.handle(r), res);
  };
  auto with_body = [&api](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    HttpRequest r = adapt(req);
    bool over = false;
    const std::size_t limit = tuning::server_max_body_bytes;
    const bool has_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
    const bool complete = !has_body || reader([&](const char* data, std::size_t n) {
      if (r.body.size() + n > limit) {
        over = true;
        return false;
      }
      r.body.append(data, n);
      return true;
    });
    if (over)
      return set_error(res, 413, "too_large", "the (decompressed) body is over " + std::to_string(limit) + " bytes: send smaller batches");
    if (!complete) {
      if (req.has_header("Content-Encoding"))
        return set_error(res, 400, "invalid_gzip", "the body is not valid " + req.get_header_value("Content-Encoding") + " (corrupt or truncated)");
      return set_error(res, 400, "invalid_body", "the body could not be read (truncated?)");
    }
    answer(api.handle(r), res);
  };
  // A declared body over the limit is refused before httplib tries to read (or drain) it.
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Content-Length")) return httplib::Server::HandlerResponse::Unhandled;
    const std::string declared = req.get_header_value("Content-Length");
    const bool numeric = !declared.empty() && declared.size() <= 18 &&
                         declared.find_first_not_of("0123456789") == std::string::npos;
    if (numeric && std::stoull(declared) <= tuning::server_max_wire_bytes) return httplib::Server::HandlerResponse::Unhandled;
    set_error(res, numeric ? 413 : 400, numeric ? "too_large" : "bad_request",
              numeric ? "the body is over " + std::to_string(tuning::server_max_wire_bytes) + " bytes: send smaller batches"
                      : "Content-Length is not a number");
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get(".*", plain);
  server.Delete(".*", plain);
  server.Options(".*", plain);
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 413: set_error(res, 413, "too_large", "the body is too large: send smaller batches"); break;
      case 415: set_error(res, 415, "unsupported_encoding", "this Content-Encoding is not supported: use gzip or none"); break;
      case 404: set_error(res, 404, "not_found", "no such endpoint (see docs/protocol.md)"); break;
      default: set_error(res, res.status, "bad_request", "the request could not be read (HTTP " + std::to_string(res.status) + ")");
    }
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "allervers-server: internal error: %s\n", what.c_str());
    set_error(res, 500, "internal_error", "the server failed on this request; it was not stored");
  });
  if (options.log_requests)
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      // One line a request: when, who (address), what, answer, bytes in and out.
      const std::string when = core::format_instant(core::SystemClock().now());
      std::fprintf(stderr, "%s %s %s %s %d %zu %zu\n", when.c_str(), req.remote_addr.c_str(), req.method.c_str(),
                   req.path.c_str(), res.status, req.body.size(), res.body.size());
    });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) port = 0;
  } else if (!server.bind_to_port(options.host, port)) {
    port = 0;
  }
  if (port <= 0) {
    std::fprintf(stderr, "allervers-server: cannot listen on %s:%d (in use, or not allowed)\n", options.host.c_str(), options.port);
    return 1;
  }

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  on_listening(port);
  const bool ok = server.listen_after_bind();
  // Wake the stopper if the server ended by itself.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return ok ? 0 : 1;
}

}  // namespace allervers::server
