// Sections: PGM · PNG through libpng (errors, reading, luminance) · files · writing.
#include "allervers/platform/image_io.hpp"

#include "allervers/platform/files.hpp"

#include <png.h>

#include <array>
#include <csetjmp>
#include <cstdio>
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

// ---- PNG through libpng ------------------------------------------------------------------
// libpng reports an error by longjmp back to the setjmp of the call that met it. So every
// call into libpng happens inside the small C-style functions below, which own no object
// with a destructor; the message waits in PngErrors and becomes an ImageError once libpng's
// frames are gone. The callers own the buffers and the png_struct (PngReader, PngWriter).

constexpr std::array<unsigned char, 8> png_signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

struct PngErrors {
  char message[256] = {};
};

void on_png_error(png_structp png, png_const_charp message) {
  auto* errors = static_cast<PngErrors*>(png_get_error_ptr(png));
  std::snprintf(errors->message, sizeof errors->message, "%s", message);
  png_longjmp(png, 1);
}

// Warnings (an unknown ancillary chunk, a harmless oddity) change nothing we read or write.
void on_png_warning(png_structp, png_const_charp) {}

struct PngInput {
  const unsigned char* data;
  std::size_t size;
  std::size_t at;
};

void read_png_bytes(png_structp png, png_bytep out, png_size_t count) {
  auto* in = static_cast<PngInput*>(png_get_io_ptr(png));
  if (count > in->size - in->at) png_error(png, "the file is cut short");
  std::memcpy(out, in->data + in->at, count);
  in->at += count;
}

void write_png_bytes(png_structp png, png_bytep data, png_size_t count) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), count);
}

void flush_png_bytes(png_structp) {}  // the bytes go to memory: nothing to flush

// What a read delivers: 8-bit samples, `channels` of them a pixel (1 grey, 2 grey + alpha,
// 3 RGB, 4 RGBA), or always RGBA.
enum class PngSamples { as_stored, rgba };

struct PngHeader {
  png_uint_32 width = 0, height = 0;
  int channels = 0;
  std::size_t row_bytes = 0;
};

