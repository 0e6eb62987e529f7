#pragma once
// A USB or Bluetooth hand scanner is a keyboard that types the whole code in a burst and
// presses Enter. Telling it from a person is a matter of timing: a scanner's keystrokes
// arrive a few milliseconds apart, a person's (even a fast typist's) rarely under 50 ms.
// Pure logic: the caller passes each key with its event timestamp, so it is tested without
// a keyboard and the sign-in screen needs no focused field to receive a scan.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace allervers::platform {

struct HandScannerOptions {
  // Longest gap between two keystrokes of one scan. USB scanners type every 1–10 ms; some
  // Bluetooth ones up to ~20 ms; people rarely under 60 ms.
  std::int64_t max_gap_ms = 30;
  // Shortest code we accept as a scan: a pass is 123+ characters, an enrolment code longer;
  // a short burst is a person mashing keys.
  std::size_t min_length = 8;
  // A code longer than this is not ours: the burst is dropped rather than grown without end.
  std::size_t max_length = 4096;
};

class HandScannerDetector {
 public:
  explicit HandScannerDetector(HandScannerOptions options = {}) : options_(options) {}

  // A character arrived (text input: already mapped by the keyboard layout), at `at_ms`
  // on a monotonic clock (SDL's event timestamp).
  void character(char32_t c, std::int64_t at_ms);
  // Enter (or Tab, for scanners set up that way) arrived: the burst, if it was a scan.
  std::optional<std::string> enter(std::int64_t at_ms);
  // Drops a partial burst; the screen calls it when leaving.
  void reset();

 private:
  HandScannerOptions options_;
  std::string burst_;
  std::int64_t last_ms_ = 0;
  bool overflow_ = false;
};

// A scanner left in its factory US layout, plugged into a French (AZERTY) kiosk, sends the
// keys of a US keyboard, which the kiosk reads as AZERTY: "AV1-" arrives as "QV&)". This
// undoes that for the characters our codes use (digits, letters, '-', '.', ':', '/'), so a
// sign-in screen can try it when a scan is refused as wrong_prefix. The real fix is to
// configure the scanner for AZERTY (one setup barcode in its manual).
std::string undo_us_scanner_on_azerty(std::string_view typed);

}  // namespace allervers::platform
