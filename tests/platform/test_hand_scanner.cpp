#include <catch2/catch.hpp>

#include "allervers/platform/hand_scanner.hpp"

using namespace allervers::platform;

namespace {
// Types `text` starting at `start_ms`, one key every `gap_ms`, then Enter after `enter_gap_ms`.
std::optional<std::string> type(HandScannerDetector& detector, const std::string& text, std::int64_t start_ms,
                                std::int64_t gap_ms, std::int64_t enter_gap_ms) {
  std::int64_t t = start_ms;
  for (char c : text) {
    detector.character(static_cast<char32_t>(c), t);
    t += gap_ms;
  }
  return detector.enter(t - gap_ms + enter_gap_ms);
}
const std::string pass = "AV1-0F4R7KQ2M9X3BDT6WZ1H8C5NVG0PSEY2J7A4K9M3QX6TB1RDW8ZH5C0NGV7PS2EY4JA9K3M6QXT1BRD8WZ5H0CNG7VP2SEY4JA9K3M6QXT1BRD8WZ5H0CNG7VP2SEY4J";
}  // namespace

TEST_CASE("a burst typed at scanner speed is a scan") {
  HandScannerDetector detector;
  CHECK(type(detector, pass, 1000, 4, 4) == pass);
  // Bluetooth scanners are slower and less regular, still well under the limit.
  CHECK(type(detector, pass, 5000, 18, 25) == pass);
  // Straight after one scan, another one.
  CHECK(type(detector, "AV1-SECONDCODE", 6000, 2, 2) == "AV1-SECONDCODE");
}

TEST_CASE("a person typing is not a scan") {
  HandScannerDetector detector;
  CHECK_FALSE(type(detector, "bonjour madame", 0, 140, 200));
  // Even a fast typist (70 ms between keys).
  CHECK_FALSE(type(detector, "AV1-0F4R7KQ2M9X3", 10'000, 70, 90));
  // A fast burst that is too short: a person hitting keys at once, or a key repeat.
  CHECK_FALSE(type(detector, "qsd", 20'000, 3, 3));
  // A burst whose Enter came much later: the person pressed Enter, not the scanner.
  CHECK_FALSE(type(detector, pass, 30'000, 4, 800));
}

TEST_CASE("keys typed slowly before a scan do not stick to it") {
  HandScannerDetector detector;
  detector.character(U'x', 0);
  detector.character(U'y', 300);
  CHECK(type(detector, pass, 2000, 5, 5) == pass);
  // A pause in the middle of a burst splits it: the tail alone is a scan only if long enough.
  for (char c : std::string("AV1-ABCD")) detector.character(static_cast<char32_t>(c), 3000);
  CHECK(type(detector, "EFG", 3200, 5, 5) == std::nullopt);
}

TEST_CASE("characters outside ASCII are kept as UTF-8 and an endless burst is dropped") {
  HandScannerDetector detector;
  CHECK(type(detector, "", 0, 1, 1) == std::nullopt);
  for (char32_t c : std::u32string(U"Assemblée·Nord")) detector.character(c, 100);
  CHECK(detector.enter(101) == "Assemblée·Nord");

  HandScannerDetector small({30, 8, 16});
  CHECK_FALSE(type(small, std::string(40, 'A'), 0, 1, 1));
  CHECK(type(small, std::string(12, 'B'), 100, 1, 1) == std::string(12, 'B'));
}

TEST_CASE("a US-layout scanner on an AZERTY kiosk can be undone") {
  // What the kiosk receives when a US-layout scanner reads "AV1-0F4R7KQ2M9X3-WZ":
  // letters A/Q and W/Z swapped, M on the "?" key, digits unshifted, '-' on ')'.
  const std::string typed = "QV&)àF'R\xC3\xA8KAé?çX\")ZW";
  CHECK(undo_us_scanner_on_azerty(typed) == "AV1-0F4R7KQ2M9X3-WZ");
  // A URL (lower case, '.', ':' and '/').
  CHECK(undo_us_scanner_on_azerty("httpsM!!ville:fr") == "https:/" "/ville.fr");
}
