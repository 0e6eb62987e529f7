#pragma once
// HTTP requests and answers as plain values, independent of the HTTP engine: handlers are
// functions HttpRequest → HttpResponse, so tests and fuzzers call them without a socket.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace allervers::server {

struct HttpRequest {
  std::string method;  // "GET", "POST" …
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> headers;  // names in lower case; repeated headers joined with ", "
  std::string body;                            // as received (still gzip when Content-Encoding says so)
  std::map<std::string, std::string> query;    // ?name=value parameters, decoded
  std::string client_address;                  // the peer's IP address as text ("203.0.113.7", "2001:db8::1")
  std::string header(const std::string& lower_name) const;
};

// Appends the next part of a streamed body to `out` (about `part_hint` bytes: memory stays
// flat however long the body) and returns true while more is to come, false after the last
// part. Called on a worker thread, never twice at once; it may block (database reads).
using BodyProducer = std::function<bool(std::string& out, std::size_t part_hint)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
  std::string body;
  BodyProducer stream;  // when set, the body is this producer's output (sent chunked), not `body`
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// The JSON error every 4xx/5xx carries (docs/protocol.md "Errors").
HttpResponse error_response(int status, const std::string& code, const std::string& message, const std::string& field = {});

// The request body as the handler reads it: decoded when `Content-Encoding: gzip`, as is
// when the encoding is absent or `identity`; anything else is 415, a corrupt or truncated
// gzip stream 400 `invalid_gzip`, more than `max_bytes` (on the wire or once inflated) 413.
// The one place where request encodings are decided. Returns the error to answer, or
// nothing when `out` holds the body.
std::optional<HttpResponse> decoded_body(const HttpRequest& request, std::size_t max_bytes, std::string& out);

// A whole response body, the producer run to its end when streamed (tests, small bodies).
std::string collect_body(const HttpResponse& response);

}  // namespace allervers::server
