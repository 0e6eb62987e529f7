#include "allervers/platform/qr.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <stdexcept>

namespace allervers::platform {

QrMatrix encode_qr(std::string_view text, QrErrorCorrection correction) {
  // ZXing's QR levels 0..8: 1-2 L, 3-4 M, 5-6 Q, 7-8 H.
  int level = 6;
  switch (correction) {
    case QrErrorCorrection::low: level = 1; break;
    case QrErrorCorrection::medium: level = 3; break;
    case QrErrorCorrection::quartile: level = 5; break;
    case QrErrorCorrection::high: level = 7; break;
  }
  ZXing::BitMatrix bits;
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setEccLevel(level).setMargin(0);
    // Plain ASCII needs no ECI header (which would cost 12 bits and, in ZXing, the compact
    // alphanumeric mode); anything else is declared UTF-8 so phones read accents right.
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii) writer.setEncoding(ZXing::CharacterSet::UTF8);
    bits = writer.encode(std::string(text), 0, 0);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("text does not fit a QR code: ") + e.what());
  }
  QrMatrix matrix;
  matrix.size = bits.width();
  matrix.dark.resize(static_cast<std::size_t>(matrix.size * matrix.size));
  for (int y = 0; y < matrix.size; ++y)
    for (int x = 0; x < matrix.size; ++x) matrix.dark[static_cast<std::size_t>(y * matrix.size + x)] = bits.get(x, y);
  return matrix;
}

Frame render_qr(const QrMatrix& matrix, int module_px, int quiet_modules) {
  Frame frame;
  frame.width = frame.height = (matrix.size + 2 * quiet_modules) * module_px;
  frame.luma.assign(static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height), 255);
  for (int y = 0; y < frame.height; ++y) {
    const int my = y / module_px - quiet_modules;
    if (my < 0 || my >= matrix.size) continue;
    for (int x = 0; x < frame.width; ++x) {
      const int mx = x / module_px - quiet_modules;
      if (mx >= 0 && mx < matrix.size && matrix.at(mx, my))
        frame.luma[static_cast<std::size_t>(y) * static_cast<std::size_t>(frame.width) + static_cast<std::size_t>(x)] = 0;
    }
  }
  frame.captured_at = std::chrono::steady_clock::now();
  return frame;
}

std::string render_qr_text(const QrMatrix& matrix, int quiet_modules) {
  const int size = matrix.size + 2 * quiet_modules;
  auto dark = [&](int x, int y) {
    const int mx = x - quiet_modules, my = y - quiet_modules;
    return mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.at(mx, my);
  };
  std::string out;
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top = dark(x, y);
      const bool bottom = y + 1 < size && dark(x, y + 1);
      if (!top && !bottom) out += "\u2588";
      else if (!top) out += "\u2580";
      else if (!bottom) out += "\u2584";
      else out += " ";
    }
    out += "\n";
  }
  return out;
}

namespace {

std::vector<DecodedCode> read(const ZXing::ImageView& image, ZXing::DecodeHints hints, int dx = 0, int dy = 0) {
  std::vector<DecodedCode> found;
  for (const auto& result : ZXing::ReadBarcodes(image, hints)) {
    if (!result.isValid()) continue;
    DecodedCode code;
    const auto& bytes = result.bytes();
    code.text.assign(bytes.begin(), bytes.end());
    std::size_t corner = 0;
    for (const auto& point : result.position()) code.corners[corner++] = {point.x + dx, point.y + dy};
    found.push_back(std::move(code));
  }
  return found;
}

}  // namespace

namespace {
bool usable(const Frame& frame) {
  return frame.width > 0 && frame.height > 0 &&
         frame.luma.size() >= static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height);
}
}  // namespace

std::vector<DecodedCode> QrDecoder::decode(const Frame& frame, std::uint64_t attempt) const {
  std::vector<DecodedCode> found;
  if (!usable(frame)) return found;
  const ZXing::ImageView image(frame.luma.data(), frame.width, frame.height, ZXing::ImageFormat::Lum);
  found = decode_view(image, attempt, 0, 0);
  return found;
}

std::vector<DecodedCode> QrDecoder::decode_view(const ZXing::ImageView& image, std::uint64_t attempt, int dx,
                                                int dy) const {
  std::vector<DecodedCode> found;
  const auto hints = ZXing::DecodeHints()
                         .setFormats(ZXing::BarcodeFormat::QRCode)
                         .setTryHarder(options_.try_harder)
                         .setTryRotate(false)  // QR finder patterns are found at any angle
                         .setTryDownscale(options_.downscale_from > 0)
                         .setDownscaleThreshold(static_cast<std::uint16_t>(options_.downscale_from > 0 ? options_.downscale_from : 0xFFFF))
                         .setDownscaleFactor(2)
                         .setMaxNumberOfSymbols(static_cast<std::uint8_t>(std::clamp(options_.max_codes, 1, 255)));
  const bool global_first = attempt % 2 == 1;
  auto hints_for = [&](bool global) {
    return ZXing::DecodeHints(hints).setBinarizer(global ? ZXing::Binarizer::GlobalHistogram
                                                         : ZXing::Binarizer::LocalAverage);
  };
  found = read(image, hints_for(global_first), dx, dy);
  if (found.empty() && options_.both_binarizers) found = read(image, hints_for(!global_first), dx, dy);
  return found;
}

std::vector<DecodedCode> QrDecoder::decode_all(const Frame& frame) const {
  std::vector<DecodedCode> found;
  if (!usable(frame)) return found;
  const ZXing::ImageView image(frame.luma.data(), frame.width, frame.height, ZXing::ImageFormat::Lum);
  auto merge = [&](std::vector<DecodedCode> codes) {
    for (auto& code : codes)
      if (std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.text == code.text; }))
        found.push_back(std::move(code));
  };
  merge(decode_view(image, 0, 0, 0));
  const int shortest = std::min(frame.width, frame.height);
  for (int tile : {shortest / 2, shortest / 4}) {
    if (tile < 120) break;  // smaller tiles would hold no readable code
    const int stride = tile / 2;
    for (int y = 0; y < frame.height - stride; y += stride)
      for (int x = 0; x < frame.width - stride; x += stride)
        merge(decode_view(image.cropped(x, y, tile, tile), 0, x, y));
  }
  // Reading order: by rows of codes, then left to right.
  auto centre = [](const DecodedCode& c) {
    Point p;
    for (const auto& corner : c.corners) p.x += corner.x / 4, p.y += corner.y / 4;
    return p;
  };
  const int row = std::max(1, shortest / 16);
  std::stable_sort(found.begin(), found.end(), [&](const DecodedCode& a, const DecodedCode& b) {
    const Point pa = centre(a), pb = centre(b);
    return pa.y / row != pb.y / row ? pa.y < pb.y : pa.x < pb.x;
  });
  return found;
}

}  // namespace allervers::platform
