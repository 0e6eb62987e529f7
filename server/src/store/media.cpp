// Media files kept by their hash (media.hpp).
#include "allervers/server/store/media.hpp"

#include "allervers/crypto/base64.hpp"

namespace allervers::server {

bool MediaStore::save_media(const MediaFile& file, std::int64_t now_ms) {
  // Two servers keeping the same picture at once: the second insert does nothing (same bytes).
  return db().exec("INSERT INTO media(hash, content_type, width, height, bytes, data_base64, added_ms) "
                   "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(hash) DO NOTHING",
                   {file.hash, file.content_type, std::int64_t{file.width}, std::int64_t{file.height},
                    static_cast<std::int64_t>(file.data.size()), crypto::to_base64(file.data), now_ms}) > 0;
}

std::optional<MediaFile> MediaStore::media(const std::string& hash) {
  const auto rows = db().query("SELECT content_type, width, height, data_base64 FROM media WHERE hash = $1", {hash});
  if (rows.empty()) return std::nullopt;
  const auto row = rows[0];
  auto bytes = crypto::from_base64(row.text(3));
  if (!bytes) return std::nullopt;
  return MediaFile{hash, row.text(0), std::string(bytes->begin(), bytes->end()), static_cast<int>(row.int64(1)),
                   static_cast<int>(row.int64(2))};
}

bool MediaStore::has_media(const std::string& hash) { return !db().query("SELECT 1 FROM media WHERE hash = $1", {hash}).empty(); }

}  // namespace allervers::server
