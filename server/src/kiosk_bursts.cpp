// A kiosk's bursts flagged at ingest (kiosk_bursts.hpp).
#include "allervers/server/kiosk_bursts.hpp"

namespace allervers::server {

std::int64_t flag_kiosk_bursts(CaptureStore& store, const IngestBatch& batch, const std::vector<InsertOutcome>& outcomes, std::int64_t now_ms) {
  std::int64_t flagged = 0;
  for (std::size_t i = 0; i < outcomes.size() && i < batch.captures.size(); ++i) {
    const CaptureRow& c = batch.captures[i];
    if (outcomes[i] != InsertOutcome::inserted || c.channel != "kiosk" || (c.kind != "opinion" && c.kind != "idea")) continue;
    // This capture and those of the same kiosk within the window before it.
    const std::int64_t before = store.device_captures_between(c.device, "kiosk", c.corrected_ms - kiosk_limits::burst_window_ms, c.corrected_ms);
    if (before > kiosk_limits::burst_count) {
      store.add_capture_flag(c.id, "burst_device", now_ms);
      ++flagged;
    }
  }
  return flagged;
}

}  // namespace allervers::server
