#include "allervers/app/png.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unordered_map>

#include <zlib.h>

namespace allervers::app {
namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

void chunk(std::vector<std::uint8_t>& out, const char type[4], const std::vector<std::uint8_t>& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  const auto crc = crc32(0L, out.data() + start, static_cast<uInt>(out.size() - start));
  put32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

void write_png(const std::filesystem::path& path, const Image& image) {
  const auto w = static_cast<std::size_t>(image.width), h = static_cast<std::size_t>(image.height);
  if (image.rgba.size() != w * h * 4) throw std::runtime_error("write_png: image size does not match its pixels");
  std::vector<std::uint8_t> raw;
  raw.reserve((w * 4 + 1) * h);
  for (std::size_t y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    const auto row = image.rgba.begin() + static_cast<std::ptrdiff_t>(y * w * 4);
    raw.insert(raw.end(), row, row + static_cast<std::ptrdiff_t>(w * 4));
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> packed(packed_size);
  if (compress2(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()), 6) != Z_OK)
    throw std::runtime_error("write_png: zlib could not compress " + path.string());
  packed.resize(packed_size);

  std::vector<std::uint8_t> out(std::begin(kSignature), std::end(kSignature));
  std::vector<std::uint8_t> header;
  put32(header, static_cast<std::uint32_t>(w));
  put32(header, static_cast<std::uint32_t>(h));
  header.insert(header.end(), {8, 6, 0, 0, 0});  // 8-bit, RGBA, deflate, no filter set, no interlace
  chunk(out, "IHDR", header);
  chunk(out, "IDAT", packed);
  chunk(out, "IEND", {});
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!file) throw std::runtime_error("cannot write the screenshot " + path.string());
}

std::optional<Image> read_png(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (data.size() < 8 || !std::equal(std::begin(kSignature), std::end(kSignature), data.begin())) return std::nullopt;
  Image image;
  std::vector<std::uint8_t> packed;
  for (std::size_t at = 8; at + 12 <= data.size();) {
    const std::uint32_t len = get32(&data[at]);
    if (at + 12 + len > data.size()) return std::nullopt;
    const std::string type(reinterpret_cast<const char*>(&data[at + 4]), 4);
    const std::uint8_t* body = &data[at + 8];
    if (type == "IHDR") {
      if (len < 13 || body[8] != 8 || body[9] != 6 || body[12] != 0) return std::nullopt;
      image.width = static_cast<int>(get32(body));
      image.height = static_cast<int>(get32(body + 4));
    } else if (type == "IDAT") {
      packed.insert(packed.end(), body, body + len);
    }
    at += 12 + len;
  }
  const auto w = static_cast<std::size_t>(image.width), h = static_cast<std::size_t>(image.height);
  if (w == 0 || h == 0) return std::nullopt;
  std::vector<std::uint8_t> raw((w * 4 + 1) * h);
  uLongf raw_size = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_size, packed.data(), static_cast<uLong>(packed.size())) != Z_OK || raw_size != raw.size())
    return std::nullopt;
  image.rgba.reserve(w * h * 4);
  for (std::size_t y = 0; y < h; ++y) {
    const auto row = raw.begin() + static_cast<std::ptrdiff_t>(y * (w * 4 + 1));
    if (*row != 0) return std::nullopt;  // only what write_png writes
    image.rgba.insert(image.rgba.end(), row + 1, row + 1 + static_cast<std::ptrdiff_t>(w * 4));
  }
  return image;
}

ImageStats image_stats(const Image& image) {
  std::unordered_map<std::uint32_t, std::size_t> counts;
  const std::size_t pixels = image.rgba.size() / 4;
  std::size_t most = 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t* p = &image.rgba[i * 4];
    const std::uint32_t colour = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
    auto it = counts.find(colour);
    if (it == counts.end() && counts.size() >= 4096) continue;
    most = std::max(most, ++counts[colour]);
  }
  ImageStats stats;
  stats.distinct_colours = counts.size();
  stats.background_fraction = pixels ? static_cast<double>(most) / static_cast<double>(pixels) : 1.0;
  return stats;
}

}  // namespace allervers::app
