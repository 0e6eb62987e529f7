#pragma once
// Images for the media tests (pictures of projects, pictograms), made here rather than kept
// as files: a PNG with transparency, a JPEG, and a PNG whose header claims more pixels than
// it holds (a decompression bomb's first bytes). Encoded by Debian's libstb.
#include <cstdint>
#include <string>

#include <stb_image_write.h>

namespace allervers::test {

namespace media_detail {
inline void append(void* context, void* data, int n) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(n));
}
}  // namespace media_detail

// A `w`×`h` RGBA PNG: a coloured disc (`hue` 0–255 shifts its colour) on a transparent ground,
// as a pictogram is drawn.
inline std::string png_image(int w, int h, int hue = 0) {
  std::string rgba(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, '\0');
  const int cx = w / 2, cy = h / 2, r = (w < h ? w : h) * 2 / 5;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = &rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4];
      const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
      p[0] = static_cast<char>((40 + hue) & 0xFF), p[1] = static_cast<char>((120 + hue * 3) & 0xFF), p[2] = static_cast<char>(200);
      p[3] = static_cast<char>(inside ? 255 : 0);
    }
  std::string png;
  stbi_write_png_to_func(media_detail::append, &png, w, h, 4, rgba.data(), w * 4);
  return png;
}

// A `w`×`h` JPEG: a gradient with a dark band, as a photo of a place.
inline std::string jpeg_image(int w, int h) {
  std::string rgb(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, '\0');
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = &rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3];
      const bool band = y > h / 2 && y < h * 2 / 3;
      p[0] = static_cast<char>(band ? 40 : 90 + x * 120 / w), p[1] = static_cast<char>(band ? 60 : 150 + y * 80 / h),
      p[2] = static_cast<char>(band ? 30 : 220);
    }
  std::string jpeg;
  stbi_write_jpg_to_func(media_detail::append, &jpeg, w, h, 3, rgb.data(), 88);
  return jpeg;
}

// The first bytes of a PNG whose IHDR claims `w`×`h` pixels, with no image data after it.
inline std::string png_claiming(std::uint32_t w, std::uint32_t h) {
  std::string png = png_image(4, 4);
  for (int i = 0; i < 4; ++i) {
    png[16 + static_cast<std::size_t>(i)] = static_cast<char>((w >> (24 - 8 * i)) & 0xFF);
    png[20 + static_cast<std::size_t>(i)] = static_cast<char>((h >> (24 - 8 * i)) & 0xFF);
  }
  return png;
}

}  // namespace allervers::test
