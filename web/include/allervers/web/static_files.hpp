#pragma once
// Files under /static/: the project's own CSS and JS (assets/web/static) and vendor files from
// Debian packages (libjs-bootstrap5, libjs-chart.js under /usr/share/javascript), found at run
// time in folders the server is given — never a CDN. Answers carry an ETag (size and
// modification time) and are revalidated; the content type comes from the extension.
//
// Paths are checked as text before any file is touched: each segment is [A-Za-z0-9._-] not
// starting with '.', so "..", hidden files, backslashes, NUL and encoded tricks cannot name a
// file outside the folders. (Debian's vendor folders hold symbolic links to other package
// folders; those are the packages' own and followed.)
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/http_message.hpp"

namespace allervers::web {

class StaticFiles {
 public:
  struct Root {
    std::string prefix;            // under /static/, e.g. "app/", "vendor/bootstrap5/"
    std::filesystem::path folder;  // where its files are
  };
  // Mounted at `mount` ("/static/").
  StaticFiles(std::string mount, std::vector<Root> roots);

  // The file a URL path names, when it is under a root and well formed (it may not exist).
  std::optional<std::filesystem::path> resolve(std::string_view url_path) const;
  // GET and HEAD: 200 with the file, 304 when If-None-Match matches, 404, 405 otherwise.
  server::HttpResponse handle(const server::HttpRequest& request) const;

 private:
  std::string mount_;
  std::vector<Root> roots_;
};

// "text/css; charset=utf-8" … by extension; "application/octet-stream" when unknown.
std::string content_type_for(const std::filesystem::path& file);

// The roots of a console: `assets_web/static` as "app/", and the vendor packages found under
// `vendor_dir` (/usr/share/javascript): bootstrap5, chart.js.
std::vector<StaticFiles::Root> console_static_roots(const std::filesystem::path& assets_web, const std::filesystem::path& vendor_dir);

}  // namespace allervers::web
