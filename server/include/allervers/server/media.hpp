#pragma once
// Media files on the server: kept once checked (sync/media.hpp), the pictograms a catalog file
// names turned into media at publishing, what is public, and the answer that serves one
// (docs/protocol.md, "GET /api/v1/media/HASH").
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "allervers/core/consultation.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/store/media.hpp"
#include "allervers/sync/media.hpp"

namespace allervers::server {

// Checks the bytes (type, size, dimensions, one decode) and keeps them under their SHA-256.
// Throws sync::media::MediaError (nothing kept) or StoreError.
sync::media::Checked keep_media(MediaStore& store, std::string_view bytes, std::int64_t now_ms, const sync::media::Limits& limits = {});

// A catalog document whose pictograms are file names in `dir` (the catalog file's directory,
// docs/consultation-format.md): each PNG read, checked and kept, its name replaced by its
// media name. Throws core::CatalogError naming the pictogram and what is wrong with its file.
std::string catalog_with_media(MediaStore& store, const std::string& json_text, const std::filesystem::path& dir, std::int64_t now_ms);

// Whether a published catalog refers to the file (a project's picture in a vote published,
// a pictogram of a consultation published): then anyone may see it.
bool media_is_public(const core::Catalog& published, const std::string& hash);

// A media file as served: its type, its hash as a strong ETag, kept a year as it never changes
// (a 304 for If-None-Match). `shared`: caches between may keep it (a public file).
HttpResponse media_response(const MediaFile& file, const std::string& if_none_match, bool shared);

}  // namespace allervers::server
