// An idea's photo: checked, decoded, resized, re-encoded (photo.hpp).
#include "allervers/web/photo.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

namespace allervers::web {

namespace {

bool is_jpeg(std::string_view b) { return b.size() > 3 && b[0] == '\xFF' && b[1] == '\xD8' && b[2] == '\xFF'; }
bool is_png(std::string_view b) { return b.size() > 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8); }

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

std::uint32_t read_u(std::string_view b, std::size_t at, int bytes, bool little) {
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    const auto byte = static_cast<std::uint8_t>(b[at + static_cast<std::size_t>(little ? bytes - 1 - i : i)]);
    v = (v << 8) | byte;
  }
  return v;
}

// Pixels of `w`×`h` (3 channels) turned as EXIF orientation `o` says; w and h follow.
std::vector<unsigned char> orient(const std::vector<unsigned char>& in, int& w, int& h, int o) {
  if (o < 2 || o > 8) return in;
  const bool swap = o >= 5;
  const int nw = swap ? h : w, nh = swap ? w : h;
  std::vector<unsigned char> out(static_cast<std::size_t>(nw) * static_cast<std::size_t>(nh) * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      int nx = x, ny = y;
      switch (o) {
        case 2: nx = w - 1 - x; break;
        case 3: nx = w - 1 - x, ny = h - 1 - y; break;
        case 4: ny = h - 1 - y; break;
        case 5: nx = y, ny = x; break;
        case 6: nx = h - 1 - y, ny = x; break;
        case 7: nx = h - 1 - y, ny = w - 1 - x; break;
        case 8: nx = y, ny = w - 1 - x; break;
        default: break;
      }
      std::memcpy(&out[(static_cast<std::size_t>(ny) * static_cast<std::size_t>(nw) + static_cast<std::size_t>(nx)) * 3],
                  &in[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3], 3);
    }
  w = nw, h = nh;
  return out;
}

}  // namespace

int jpeg_exif_orientation(std::string_view b) {
  if (!is_jpeg(b)) return 1;
  std::size_t at = 2;
  // Segments up to the image data: an APP1 starting "Exif\0\0" holds a TIFF structure.
  while (at + 4 <= b.size() && b[at] == '\xFF') {
    const auto marker = static_cast<std::uint8_t>(b[at + 1]);
    if (marker == 0xDA || marker == 0xD9) break;
    const std::size_t len = read_u(b, at + 2, 2, false);
    if (len < 2 || at + 2 + len > b.size()) break;
    const std::string_view seg = b.substr(at + 4, len - 2);
    if (marker == 0xE1 && seg.size() > 14 && seg.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
      const std::string_view t = seg.substr(6);
      const bool little = t[0] == 'I';
      if (t.substr(0, 2) != "II" && t.substr(0, 2) != "MM") return 1;
      const std::size_t ifd = read_u(t, 4, 4, little);
      if (ifd + 2 > t.size()) return 1;
      const std::size_t n = read_u(t, ifd, 2, little);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t e = ifd + 2 + i * 12;
        if (e + 12 > t.size()) return 1;
        if (read_u(t, e, 2, little) == 0x0112) {
          const auto v = static_cast<int>(read_u(t, e + 8, 2, little));
          return v >= 1 && v <= 8 ? v : 1;
        }
      }
      return 1;
    }
    at += 2 + len;
  }
  return 1;
}

Photo process_photo(std::string_view bytes, const PhotoLimits& limits) {
  if (bytes.size() > limits.max_bytes)
    throw PhotoError("too_large", "the photo is " + std::to_string(bytes.size()) + " bytes, at most " + std::to_string(limits.max_bytes));
  const bool jpeg = is_jpeg(bytes), png = is_png(bytes);
  if (!jpeg && !png) throw PhotoError("not_an_image", "the file is neither a JPEG nor a PNG image");
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  // The header's dimensions first: nothing is allocated for a bomb. A PNG says them in its
  // IHDR, which must come first (stb refuses some huge sizes itself, as if damaged).
  if (png && bytes.size() >= 24 && bytes.substr(12, 4) == "IHDR") {
    const std::uint32_t pw = read_u(bytes, 16, 4, false), ph = read_u(bytes, 20, 4, false);
    if (pw > static_cast<std::uint32_t>(limits.max_input_side_px) || ph > static_cast<std::uint32_t>(limits.max_input_side_px) ||
        static_cast<std::int64_t>(pw) * static_cast<std::int64_t>(ph) > limits.max_pixels)
      throw PhotoError("too_many_pixels", "the image claims " + std::to_string(pw) + " × " + std::to_string(ph) + " pixels, more than " +
                                              std::to_string(limits.max_pixels) + " in all");
  }
  if (!stbi_info_from_memory(data, size, &w, &h, &channels) || w <= 0 || h <= 0)
    throw PhotoError("undecodable", "the image cannot be read (damaged or cut short)");
  if (w > limits.max_input_side_px || h > limits.max_input_side_px ||
      static_cast<std::int64_t>(w) * static_cast<std::int64_t>(h) > limits.max_pixels)
    throw PhotoError("too_many_pixels", "the image claims " + std::to_string(w) + " × " + std::to_string(h) + " pixels, more than " +
                                            std::to_string(limits.max_pixels) + " in all");
  int dw = 0, dh = 0, dc = 0;
  std::unique_ptr<unsigned char, StbFree> decoded(stbi_load_from_memory(data, size, &dw, &dh, &dc, 4));
  if (!decoded || dw != w || dh != h) throw PhotoError("undecodable", "the image cannot be read (damaged or cut short)");
  // Transparent parts (a PNG's) on white, then RGB.
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
  const unsigned char* px = decoded.get();
  for (std::size_t i = 0, n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h); i < n; ++i) {
    const unsigned a = px[i * 4 + 3];
    for (int c = 0; c < 3; ++c) rgb[i * 3 + static_cast<std::size_t>(c)] = static_cast<unsigned char>((px[i * 4 + static_cast<std::size_t>(c)] * a + 255 * (255 - a)) / 255);
  }
  decoded.reset();
  if (jpeg) rgb = orient(rgb, w, h, jpeg_exif_orientation(bytes));

  int ow = w, oh = h;
  if (std::max(w, h) > limits.max_side_px) {
    if (w >= h) ow = limits.max_side_px, oh = std::max(1, static_cast<int>(static_cast<std::int64_t>(h) * limits.max_side_px / w));
    else oh = limits.max_side_px, ow = std::max(1, static_cast<int>(static_cast<std::int64_t>(w) * limits.max_side_px / h));
    std::vector<unsigned char> small(static_cast<std::size_t>(ow) * static_cast<std::size_t>(oh) * 3);
    if (!stbir_resize_uint8(rgb.data(), w, h, 0, small.data(), ow, oh, 0, 3))
      throw PhotoError("undecodable", "the image cannot be resized");
    rgb = std::move(small);
  }
  Photo out;
  out.width = ow, out.height = oh;
  auto sink = [](void* context, void* chunk, int n) { static_cast<std::string*>(context)->append(static_cast<const char*>(chunk), static_cast<std::size_t>(n)); };
  if (!stbi_write_jpg_to_func(sink, &out.jpeg, ow, oh, 3, rgb.data(), limits.jpeg_quality) || out.jpeg.empty())
    throw PhotoError("undecodable", "the image cannot be encoded again");
  return out;
}

}  // namespace allervers::web
