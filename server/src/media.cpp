// Media files on the server (media.hpp).
#include "allervers/server/media.hpp"

#include <algorithm>

#include "allervers/core/media.hpp"

namespace allervers::server {

namespace media = sync::media;

media::Checked keep_media(MediaStore& store, std::string_view bytes, std::int64_t now_ms, const media::Limits& limits) {
  auto checked = media::check(bytes, limits);
  store.save_media({checked.hash, checked.content_type, std::string(bytes), checked.width, checked.height}, now_ms);
  return checked;
}

std::string catalog_with_media(MediaStore& store, const std::string& json_text, const std::filesystem::path& dir, std::int64_t now_ms) {
  return media::catalog_with_pictogram_files(json_text, dir, [&](const media::Checked& checked, const std::string& bytes) {
    store.save_media({checked.hash, checked.content_type, bytes, checked.width, checked.height}, now_ms);
  });
}

bool media_is_public(const core::Catalog& published, const std::string& hash) {
  const auto names = core::media_hashes(published);
  return std::binary_search(names.begin(), names.end(), hash);
}

HttpResponse media_response(const MediaFile& file, const std::string& if_none_match, bool shared) {
  HttpResponse r;
  const std::string etag = "\"" + file.hash + "\"";
  r.headers["ETag"] = etag;
  r.headers["Cache-Control"] = std::string(shared ? "public" : "private") + ", max-age=31536000, immutable";
  r.headers["X-Content-Type-Options"] = "nosniff";
  if (if_none_match == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = file.content_type;
  r.body = file.data;
  return r;
}

}  // namespace allervers::server
