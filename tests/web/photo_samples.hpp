#pragma once
// Images for the photo tests, made here rather than kept as files: a phone's JPEG with an EXIF
// block holding a GPS position, and a PNG whose header claims a huge size (a decompression
// bomb's first bytes).
#include <cstdint>
#include <string>

#include <stb_image_write.h>

namespace allervers::test {

// A `w`×`h` JPEG (a gradient) with an APP1 "Exif" segment right after SOI: IFD0 with
// Orientation 1 and a GPSInfo pointer to a GPS IFD holding latitude 47°N ("GPS" appears in
// the bytes only through this segment).
inline std::string jpeg_with_gps_exif(int w, int h) {
  std::string pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, '\0');
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = &pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3];
      p[0] = static_cast<char>(x * 255 / w), p[1] = static_cast<char>(y * 255 / h), p[2] = static_cast<char>(128);
    }
  std::string jpeg;
  stbi_write_jpg_to_func([](void* c, void* d, int n) { static_cast<std::string*>(c)->append(static_cast<const char*>(d), static_cast<std::size_t>(n)); },
                         &jpeg, w, h, 3, pixels.data(), 90);
  // TIFF, little-endian: header (8), IFD0 at 8 with 2 entries, GPS IFD after it with 2 entries.
  auto u16 = [](std::string& s, unsigned v) { s += static_cast<char>(v & 0xFF), s += static_cast<char>((v >> 8) & 0xFF); };
  auto u32 = [&](std::string& s, std::uint32_t v) { u16(s, v & 0xFFFF), u16(s, v >> 16); };
  std::string tiff = "II";
  u16(tiff, 42), u32(tiff, 8);
  u16(tiff, 2);
  u16(tiff, 0x0112), u16(tiff, 3), u32(tiff, 1), u16(tiff, 1), u16(tiff, 0);  // Orientation = 1
  const std::uint32_t gps_ifd = 8 + 2 + 2 * 12 + 4;
  u16(tiff, 0x8825), u16(tiff, 4), u32(tiff, 1), u32(tiff, gps_ifd);  // GPSInfo
  u32(tiff, 0);
  u16(tiff, 2);
  u16(tiff, 0x0001), u16(tiff, 2), u32(tiff, 2), tiff += "N", tiff += '\0', tiff += '\0', tiff += '\0';  // GPSLatitudeRef "N"
  const std::uint32_t rationals = gps_ifd + 2 + 2 * 12 + 4;
  u16(tiff, 0x0002), u16(tiff, 5), u32(tiff, 3), u32(tiff, rationals);  // GPSLatitude
  u32(tiff, 0);
  for (std::uint32_t v : {47u, 1u, 23u, 1u, 0u, 1u}) u32(tiff, v);
  tiff += "GPS position: Saint-Aubin";
  std::string app1 = std::string("Exif\0\0", 6) + tiff;
  std::string segment = "\xFF\xE1";
  segment += static_cast<char>(((app1.size() + 2) >> 8) & 0xFF), segment += static_cast<char>((app1.size() + 2) & 0xFF);
  segment += app1;
  return jpeg.substr(0, 2) + segment + jpeg.substr(2);
}

// A PNG signature and IHDR claiming `w`×`h` (CRC included), then nothing: what a bomb starts with.
inline std::string png_bomb_header(std::uint32_t w, std::uint32_t h) {
  auto be32 = [](std::string& s, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (i * 8)) & 0xFF);
  };
  std::string chunk = "IHDR";
  be32(chunk, w), be32(chunk, h);
  chunk += '\x08', chunk += '\x02', chunk += '\0', chunk += '\0', chunk += '\0';  // 8-bit RGB
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : chunk) {
    crc ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  std::string png("\x89PNG\r\n\x1A\n", 8);
  be32(png, 13);
  png += chunk;
  be32(png, crc ^ 0xFFFFFFFFu);
  png += std::string(64, '\0');
  return png;
}

}  // namespace allervers::test
