// Requests and answers as values, the request body's decoding, and the prefix router.
#include "allervers/server/router.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "allervers/sync/protocol.hpp"

namespace allervers::server {

namespace protocol = sync::protocol;

std::string HttpRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse error_response(int status, const std::string& code, const std::string& message, const std::string& field) {
  HttpResponse r;
  r.status = status;
  r.body = protocol::encode_error({code, message, field});
  return r;
}

namespace {

std::string lower_trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  std::string out = s.substr(b, e - b + 1);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HttpResponse too_large(std::size_t max_bytes, const char* what) {
  return error_response(413, "too_large", std::string(what) + " is over " + std::to_string(max_bytes) +
                                              " bytes: send smaller batches", "body");
}

}  // namespace

std::optional<HttpResponse> decoded_body(const HttpRequest& request, std::size_t max_bytes, std::string& out) {
  // Codings are case-insensitive (RFC 9110 8.4.1); a list ("gzip, gzip") is not accepted.
  const std::string encoding = lower_trimmed(request.header("content-encoding"));
  if (encoding.empty() || encoding == "identity") {
    if (request.body.size() > max_bytes) return too_large(max_bytes, "the body");
    out = request.body;
    return std::nullopt;
  }
  if (encoding != "gzip") {
    std::string shown = request.header("content-encoding").substr(0, 40);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == 0x7f) c = '?';
    return error_response(415, "unsupported_encoding", "Content-Encoding \"" + shown + "\" is not supported: use gzip or none",
                          "content-encoding");
  }
  if (request.body.size() > max_bytes) return too_large(max_bytes, "the body");
  try {
    out = protocol::gzip_decompress(request.body, max_bytes);  // the trailer (CRC, length) checked too
  } catch (const std::length_error&) {
    return too_large(max_bytes, "the decompressed body");
  } catch (const protocol::ProtocolError& e) {
    return error_response(400, "invalid_gzip", std::string("the body is not valid gzip: ") + e.what(), "body");
  } catch (const std::exception& e) {
    return error_response(400, "invalid_gzip", std::string("the body could not be decompressed: ") + e.what(), "body");
  }
  return std::nullopt;
}

std::string collect_body(const HttpResponse& response) {
  if (!response.stream) return response.body;
  std::string out;
  while (response.stream(out, 64 * 1024)) {
  }
  return out;
}

void Router::mount(std::string prefix, std::size_t max_body_bytes, HttpHandler handler) {
  mount(std::move(prefix), [max_body_bytes](const HttpRequest&) { return max_body_bytes; }, std::move(handler));
}

void Router::on_too_large(const std::string& prefix, HttpHandler answer) {
  for (auto& m : mounts_)
    if (m.prefix == prefix) m.too_large = std::move(answer);
}

void Router::mount(std::string prefix, BodyLimit max_body, HttpHandler handler) {
  std::erase_if(mounts_, [&](const Mount& m) { return m.prefix == prefix; });
  mounts_.push_back({std::move(prefix), std::move(max_body), std::move(handler)});
  std::stable_sort(mounts_.begin(), mounts_.end(), [](const Mount& a, const Mount& b) { return a.prefix.size() > b.prefix.size(); });
}

const Router::Mount* Router::find(std::string_view path) const {
  for (const auto& m : mounts_)
    if (path.substr(0, m.prefix.size()) == m.prefix) return &m;
  return nullptr;
}

HttpResponse Router::handle(const HttpRequest& request) const {
  const Mount* m = find(request.path);
  if (!m) {
    std::string shown = request.path.substr(0, 80);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return error_response(404, "not_found", "no such endpoint: " + shown + " (see docs/protocol.md)");
  }
  try {
    return m->handler(request);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "allervers-server: internal error on %s %s: %s\n", request.method.c_str(), m->prefix.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "allervers-server: internal error on %s %s\n", request.method.c_str(), m->prefix.c_str());
  }
  return error_response(500, "internal_error", "the server failed on this request; nothing was stored");
}

}  // namespace allervers::server
