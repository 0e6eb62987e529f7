#pragma once
// Captures as JSON: the line format of `allervers-device capture --file`, of `list --format
// jsonl`, and of records in sync batches (docs/capture-format.md).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/capture.hpp"
#include "allervers/core/validation.hpp"

namespace allervers::core {

// What a record may leave out, and what overrides it.
struct CaptureDefaults {
  Uuid device;                    // when not nil, the capture's device whatever the record says
  Instant now;                    // captured_at when the record has none
  Channel channel = Channel::other;
  std::string language = "fr";
  UuidGenerator* ids = nullptr;  // makes the id of a record without one; required then
};

struct ParsedCapture {
  std::optional<Capture> capture;
  std::vector<ValidationError> errors;  // shape errors (types, unknown keys); rules come later
  bool id_given = false;
};

ParsedCapture capture_from_json(const nlohmann::json& record, const CaptureDefaults& defaults);
ParsedCapture capture_from_json_text(std::string_view text, const CaptureDefaults& defaults);

nlohmann::json capture_to_json(const Capture& capture);
// Compact JSON with sorted keys: equal captures give equal bytes (used to tell a re-sent
// record from a different record under the same id).
std::string canonical_json(const Capture& capture);

}  // namespace allervers::core
