#pragma once
// A kiosk's own bursts (issue 13): many captures in a short time from one unattended kiosk
// (somebody tapping through the survey again and again) are flagged `burst_device` in
// capture_flags at ingest, as the public pages flag an address's bursts (`burst_address`):
// kept and counted, shown in the console's count of flagged captures. Judged by the capture
// times the kiosk recorded (corrected for its clock), so a kiosk that syncs a day's captures
// at once is not flagged for syncing late.
#include <cstdint>
#include <vector>

#include "allervers/server/store.hpp"

namespace allervers::server {

namespace kiosk_limits {
inline constexpr std::int64_t burst_window_ms = 10LL * 60 * 1000;  // as the public pages' window
// A survey at a kiosk takes a minute or two: more than 10 opinions or ideas in 10 minutes is
// not a queue of residents but one person (or a script) tapping. Flagged from the 11th.
inline constexpr std::int64_t burst_count = 10;
}  // namespace kiosk_limits

// After `store.ingest(batch)`: flags the kiosk captures just inserted that come within a
// burst. Returns how many were flagged.
std::int64_t flag_kiosk_bursts(CaptureStore& store, const IngestBatch& batch, const std::vector<InsertOutcome>& outcomes, std::int64_t now_ms);

}  // namespace allervers::server
