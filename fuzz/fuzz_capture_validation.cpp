// A capture checked against the demo catalog (what the device does before storing, and the
// server before accepting a record).
#include <fstream>
#include <iterator>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/validation.hpp"
#include "harness.hpp"

using namespace allervers;

namespace {
const core::Catalog& demo_catalog() {
  static const core::Catalog catalog = [] {
    std::ifstream in(ALLERVERS_SOURCE_DIR "/assets/demo/catalog.json", std::ios::binary);
    return core::parse_catalog(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }();
  return catalog;
}
}  // namespace

ALLERVERS_FUZZ_TARGET(capture_validation) {
  static core::UuidGenerator ids(7);
  core::CaptureDefaults defaults;
  defaults.now = {1'790'000'000'000, 60};
  defaults.ids = &ids;
  const auto parsed = core::capture_from_json_text(fuzz::text_of(data, size), defaults);
  if (!parsed.capture) return 0;
  const auto result = core::validate(*parsed.capture, demo_catalog(), defaults.now);
  (void)core::describe(result.errors());
  return 0;
}
