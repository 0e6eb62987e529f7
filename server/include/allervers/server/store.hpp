#pragma once
// The server's database, behind one interface with two backends: SQLite (one town, one
// file) and PostgreSQL (a territory; several servers may share one database). The server
// keeps no state outside it. One ServerStore is one connection: use it from one thread.
//
// Sections: rows · the interface · opening.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "allervers/core/uuid.hpp"

namespace allervers::server {

// --- rows ------------------------------------------------------------------------------

// A capture as the server keeps it: the canonical JSON (contact still sealed) plus the
// columns the office filters on, the device's time and the time corrected by the measured
// clock offset.
struct CaptureRow {
  std::string id;  // canonical UUID text
  std::string device;
  std::int64_t seq = 0;
  std::string kind, consultation;
  std::int32_t version = 0;
  std::string channel, language;
  std::int64_t captured_ms = 0;         // the device's clock
  std::int32_t captured_offset_min = 0;  // the device's UTC offset
  std::int64_t corrected_ms = 0;        // captured_ms + the device's measured clock offset
  std::int64_t received_ms = 0;
  std::string batch;
  std::string body;  // canonical capture JSON
};

// A record refused for its content: kept so the office sees what a device sent.
struct RejectionRow {
  std::string device;
  std::int64_t seq = 0;
  std::string id;  // as sent (may be unreadable)
  std::string code, reason;
  std::string body;  // the record as sent, cut to a bounded size
  std::int64_t at_ms = 0;
};

// A record set aside: refused for its content ("rejected") or sent under an id already held
// with other content ("conflict"). What the office reviews.
struct RefusedRow {
  std::string kind;  // "rejected" or "conflict"
  std::string device;
  std::int64_t seq = 0;
  std::string id, code, reason;
  std::string body;  // the record as sent
  std::int64_t at_ms = 0;
};

enum class InsertOutcome { inserted, duplicate, conflict };

// One batch's writes, done in one transaction: captures inserted keyed by id (an id already
// held is a duplicate when its body is equal, a conflict otherwise: the first is kept and
// the conflict is logged), rejections logged, the device's last-seen fields updated.
struct IngestBatch {
  std::string device;
  std::string batch;
  std::int64_t received_ms = 0;
  std::optional<std::int64_t> clock_offset_ms;
  std::optional<std::int64_t> pending_after;  // from devices; absent for bundles
  bool from_device = false;                   // over the network: also the device's last-seen time
  std::vector<CaptureRow> captures;
  std::vector<RejectionRow> rejections;
};

struct DeviceRow {
  std::string id;
  std::string name;
  bool revoked = false;
};

struct DeviceSummary {
  std::string id, name;
  bool revoked = false;
  std::int64_t enrolled_ms = 0;
  std::optional<std::int64_t> last_seen_ms, last_batch_ms;
  std::optional<std::int64_t> clock_offset_ms;
  std::int64_t records_held = 0;      // captures from it on the server
  std::int64_t rejected = 0;          // records refused for their content
  std::int64_t max_seq = 0;           // highest sequence number received
  std::int64_t gaps = 0;              // sequence numbers below max_seq never received
  std::optional<std::int64_t> pending_on_device;  // what it said it still held at its last batch
};

enum class EnrolOutcome { enrolled, unknown_code, expired, already_used, device_taken };
struct EnrolResult {
  EnrolOutcome outcome;
  std::string name;  // the name the device was given
};

struct CatalogDocument {
  std::int64_t id = 0;
  std::string json;
  std::int64_t published_ms = 0;
};

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --- the interface ---------------------------------------------------------------------

class ServerStore {
 public:
  virtual ~ServerStore() = default;
  virtual const char* backend() const = 0;  // "sqlite" or "postgresql"

  // Creates or upgrades the schema (numbered steps, one transaction each).
  virtual void migrate() = 0;

  // enrolment and devices
  virtual void add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms,
                              std::int64_t now_ms) = 0;
  virtual EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                            const std::string& token_hash, std::int64_t now_ms) = 0;
  virtual std::optional<DeviceRow> device_by_token(const std::string& token_hash) = 0;
  virtual void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> clock_offset_ms) = 0;
  // By id or exact name; false when no such device.
  virtual bool revoke_device(const std::string& id_or_name, std::int64_t now_ms) = 0;
  virtual std::vector<DeviceSummary> list_devices() = 0;

  // captures
  virtual std::vector<InsertOutcome> ingest(const IngestBatch& batch) = 0;
  virtual std::int64_t capture_count() = 0;
  virtual void for_each_capture(const std::function<void(const CaptureRow&)>& visit) = 0;
  virtual std::int64_t conflict_count() = 0;
  virtual void for_each_refused(const std::function<void(const RefusedRow&)>& visit) = 0;

  // catalog: published documents in order; the server merges them
  virtual std::int64_t add_catalog(const std::string& json, std::int64_t now_ms) = 0;
  virtual std::int64_t latest_catalog_id() = 0;
  virtual std::vector<CatalogDocument> catalogs() = 0;
};

// --- opening ---------------------------------------------------------------------------

// "sqlite:PATH" (or a bare path) or "postgresql://…" / "postgres://…". Migrates on open.
std::unique_ptr<ServerStore> open_store(const std::string& url);
std::unique_ptr<ServerStore> open_sqlite_store(const std::string& path);
std::unique_ptr<ServerStore> open_postgres_store(const std::string& conninfo);

}  // namespace allervers::server
