#pragma once
// The device's sync client: enrolment, then passes of "download the catalog if it changed,
// upload the outbox in batches until it is empty or the server is out of reach".
// Delivery is at-least-once: a record leaves the outbox only when the server answered for it
// (accepted or duplicate: acked; rejected: kept with its reason, never sent again).
//
// Sections: settings keys · options · reports · the client · bundles.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "allervers/core/settings.hpp"
#include "allervers/core/time.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::sync {

// --- options ---------------------------------------------------------------------------
struct SyncProgress {
  std::int64_t sent = 0, accepted = 0, duplicates = 0, rejected = 0;
  std::int64_t pending = 0;  // still in the outbox
};

struct SyncOptions {
  std::size_t batch_records = tuning::batch_records;
  std::size_t batch_bytes = tuning::batch_bytes;
  std::chrono::milliseconds connect_timeout = tuning::connect_timeout;
  std::chrono::milliseconds request_timeout = tuning::request_timeout;
  std::chrono::milliseconds backoff_initial = tuning::backoff_initial;
  std::chrono::milliseconds backoff_max = tuning::backoff_max;
  int attempts_per_pass = tuning::attempts_per_pass;
  bool gzip = true;
  std::string ca_file;  // overrides the sync.ca_file setting when set
  // --insecure-http: enrol with (or sync to) a plain http:// server that is not this machine.
  // Kept as the sync.insecure_http setting at enrolment, so later syncs need not repeat it.
  bool allow_insecure_http = false;
  std::function<void(const SyncProgress&)> progress;  // after each batch
  const std::atomic<bool>* cancel = nullptr;          // set: stop now (a transfer under way or a retry wait)
};

// --- reports ---------------------------------------------------------------------------
enum class SyncFailure {
  none,
  not_enrolled,  // no server or token: enrol first
  unreachable,   // network, timeouts, 5xx: try again later
  refused,       // 401/403: token unknown or device revoked
  protocol,      // the server answered something this client cannot use
  storage,       // the device database failed
  cancelled,
};
const char* to_string(SyncFailure failure);

struct SyncReport {
  SyncFailure failure = SyncFailure::none;
  std::string error;  // a sentence for people when failure != none
  bool catalog_updated = false;
  bool passes_updated = false;       // new town key, certificates or revocations stored
  bool certificate_renewed = false;  // this device got a new key and certificate
  bool outcomes_updated = false;     // new outcomes of ideas and ballots stored (sync/outcomes.hpp)
  bool wiped = false;                // revoked: the token, keys and sealed contacts were erased
  int batches = 0;
  int retries = 0;
  std::int64_t accepted = 0, duplicates = 0, rejected = 0;
  std::int64_t pending_left = 0;
  // Media files (pictures, pictograms) the catalog names: kept this pass, refused this pass
  // (bytes not those of their name, or not an image within bounds: never kept, never shown,
  // asked for again next pass), still missing after it. `media_problems`: one line per refusal.
  std::int64_t media_fetched = 0, media_refused = 0, media_missing = 0;
  std::vector<std::string> media_problems;
  std::int64_t bytes_sent = 0, bytes_received = 0;  // on the wire (headers included)
  std::optional<std::int64_t> clock_offset_ms;
  bool ok() const { return failure == SyncFailure::none; }
};

// Enrolment failures (unknown/expired/used code, unreachable server): what() is a sentence.
class SyncError : public std::runtime_error {
 public:
  SyncError(SyncFailure failure, const std::string& message) : std::runtime_error(message), failure_(failure) {}
  SyncFailure failure() const { return failure_; }

 private:
  SyncFailure failure_;
};

// --- the client ------------------------------------------------------------------------
class SyncClient {
 public:
  SyncClient(storage::DeviceStore& store, const core::Clock& clock, SyncOptions options = {});
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // Exchanges a one-time code for this device's token; keeps the URL and token in settings.
  // Makes the device's own pass-issuing key and keeps it with the certificate the server
  // signs for it, the town's public key and the office's key (docs/passes.md).
  protocol::EnrolResponse enrol(const std::string& server_url, const std::string& code);
  // One pass: clock offset, catalog (if changed), a device certificate when this device has
  // none valid for a while, pass keys (if changed), then the outbox until empty or failure,
  // then the media files the catalog names that this device does not hold yet.
  SyncReport sync();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- bundles ---------------------------------------------------------------------------
// Writes every pending capture to `out` (offline hand-over), sealed for the office key and
// signed with the device's certified key (unsigned when the device erased its keys after a
// revocation): protocol.hpp, "bundles". The records stay pending: once the server has imported
// the bundle, the next sync acknowledges them as duplicates. Throws when the device has no
// office key (never enrolled).
std::int64_t export_bundle(storage::DeviceStore& store, std::ostream& out, const core::Instant& now);

}  // namespace allervers::sync