// Reads the header and sets the transformations to 8-bit samples. False: see the errors.
bool png_read_header(png_structp png, png_infop info, PngSamples samples, PngHeader* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_user_limits(png, 65535, 65535);
  // A damaged ancillary chunk is refused like a critical one: a scan is read whole or not at all.
  png_set_crc_action(png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
  png_read_info(png, info);
  const int colour = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  if (samples == PngSamples::rgba) {
    png_set_expand(png);  // palette to RGB, grey below 8 bits to 8, transparency to alpha
    if (colour == PNG_COLOR_TYPE_GRAY || colour == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (!(colour & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
      png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  } else {
    // A palette's transparency becomes alpha (composited on paper later); a grey or RGB
    // image's single transparent colour is ignored, as a scanner would.
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  }
  if (depth == 16) png_set_strip_16(png);  // the high byte, as 8-bit readers of a 16-bit scan expect
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  out->width = png_get_image_width(png, info);
  out->height = png_get_image_height(png, info);
  out->channels = png_get_channels(png, info);
  out->row_bytes = png_get_rowbytes(png, info);
  return true;
}

bool png_read_rows(png_structp png, png_infop info, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, info);
  return true;
}

bool png_write_all(png_structp png, png_infop info, png_uint_32 width, png_uint_32 height, int colour,
                   png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, width, height, 8, colour, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  // Unfiltered rows at zlib level 6: screenshots and pass images are written quickly, and
  // read by machines (tests, printers, QR readers) more than they are stored.
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level(png, 6);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

class PngReader {
 public:
  explicit PngReader(const std::string& name) : name_(name) {
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors_, on_png_error, on_png_warning);
    if (png_) info_ = png_create_info_struct(png_);
    if (!png_ || !info_) {
      png_destroy_read_struct(&png_, &info_, nullptr);
      fail(name_, "libpng could not start");
    }
  }
  ~PngReader() { png_destroy_read_struct(&png_, &info_, nullptr); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  // The decoded samples, rows top first, `header().row_bytes` apart.
  std::vector<unsigned char> read(const std::string& bytes, PngSamples samples) {
    input_ = {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), 0};
    png_set_read_fn(png_, &input_, read_png_bytes);
    if (!png_read_header(png_, info_, samples, &header_)) damaged();
    if (std::uint64_t{header_.width} * header_.height > max_pixels)
      fail(name_, "unsupported size " + std::to_string(header_.width) + "x" + std::to_string(header_.height));
    std::vector<unsigned char> pixels(header_.row_bytes * header_.height);
    std::vector<png_bytep> rows(header_.height);
    for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = pixels.data() + y * header_.row_bytes;
    if (!png_read_rows(png_, info_, rows.data())) damaged();
    return pixels;
  }
  const PngHeader& header() const { return header_; }

 private:
  [[noreturn]] void damaged() const { fail(name_, std::string("not a readable PNG (") + errors_.message + ")"); }

  std::string name_;
  PngErrors errors_;
  PngInput input_{};
  PngHeader header_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

std::string encode_png_rows(std::uint32_t width, std::uint32_t height, int colour, const std::uint8_t* pixels,
                            std::size_t row_bytes) {
  PngErrors errors;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors, on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  std::string out;
  std::vector<png_bytep> rows(height);
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = const_cast<png_bytep>(pixels + y * row_bytes);
  bool ok = false;
  if (png && info) {
    png_set_write_fn(png, &out, write_png_bytes, flush_png_bytes);
    ok = png_write_all(png, info, width, height, colour, rows.data());
  }
  png_destroy_write_struct(&png, &info);
  if (!ok) throw ImageError(std::string("PNG could not be made: ") + (errors.message[0] ? errors.message : "libpng could not start"));
  return out;
}

Frame decode_png(const std::string& bytes, const std::string& name) {
  PngReader reader(name);
  const auto pixels = reader.read(bytes, PngSamples::as_stored);
  const auto& h = reader.header();
  Frame frame = make_frame(name, h.width, h.height);
  const auto channels = static_cast<std::size_t>(h.channels);
  // Colour to luminance (BT.601 weights in 1/1024), transparency composited on white paper.
  auto luminance = [](unsigned r, unsigned g, unsigned b) { return (306 * r + 601 * g + 117 * b + 512) >> 10; };
  auto on_white = [](unsigned lum, unsigned alpha) { return (lum * alpha + 255u * (255u - alpha) + 127u) / 255u; };
  for (std::size_t y = 0; y < h.height; ++y) {
    const unsigned char* line = pixels.data() + y * h.row_bytes;
    std::uint8_t* out = frame.luma.data() + y * h.width;
    for (std::size_t x = 0; x < h.width; ++x) {
      const unsigned char* p = line + x * channels;
      unsigned lum = 0;
      switch (channels) {
        case 1: lum = p[0]; break;
        case 2: lum = on_white(p[0], p[1]); break;
        case 3: lum = luminance(p[0], p[1], p[2]); break;
        default: lum = on_white(luminance(p[0], p[1], p[2]), p[3]); break;
      }
      out[x] = static_cast<std::uint8_t>(lum);
    }
  }
  return frame;
}

std::string read_bytes(const std::filesystem::path& path) {
  try {
    return read_file(path);
  } catch (const FileError&) {
    // To its callers an image file that cannot be read is one more image problem.
    fail(path.string(), "cannot be opened");
  }
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

Frame read_image(const std::filesystem::path& path) { return decode_image(read_bytes(path), path.string()); }

// ---- Writing -------------------------------------------------------------------------------

void write_pgm(const std::filesystem::path& path, const Frame& frame) {
  std::string bytes = "P5\n" + std::to_string(frame.width) + " " + std::to_string(frame.height) + "\n255\n";
  bytes.append(reinterpret_cast<const char*>(frame.luma.data()), frame.luma.size());
  write_all(path, bytes);
}

std::string encode_png(const Frame& frame) {
  if (frame.width <= 0 || frame.height <= 0 || frame.luma.size() != static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height))
    throw ImageError("PNG could not be made: the frame's size does not match its pixels");
  return encode_png_rows(static_cast<std::uint32_t>(frame.width), static_cast<std::uint32_t>(frame.height),
                         PNG_COLOR_TYPE_GRAY, frame.luma.data(), static_cast<std::size_t>(frame.width));
}

std::string encode_png(const RgbaImage& image) {
  const auto w = static_cast<std::size_t>(image.width), h = static_cast<std::size_t>(image.height);
  if (image.width <= 0 || image.height <= 0 || image.rgba.size() != w * h * 4)
    throw ImageError("PNG could not be made: the image's size does not match its pixels");
  return encode_png_rows(static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h), PNG_COLOR_TYPE_RGBA,
                         image.rgba.data(), w * 4);
}

void write_png(const std::filesystem::path& path, const RgbaImage& image) { write_all(path, encode_png(image)); }

RgbaImage decode_png_rgba(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), png_signature.data(), 8) != 0) fail(name, "not a PNG image");
  PngReader reader(name);
  RgbaImage image;
  image.rgba = reader.read(bytes, PngSamples::rgba);
  image.width = static_cast<int>(reader.header().width);
  image.height = static_cast<int>(reader.header().height);
  return image;
}

RgbaImage read_png_rgba(const std::filesystem::path& path) { return decode_png_rgba(read_bytes(path), path.string()); }

void write_png(const std::filesystem::path& path, const Frame& frame) { write_all(path, encode_png(frame)); }

}  // namespace allervers::platform
