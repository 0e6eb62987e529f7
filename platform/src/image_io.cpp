// Sections: PGM · PNG reading (chunks, inflate, unfiltering, colour to luminance) · writing.
#include "allervers/platform/image_io.hpp"

#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

namespace allervers::platform {

namespace {

// Images beyond this are not camera frames or printed pages: refuse before allocating.
constexpr std::uint64_t max_pixels = 64ull * 1024 * 1024;

[[noreturn]] void fail(const std::string& name, const std::string& what) { throw ImageError(name + ": " + what); }

Frame make_frame(const std::string& name, std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0 || width > 65535 || height > 65535 || width * height > max_pixels)
    fail(name, "unsupported size " + std::to_string(width) + "x" + std::to_string(height));
  Frame frame;
  frame.width = static_cast<int>(width);
  frame.height = static_cast<int>(height);
  frame.luma.resize(width * height);
  frame.captured_at = std::chrono::steady_clock::now();
  return frame;
}

// ---- PGM -----------------------------------------------------------------------------------

Frame decode_pgm(const std::string& bytes, const std::string& name) {
  std::size_t at = 2;
  auto next_number = [&]() -> std::uint64_t {
    while (at < bytes.size()) {
      if (bytes[at] == '#') {
        while (at < bytes.size() && bytes[at] != '\n') ++at;
      } else if (std::isspace(static_cast<unsigned char>(bytes[at]))) {
        ++at;
      } else {
        break;
      }
    }
    if (at >= bytes.size() || !std::isdigit(static_cast<unsigned char>(bytes[at]))) fail(name, "PGM header is cut or damaged");
    std::uint64_t value = 0;
    while (at < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[at]))) {
      value = value * 10 + static_cast<std::uint64_t>(bytes[at] - '0');
      if (value > 1'000'000) fail(name, "PGM header number too large");
      ++at;
    }
    return value;
  };
  const bool binary = bytes[1] == '5';
  const auto width = next_number();
  const auto height = next_number();
  const auto maxval = next_number();
  if (maxval == 0 || maxval > 65535) fail(name, "PGM maximum value " + std::to_string(maxval));
  Frame frame = make_frame(name, width, height);
  auto scale = [&](std::uint64_t v) { return static_cast<std::uint8_t>(std::min<std::uint64_t>(255, (v * 255 + maxval / 2) / maxval)); };
  if (binary) {
    ++at;  // the single white-space character after maxval
    const std::size_t sample = maxval > 255 ? 2 : 1;
    if (bytes.size() < at + frame.luma.size() * sample) fail(name, "PGM pixel data is cut short");
    for (std::size_t i = 0; i < frame.luma.size(); ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at + i * sample);
      frame.luma[i] = scale(sample == 2 ? (std::uint64_t{p[0]} << 8 | p[1]) : p[0]);
    }
  } else {
    for (auto& pixel : frame.luma) pixel = scale(std::min<std::uint64_t>(next_number(), maxval));
  }
  return frame;
}

// ---- PNG reading ---------------------------------------------------------------------------

constexpr std::array<unsigned char, 8> png_signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::vector<unsigned char> inflate_all(const std::string& compressed, std::size_t expected, const std::string& name) {
  std::vector<unsigned char> out(expected);
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) fail(name, "zlib could not start");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  const auto produced = zs.total_out;
  inflateEnd(&zs);
  if ((rc != Z_STREAM_END && rc != Z_BUF_ERROR) || produced != expected)
    fail(name, "PNG image data is damaged or cut short");
  return out;
}

unsigned paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<unsigned>(a);
  if (pb <= pc) return static_cast<unsigned>(b);
  return static_cast<unsigned>(c);
}

