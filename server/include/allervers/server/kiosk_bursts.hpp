#pragma once
// A kiosk's own bursts (issue 13): many captures in a short time from one unattended kiosk
// (somebody tapping through the survey again and again) are flagged `burst_device` in
// capture_flags at ingest, as the public pages flag an address's bursts (`burst_address`):
// kept and counted, shown in the console's count of flagged captures. Judged by the capture
// times the kiosk recorded (corrected for its clock), so a kiosk that syncs a day's captures
// at once is not flagged for syncing late.
#include <cstdint>

#include "allervers/server/store.hpp"

namespace allervers::server {

namespace kiosk_limits {
inline constexpr std::int64_t burst_window_ms = 10LL * 60 * 1000;  // as the public pages' window
// A survey at a kiosk takes a minute or two: more than 10 opinions or ideas in 10 minutes is
// not a queue of residents but one person (or a script) tapping. Flagged from the 11th.
inline constexpr std::int64_t burst_count = 10;
}  // namespace kiosk_limits

// The kiosk's rule, set on every batch ingested (devices' and bundles'): the store judges it
// in the batch's transaction (CaptureStore::ingest, BurstRule).
inline BurstRule kiosk_burst_rule() { return {kiosk_limits::burst_window_ms, kiosk_limits::burst_count, "burst_device"}; }

}  // namespace allervers::server
