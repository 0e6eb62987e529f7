#pragma once
// Just enough PNG for screenshots: 8-bit RGBA, written with zlib (no third-party copy), and
// read back (our own files only) so tests can check a screenshot is not blank.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace allervers::app {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // top row first
};

// Throws std::runtime_error naming the file when it cannot be written.
void write_png(const std::filesystem::path& path, const Image& image);
// Reads a PNG written by write_png (8-bit RGBA, non-interlaced); nothing for anything else.
std::optional<Image> read_png(const std::filesystem::path& path);

struct ImageStats {
  std::size_t distinct_colours = 0;   // counted up to 4096
  double background_fraction = 0.0;  // share of pixels of the most common colour
};
ImageStats image_stats(const Image& image);

}  // namespace allervers::app