Frame decode_png(const std::string& bytes, const std::string& name) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t at = 8;
  std::uint32_t width = 0, height = 0;
  int depth = 0, colour = -1;
  std::string idat;
  std::vector<std::array<unsigned char, 4>> palette;  // RGBA
  bool ended = false;
  while (!ended) {
    if (at + 12 > bytes.size()) fail(name, "PNG is cut short (no IEND chunk)");
    const std::uint32_t length = be32(data + at);
    const std::string type(bytes, at + 4, 4);
    if (length > bytes.size() - at - 12) fail(name, "PNG chunk " + type + " runs past the end of the file");
    const unsigned char* body = data + at + 8;
    const std::uint32_t crc = be32(body + length);
    if (crc32(crc32(0, nullptr, 0), data + at + 4, length + 4) != crc) fail(name, "PNG chunk " + type + " fails its CRC");
    if (type == "IHDR") {
      if (length != 13) fail(name, "PNG header has the wrong size");
      width = be32(body);
      height = be32(body + 4);
      depth = body[8];
      colour = body[9];
      if (body[10] != 0 || body[11] != 0) fail(name, "PNG uses an unknown compression or filter method");
      if (body[12] != 0) fail(name, "interlaced PNG is not supported: save it without interlacing");
    } else if (type == "PLTE") {
      for (std::uint32_t i = 0; i + 2 < length; i += 3) palette.push_back({body[i], body[i + 1], body[i + 2], 255});
    } else if (type == "tRNS" && colour == 3) {
      for (std::uint32_t i = 0; i < length && i < palette.size(); ++i) palette[i][3] = body[i];
    } else if (type == "IDAT") {
      idat.append(reinterpret_cast<const char*>(body), length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  if (colour < 0) fail(name, "PNG has no IHDR chunk");
  int channels = 0;
  switch (colour) {
    case 0: channels = 1; break;
    case 2: channels = 3; break;
    case 3: channels = 1; break;
    case 4: channels = 2; break;
    case 6: channels = 4; break;
    default: fail(name, "PNG colour type " + std::to_string(colour) + " is not valid");
  }
  const bool depth_ok = depth == 8 || (depth == 16 && colour != 3) ||
                        ((depth == 1 || depth == 2 || depth == 4) && (colour == 0 || colour == 3));
  if (!depth_ok) fail(name, "PNG bit depth " + std::to_string(depth) + " with colour type " + std::to_string(colour));
  if (colour == 3 && palette.empty()) fail(name, "palette PNG without a palette");

  Frame frame = make_frame(name, width, height);
  const std::size_t bits_per_pixel = static_cast<std::size_t>(channels * depth);
  const std::size_t row_bytes = (width * bits_per_pixel + 7) / 8;
  const std::size_t pixel_bytes = std::max<std::size_t>(1, bits_per_pixel / 8);
  auto raw = inflate_all(idat, (row_bytes + 1) * height, name);

  std::vector<unsigned char> previous(row_bytes, 0);
  for (std::size_t y = 0; y < height; ++y) {
    unsigned char* row = raw.data() + y * (row_bytes + 1);
    const int filter = row[0];
    unsigned char* line = row + 1;
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const int a = i >= pixel_bytes ? line[i - pixel_bytes] : 0;
      const int b = previous[i];
      const int c = i >= pixel_bytes ? previous[i - pixel_bytes] : 0;
      unsigned add = 0;
      switch (filter) {
        case 0: add = 0; break;
        case 1: add = static_cast<unsigned>(a); break;
        case 2: add = static_cast<unsigned>(b); break;
        case 3: add = static_cast<unsigned>((a + b) / 2); break;
        case 4: add = paeth(a, b, c); break;
        default: fail(name, "PNG row " + std::to_string(y) + " has unknown filter " + std::to_string(filter));
      }
      line[i] = static_cast<unsigned char>(line[i] + add);
    }
    std::memcpy(previous.data(), line, row_bytes);

    std::uint8_t* out = frame.luma.data() + y * width;
    auto sample = [&](std::size_t x, int channel) -> unsigned {  // scaled to 0..255
      if (depth == 16) return line[(x * static_cast<std::size_t>(channels) + static_cast<std::size_t>(channel)) * 2];
      if (depth == 8) return line[x * static_cast<std::size_t>(channels) + static_cast<std::size_t>(channel)];
      const std::size_t bit = x * static_cast<std::size_t>(depth);
      const unsigned v = (static_cast<unsigned>(line[bit / 8]) >> (8 - static_cast<int>(bit % 8) - depth)) & ((1u << depth) - 1u);
      return colour == 3 ? v : v * 255u / ((1u << depth) - 1u);
    };
    auto on_white = [](unsigned lum, unsigned alpha) { return (lum * alpha + 255u * (255u - alpha) + 127u) / 255u; };
    for (std::size_t x = 0; x < width; ++x) {
      unsigned lum = 0;
      switch (colour) {
        case 0: lum = sample(x, 0); break;
        case 4: lum = on_white(sample(x, 0), sample(x, 1)); break;
        case 2:
        case 6: {
          lum = (306 * sample(x, 0) + 601 * sample(x, 1) + 117 * sample(x, 2) + 512) >> 10;
          if (colour == 6) lum = on_white(lum, sample(x, 3));
          break;
        }
        case 3: {
          const unsigned index = sample(x, 0);
          if (index >= palette.size()) fail(name, "PNG palette index out of range");
          const auto& p = palette[index];
          lum = on_white((306u * p[0] + 601u * p[1] + 117u * p[2] + 512u) >> 10, p[3]);
          break;
        }
        default: break;
      }
      out[x] = static_cast<std::uint8_t>(lum);
    }
  }
  return frame;
}

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFFu));
}

