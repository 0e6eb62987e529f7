// One line of `allervers-device capture --file` (docs/capture-format.md): parsed, and when it
// is a capture, its canonical JSON must read back to the same capture.
#include "allervers/core/capture_json.hpp"
#include "harness.hpp"

using namespace allervers;

ALLERVERS_FUZZ_TARGET(capture_line) {
  static core::UuidGenerator ids(42);
  core::CaptureDefaults defaults;
  defaults.now = {1'790'000'000'000, 60};
  defaults.ids = &ids;
  const auto parsed = core::capture_from_json_text(fuzz::text_of(data, size), defaults);
  fuzz::require(parsed.capture || !parsed.errors.empty(), "neither a capture nor an error");
  if (!parsed.capture) return 0;
  const std::string once = core::canonical_json(*parsed.capture);
  const auto again = core::capture_from_json_text(once, defaults);
  fuzz::require(again.capture.has_value(), "a capture's canonical JSON does not read back");
  fuzz::require(core::canonical_json(*again.capture) == once, "a capture's canonical JSON reads back differently");
  return 0;
}
