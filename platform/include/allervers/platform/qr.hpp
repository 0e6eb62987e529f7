#pragma once
// QR codes: making them (passes shown full screen or printed, "go online" codes, test images)
// and reading them from frames with ZXing-cpp. The decode worker lives in decode_worker.hpp.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/platform/frame.hpp"

namespace ZXing {
class ImageView;
}

namespace allervers::platform {

// ---- Making --------------------------------------------------------------------------------

enum class QrErrorCorrection { low, medium, quartile, high };  // 7, 15, 25, 30 % recoverable

// The modules of a QR code, without quiet zone: draw them as squares at any size.
struct QrMatrix {
  int size = 0;             // modules per side
  std::vector<bool> dark;   // size * size, row-major
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Throws std::invalid_argument when the text does not fit a QR code.
QrMatrix encode_qr(std::string_view text, QrErrorCorrection correction = QrErrorCorrection::quartile);

// The code as an image: `module_px` pixels a module, a quiet zone of `quiet_modules`.
Frame render_qr(const QrMatrix& matrix, int module_px, int quiet_modules = 4);

// The code as text for a terminal: Unicode half blocks, two module rows a line, light modules
// drawn and dark ones left blank (it reads on a dark terminal), with a quiet zone.
std::string render_qr_text(const QrMatrix& matrix, int quiet_modules = 2);

// ---- Reading -------------------------------------------------------------------------------

struct Point {
  int x = 0;
  int y = 0;
};

struct DecodedCode {
  std::string text;              // the code's bytes as they were encoded (not re-encoded)
  std::array<Point, 4> corners;  // where it is in the frame: for the preview's highlight
};

struct DecodeOptions {
  // Slower but finds small, blurred or tilted codes; off by default to keep a 720p frame
  // under 10 ms (docs/benchmarks.md), on for check-pass on still images.
  bool try_harder = false;
  // Decode a half-size copy first when the frame is at least this tall (0: never).
  int downscale_from = 0;
  // ZXing's local-average binarizer reads shadows and glare; the global-histogram one reads
  // low-contrast prints it misses. decode() uses the first unless told `attempt` is odd;
  // with this set, it tries the second whenever the first finds nothing (still images).
  bool both_binarizers = false;
  // How many codes one frame may hold: a kiosk camera sees one or two, a printed sheet eight.
  int max_codes = 4;
};

class QrDecoder {
 public:
  explicit QrDecoder(DecodeOptions options = {}) : options_(options) {}
  // Every QR code in the frame that decodes with valid error correction; nothing else.
  // `attempt` alternates the binarizer between a camera's successive frames.
  std::vector<DecodedCode> decode(const Frame& frame, std::uint64_t attempt = 0) const;
  // For still images holding many codes (a printed sheet): ZXing finds only some of a
  // sheet's codes at once, so this also reads overlapping tiles (every code up to half the
  // tile side lies wholly in one) and merges what it finds, each code once.
  std::vector<DecodedCode> decode_all(const Frame& frame) const;

 private:
  std::vector<DecodedCode> decode_view(const ZXing::ImageView& image, std::uint64_t attempt, int dx, int dy) const;
  DecodeOptions options_;
};

}  // namespace allervers::platform
