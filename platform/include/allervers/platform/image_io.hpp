#pragma once
// Reading and writing images as 8-bit luminance: PGM (P2/P5) and PNG (non-interlaced, any
// colour type and bit depth), written here on zlib rather than copied from a third party.
// Enough for test images, demo files, a scanned print run and pdftoppm's output.
#include <filesystem>
#include <stdexcept>
#include <string>

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

}  // namespace allervers::platform
