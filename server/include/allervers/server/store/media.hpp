#pragma once
// Media files (pictures of a vote's projects, pictograms of consultations), each kept once by
// the SHA-256 of its bytes (sync/media.hpp checked them before). Table: media (schema step 13).
// Served to devices by GET /api/v1/media/HASH and, when the catalog published makes them
// public, to anyone at /media/HASH (docs/protocol.md, docs/web.md).
#include <cstdint>
#include <optional>
#include <string>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct MediaFile {
  std::string hash;          // SHA-256 of `data`, lower-case hex
  std::string content_type;  // "image/png" or "image/jpeg"
  std::string data;          // the bytes
  int width = 0, height = 0;
};

class MediaStore : public virtual StoreArea {
 public:
  // Keeps the file unless one of that hash is held already (the same bytes: nothing to do).
  // true when it was new. Throws StoreError.
  bool save_media(const MediaFile& file, std::int64_t now_ms);
  std::optional<MediaFile> media(const std::string& hash);
  bool has_media(const std::string& hash);
};

}  // namespace allervers::server
