#pragma once
// The program's one image codec. Frames as 8-bit luminance: PGM (P2/P5, ours) and PNG (any
// colour type, bit depth and interlacing, through libpng) — test images, demo files, a
// scanned print run, pdftoppm's output. And 8-bit RGBA PNG for the kiosk's screenshots.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "allervers/platform/frame.hpp"

namespace allervers::platform {

// Names the file and what is wrong with it.
class ImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// By content (PNG signature or "P2"/"P5"), not by extension. Colour is reduced to luminance,
// transparency composited on white (paper). Throws ImageError.
Frame read_image(const std::filesystem::path& path);
Frame decode_image(const std::string& bytes, const std::string& name = "image");

void write_pgm(const std::filesystem::path& path, const Frame& frame);
void write_png(const std::filesystem::path& path, const Frame& frame);  // 8-bit greyscale
std::string encode_png(const Frame& frame);

// 8-bit RGBA, top row first: what the kiosk's screenshots hold.
struct RgbaImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4 bytes
};

void write_png(const std::filesystem::path& path, const RgbaImage& image);
std::string encode_png(const RgbaImage& image);
// Any PNG as RGBA (grey spread to RGB, no transparency: alpha 255). Throws ImageError.
RgbaImage read_png_rgba(const std::filesystem::path& path);
RgbaImage decode_png_rgba(const std::string& bytes, const std::string& name = "image");

}  // namespace allervers::platform
