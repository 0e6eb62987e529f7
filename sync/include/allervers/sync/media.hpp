#pragma once
// Media files (pictures of a vote's projects, pictograms) as the server keeps them and devices
// fetch them (docs/protocol.md, "GET /api/v1/media/HASH"): named by the SHA-256 of their bytes
// (core/media.hpp), PNG or JPEG only, judged by content (signature, then dimensions from the
// header before any pixel is allocated, then one real decode), bounded in bytes and pixels.
// The server checks a file before it keeps it; a device checks it again before it keeps it —
// its bytes must hash to the name asked for — and decodes it with the very same code to draw
// it. Decoding by Debian's libstb (stb_image), as web/photo.hpp does.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::sync::media {

inline constexpr const char* path_prefix = "/api/v1/media/";
std::string path_for(const std::string& hash);  // "/api/v1/media/<hash>"

struct Limits {
  // A picture the console re-encoded is at most 1600 px and ~300 KB (web/photo.hpp); a
  // pictogram a few KB. Four times that leaves room without letting a file fill a tablet.
  std::size_t max_bytes = 2 * 1024 * 1024;
  int max_side_px = 2048;                 // a texture every tablet's GPU takes
  std::int64_t max_pixels = 2048 * 2048;  // ×4 bytes while decoding: 16 MiB at most
};

class MediaError : public std::runtime_error {
 public:
  // `code`: "too_large" (bytes), "not_an_image" (neither PNG nor JPEG), "too_many_pixels"
  // (dimensions over the limits), "undecodable" (damaged or cut short), "hash_mismatch" (the
  // bytes are not those of the name asked for).
  MediaError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct Checked {
  std::string hash;          // SHA-256, lower-case hex
  std::string content_type;  // "image/png" or "image/jpeg"
  int width = 0, height = 0;
};

// Throws MediaError (what() names the fault and the figures, in English for logs and the
// protocol; code() for a translated sentence).
Checked check(std::string_view bytes, const Limits& limits = {});
// check(), and the bytes must hash to `expected_hash`: a device keeps nothing else.
Checked check_named(std::string_view bytes, const std::string& expected_hash, const Limits& limits = {});

// The image as 8-bit RGBA, top row first (for a texture). Throws MediaError.
struct Pixels {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
};
Pixels decode_rgba(std::string_view bytes, const Limits& limits = {});

// A catalog file's pictograms (docs/consultation-format.md, "Accessibility fields"): each one
// a question, an option or an idea theme gives as a file name is read in `dir` (the catalog
// file's directory), checked (a PNG within the limits, decoded once) and handed to `keep`
// with its bytes; the document comes back naming it by its SHA-256. Names already given as
// media names are left as they are. The server keeps the files when it publishes the catalog;
// a device loading a catalog file (allervers-device init, a new kiosk) keeps them the same
// way, so the pictograms are there before any sync. Throws core::CatalogError naming the
// pictogram's place, its file and what is wrong (no file, not a PNG, too big, damaged), or
// the catalog's first fault; nothing is handed to `keep` for a pictogram that fails.
using KeepFile = std::function<void(const Checked& checked, const std::string& bytes)>;
std::string catalog_with_pictogram_files(const std::string& json_text, const std::filesystem::path& dir, const KeepFile& keep);

}  // namespace allervers::sync::media