void put_chunk(std::string& out, const char* type, const std::string& body) {
  put32(out, static_cast<std::uint32_t>(body.size()));
  const std::string typed = std::string(type, 4) + body;
  out += typed;
  put32(out, static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(typed.data()),
                                              static_cast<uInt>(typed.size()))));
}

void write_all(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw ImageError(path.string() + ": could not be written");
}

}  // namespace

Frame decode_image(const std::string& bytes, const std::string& name) {
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), png_signature.data(), 8) == 0) return decode_png(bytes, name);
  if (bytes.size() >= 2 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '2')) return decode_pgm(bytes, name);
  fail(name, "not a PNG or PGM image");
}

Frame read_image(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), "cannot be opened");
  std::ostringstream content;
  content << in.rdbuf();
  return decode_image(content.str(), path.string());
}

// ---- Writing -------------------------------------------------------------------------------

void write_pgm(const std::filesystem::path& path, const Frame& frame) {
  std::string bytes = "P5\n" + std::to_string(frame.width) + " " + std::to_string(frame.height) + "\n255\n";
  bytes.append(reinterpret_cast<const char*>(frame.luma.data()), frame.luma.size());
  write_all(path, bytes);
}

std::string encode_png(const Frame& frame) {
  std::string out(reinterpret_cast<const char*>(png_signature.data()), png_signature.size());
  std::string header;
  put32(header, static_cast<std::uint32_t>(frame.width));
  put32(header, static_cast<std::uint32_t>(frame.height));
  header += std::string{8, 0, 0, 0, 0};  // depth 8, greyscale, deflate, filter 0, no interlace
  put_chunk(out, "IHDR", header);
  std::string raw;
  const auto w = static_cast<std::size_t>(frame.width);
  raw.reserve((w + 1) * static_cast<std::size_t>(frame.height));
  for (int y = 0; y < frame.height; ++y) {
    raw.push_back(0);  // filter "none"
    raw.append(reinterpret_cast<const char*>(frame.luma.data()) + static_cast<std::size_t>(y) * w, w);
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string compressed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 6) != Z_OK)
    throw ImageError("PNG compression failed");
  compressed.resize(size);
  put_chunk(out, "IDAT", compressed);
  put_chunk(out, "IEND", "");
  return out;
}

void write_png(const std::filesystem::path& path, const Frame& frame) { write_all(path, encode_png(frame)); }

}  // namespace allervers::platform
