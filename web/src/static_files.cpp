// Static files: checked paths, content types, ETags.
#include "allervers/web/static_files.hpp"

#include <chrono>
#include <fstream>
#include <system_error>

#include "allervers/web/http_basics.hpp"

namespace allervers::web {
namespace {

// A static file is small (the largest vendor file is chart.js, ~550 KB): read whole.
constexpr std::uintmax_t kMaxStaticFileBytes = 8 * 1024 * 1024;

bool segment_ok(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

server::HttpResponse plain(int status, std::string text) {
  server::HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text);
  add_security_headers(r, Caching::no_store);
  return r;
}

}  // namespace

StaticFiles::StaticFiles(std::string mount, std::vector<Root> roots) : mount_(std::move(mount)), roots_(std::move(roots)) {}

std::optional<std::filesystem::path> StaticFiles::resolve(std::string_view url_path) const {
  if (url_path.rfind(mount_, 0) != 0) return std::nullopt;
  std::string_view rest = url_path.substr(mount_.size());
  for (const auto& root : roots_) {
    if (rest.rfind(root.prefix, 0) != 0) continue;
    std::string_view file = rest.substr(root.prefix.size());
    std::filesystem::path out = root.folder;
    if (file.empty()) return std::nullopt;
    while (!file.empty()) {
      const auto slash = file.find('/');
      const std::string_view segment = file.substr(0, slash);
      if (!segment_ok(segment)) return std::nullopt;
      out /= std::string(segment);
      if (slash == std::string_view::npos) break;
      file = file.substr(slash + 1);
      if (file.empty()) return std::nullopt;  // a trailing slash: a folder
    }
    return out;
  }
  return std::nullopt;
}

server::HttpResponse StaticFiles::handle(const server::HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = plain(405, "static files are read with GET");
    r.headers["Allow"] = "GET, HEAD";
    return r;
  }
  const auto file = resolve(request.path);
  std::error_code ec;
  if (!file || !std::filesystem::is_regular_file(*file, ec)) return plain(404, "no such file");
  const auto size = std::filesystem::file_size(*file, ec);
  const auto mtime = std::filesystem::last_write_time(*file, ec);
  if (ec || size > kMaxStaticFileBytes) return plain(404, "no such file");
  const auto ticks = mtime.time_since_epoch().count();
  const std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(ticks) + "\"";
  server::HttpResponse r;
  r.content_type = content_type_for(*file);
  add_security_headers(r, Caching::revalidate);
  r.headers["ETag"] = etag;
  if (request.header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(*file, std::ios::binary);
  if (!in) return plain(404, "no such file");
  r.body.assign(std::istreambuf_iterator<char>(in), {});
  if (request.method == "HEAD") r.body.clear();
  return r;
}

std::string content_type_for(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::vector<StaticFiles::Root> console_static_roots(const std::filesystem::path& assets_web, const std::filesystem::path& vendor_dir) {
  return {{"app/", assets_web / "static"},
          {"vendor/bootstrap5/", vendor_dir / "bootstrap5"},
          {"vendor/chart.js/", vendor_dir / "chart.js"}};
}

}  // namespace allervers::web
