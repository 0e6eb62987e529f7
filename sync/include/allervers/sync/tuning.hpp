#pragma once
// Every sync knob in one place, each with its reason. The client and the server both read
// these; a test may override the client's through SyncOptions, never by editing here.
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace allervers::sync::tuning {

using namespace std::chrono_literals;

// --- batches -------------------------------------------------------------------------
// Records per batch sent by a device: 1,000 opinions are ~0.5 MB of JSON, ~60 KB gzipped:
// one round trip amortises TLS and commit cost, and a lost batch costs little to resend.
inline constexpr std::size_t batch_records = 1000;
// Uncompressed JSON per batch sent by a device: keeps a batch of photo-less ideas (4 KB
// each at most) under the server's limit below with room to spare.
inline constexpr std::size_t batch_bytes = 2 * 1024 * 1024;
// The most records the server accepts in one batch: 5x what devices send, so a newer
// client with bigger batches still works, while one request cannot hold a transaction long.
inline constexpr std::size_t server_max_records = 5000;
// The largest decompressed batch body the server reads (413 beyond): 5000 records of the
// 64 KiB capture maximum would be 320 MB; real batches are ~1 KB a record, so 16 MB is ample
// and bounds memory per request (a gzip bomb stops here).
inline constexpr std::size_t server_max_body_bytes = 16 * 1024 * 1024;
// The largest body on the wire (compressed or not) the HTTP layer reads at all.
inline constexpr std::size_t server_max_wire_bytes = 16 * 1024 * 1024;
// A smaller request (enrolment) never needs more than this.
inline constexpr std::size_t server_max_small_body_bytes = 16 * 1024;
// How stale a device's "last seen" on the server may be. Each GET of a sync pass (catalog, pass
// keys, outcomes) would otherwise commit an UPDATE of the device's row: with 1,000 devices syncing
// every five seconds, 600 fsynced commits a second on SQLite's one writer, for a time the devices
// page shows to the minute. The batch's own transaction still records its arrival exactly.
inline constexpr std::chrono::milliseconds server_device_seen_resolution = 30s;
// Compress batches larger than this: below it, gzip's header costs more than it saves.
inline constexpr std::size_t gzip_min_bytes = 1024;
// zlib level 6 (zlib's default): within 5% of level 9's size at a third of the CPU.
inline constexpr int gzip_level = 6;
// The documents a server sends every device (catalog, pass keys, outcomes) are compressed once
// each time they change, for every device that asks: level 4 takes 45 ms for 5 MB of outcomes
// (42,000 ideas) to 18% of their size, where level 6 takes 85 ms for 17%.
inline constexpr int response_gzip_level = 4;
// The largest document a device takes (catalog, pass keys, outcomes), once decompressed: 13x
// the outcomes of 42,000 ideas and 100,000 ballots. Past it the answer is abandoned, so a
// hostile server's gzip bomb costs the device 64 MiB at most.
inline constexpr std::size_t document_max_bytes = 64 * 1024 * 1024;

// --- timeouts ------------------------------------------------------------------------
// Connecting on a town's Wi-Fi or 4G takes well under a second; 10 s means "not reachable".
inline constexpr auto connect_timeout = 10s;
// A whole request (upload + commit + answer): a 2 MB batch over a slow 3G uplink
// (~250 kbit/s) takes ~65 s before gzip; 120 s leaves margin without hanging forever.
inline constexpr auto request_timeout = 120s;
// The server's own deadlines for slow and idle clients: server/.../http_tuning.hpp.

// --- retry ---------------------------------------------------------------------------
// First wait after a transient failure (timeout, connection refused, 5xx, 429).
inline constexpr auto backoff_initial = 1s;
// Doubling stops here: a device that waits longer than 5 min between tries in the field
// loses the short windows of connectivity it gets (a café's Wi-Fi, the town hall's).
inline constexpr auto backoff_max = 5min;
inline constexpr double backoff_factor = 2.0;
// Full jitter (wait uniformly in [0, delay]): 50 tablets back on the network at 9:00
// must not all retry in the same second.
inline constexpr bool backoff_full_jitter = true;
// Transient failures in a row after which one `sync` pass gives up (the background loop
// tries again later): ~1+2+4+8+16 s on average halved by jitter, well under a minute.
inline constexpr int attempts_per_pass = 6;

// --- background loop -----------------------------------------------------------------
// With nothing new, the background sync still checks in this often (catalog updates,
// last-seen on the coordinator's list).
inline constexpr auto background_interval = 5min;
// After a capture, wait this long for more before syncing: a resident's session often makes
// several captures within seconds, one batch is cheaper than several.
inline constexpr auto background_settle = 3s;

// --- enrolment -----------------------------------------------------------------------
// An enrolment code is for a coordinator standing next to the tablet: valid for one day.
inline constexpr auto enrol_code_lifetime = 24h;
// The longest `enrol-code --hours`: a code made for a tablet being delivered next month is
// already a risk on a sheet of paper; longer is a typo (1e9 hours).
inline constexpr auto enrol_code_max_lifetime = std::chrono::hours(24 * 31);
// Bytes of randomness of a device token (256 bits: not guessable, so a fast hash suffices).
inline constexpr std::size_t token_bytes = 32;
// Refused enrolments (unknown, used, expired code, an id taken) one client address may make in
// a row before it is answered 429 without a look at its code: a person mistyping a code tries
// a few times; 80-bit codes are not guessable anyway, but 3,400 guesses a second fill logs and
// the database. Then each further refusal doubles the wait, from a minute to a quarter of an
// hour; a refusal a quarter of an hour after the previous one starts the count again. The
// server's throttle area (store/throttle.hpp) counts them, as it does the console's logins.
inline constexpr int enrol_failures_allowed = 10;
inline constexpr auto enrol_first_wait = 1min;
inline constexpr auto enrol_failure_window = 15min;

// --- what a batch may say ------------------------------------------------------------
// The highest sequence number a record may carry: a device making a capture every second
// for 30 years stays under 1e9; anything above is an attack on the gap count.
inline constexpr std::int64_t max_seq = 1'000'000'000;
// A batch's sent_at must fall from 1970-01-01 (a tablet whose clock was reset reads 1970:
// still accepted) to before 2200-01-01 (UTC); beyond, the clock offset estimated from it
// would push corrected times thousands of years away (an export read year -5947).
inline constexpr std::int64_t earliest_sent_at_ms = 0;
inline constexpr std::int64_t latest_sent_at_ms = 7'258'118'400'000;
// |clock_offset_ms| at most: the span of those dates (230 years); a clock further off than
// that is not a clock.
inline constexpr std::int64_t max_clock_offset_ms = latest_sent_at_ms - earliest_sent_at_ms;

// --- passes --------------------------------------------------------------------------
// How long a device certificate lets a device issue passes: a bit over a year, so a kiosk
// stored between two seasons of assemblies still issues; it renews at a sync long before.
inline constexpr auto device_certificate_lifetime = std::chrono::hours(24 * 400);
// A certificate starts this long before it is issued: a tablet whose clock is a few hours
// behind the server's can issue passes as soon as it is enrolled.
inline constexpr auto device_certificate_backdate = 24h;
// A device asks for a new certificate (of a new key) at a sync once less than this is left.
inline constexpr auto device_certificate_renew_before = std::chrono::hours(24 * 30);
// The largest `passes --count` run: 100 A4 pages, a print shop's batch; more in several runs.
inline constexpr int max_printed_passes = 800;
// Media files (pictures, pictograms: media.hpp) fetched in one pass at most: a catalog's few
// dozen in one go; a catalog naming thousands is fetched over several passes, captures first.
inline constexpr std::size_t media_per_pass = 200;
// The largest media file a device accepts (media::Limits' max_bytes): a longer answer is cut
// off as it arrives, never held whole.
inline constexpr std::size_t media_max_bytes = 2 * 1024 * 1024;

// --- how they hold together ----------------------------------------------------------
static_assert(batch_records <= server_max_records, "a device's full batch must be accepted by the server");
static_assert(batch_bytes < server_max_body_bytes, "a device's largest batch must fit the server's body limit");
static_assert(server_max_small_body_bytes < server_max_body_bytes);
static_assert(backoff_initial < backoff_max, "backoff grows from its first wait up to its ceiling");
static_assert(connect_timeout < request_timeout, "connecting is part of a request");
static_assert(device_certificate_renew_before < device_certificate_lifetime,
              "a device asks for a new certificate while its own is still valid");
}  // namespace allervers::sync::tuning
