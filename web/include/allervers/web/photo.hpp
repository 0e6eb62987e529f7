#pragma once
// An idea's photo as the server keeps it (issue 13): the upload's type judged by its content
// (JPEG or PNG signature, then a real decode), its dimensions read from its header before any
// pixel is allocated (a decompression bomb — a small file claiming 50,000 × 50,000 pixels — is
// refused unread), then decoded, made at most `max_side_px` on its longer side and re-encoded
// as a JPEG. Re-encoding keeps pixels only: EXIF (a phone's GPS position, its serial number),
// comments and every other segment are gone. Decoding, resizing and encoding by Debian's
// libstb (stb_image, stb_image_resize, stb_image_write).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace allervers::web {

struct PhotoLimits {
  std::size_t max_bytes = 10 * 1024 * 1024;  // a phone's photo; more is refused before reading it
  std::int64_t max_pixels = 40'000'000;      // a 40-megapixel camera; ×4 bytes while decoding
  int max_input_side_px = 12'000;
  int max_side_px = 1600;  // enough on any screen, ~300 KB as JPEG
  int jpeg_quality = 85;
};

class PhotoError : public std::runtime_error {
 public:
  // `code`: "too_large" (bytes), "not_an_image" (neither JPEG nor PNG), "too_many_pixels"
  // (dimensions over the limits: a bomb or a panorama), "undecodable" (damaged or truncated).
  PhotoError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct Photo {
  std::string jpeg;  // the re-encoded bytes
  int width = 0, height = 0;
};

// Throws PhotoError.
Photo process_photo(std::string_view bytes, const PhotoLimits& limits = {});

// The orientation an EXIF block of a JPEG asks for (1–8; 1 when none or unreadable), applied to
// the pixels before the EXIF is dropped, so a phone's portrait photo stays upright.
int jpeg_exif_orientation(std::string_view bytes);

}  // namespace allervers::web
