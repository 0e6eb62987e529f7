#pragma once
// Which handler answers which path: handlers mounted by path prefix (the API at /api/, the
// web pages beside it), the longest prefix winning. The HTTP engine asks the router for a
// request's body limit before reading the body, then for the answer.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/http_message.hpp"

namespace allervers::server {

// The longest body a request may declare, judged from its head (method, path, headers; no
// body yet): a longer one is refused (413) before it is read.
using BodyLimit = std::function<std::size_t(const HttpRequest& head)>;

class Router {
 public:
  struct Mount {
    std::string prefix;  // "/api/", "/": matches paths that start with it
    BodyLimit max_body;
    HttpHandler handler;
    // The answer to a request whose body is over max_body, given its head (absent: the
    // protocol's JSON 413). Web pages answer a person with a page.
    HttpHandler too_large = {};
  };

  // Requests whose path starts with `prefix` go to `handler`. Mounting the same prefix again
  // replaces the earlier handler.
  void mount(std::string prefix, BodyLimit max_body, HttpHandler handler);
  void mount(std::string prefix, std::size_t max_body_bytes, HttpHandler handler);
  // The 413 page of the mount at `prefix` (mounted before).
  void on_too_large(const std::string& prefix, HttpHandler answer);

  // The mount for `path`, or nullptr (answered 404).
  const Mount* find(std::string_view path) const;

  // The answer for a whole request: its mount's handler, 404 when none matches. A handler's
  // exception becomes 500 `internal_error`.
  HttpResponse handle(const HttpRequest& request) const;

 private:
  std::vector<Mount> mounts_;  // longest prefix first
};

}  // namespace allervers::server
