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
  // Sign-ins only (empty otherwise): the assembly and the pass id ("" when signed in without one).
  std::string assembly, pass;
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
  std::optional<std::uint32_t> certificate_serial;  // when a certificate was asked for
  std::string certificate;                          // its text
};

struct CatalogDocument {
  std::int64_t id = 0;
  std::string json;
  std::int64_t published_ms = 0;
};

// A device certificate as issued: its serial, the device it names, its "AVC1-…" text.
struct CertificateRow {
  std::uint32_t serial = 0;
  std::string device;
  std::string text;
  std::int64_t issued_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

struct RevokedPassRow {
  std::string pass;  // the 10-character id
  std::string reason;
  std::int64_t revoked_ms = 0;
};

// People at one assembly, counted across every device: a pass scanned on several devices (or
// twice) is one person; each sign-in without a pass is one person.
struct AttendanceRow {
  std::string assembly;
  std::int64_t people = 0;        // distinct passes + sign-ins without a pass
  std::int64_t with_pass = 0;     // distinct passes
  std::int64_t without_pass = 0;  // sign-ins without a pass
  std::int64_t scans = 0;         // sign-in records received
  std::int64_t devices = 0;       // devices that signed people in
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
  // `certify` (optional) makes a device certificate for the serial the store assigns, in the
  // same transaction as the enrolment: a refused code issues no certificate.
  virtual EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                            const std::string& token_hash, std::int64_t now_ms,
                            const std::function<std::string(std::uint32_t serial)>& certify = {}) = 0;
  virtual std::optional<DeviceRow> device_by_token(const std::string& token_hash) = 0;
  virtual void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> clock_offset_ms) = 0;
  // By id or exact name; false when no such device. Its device certificates are revoked too.
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

  // server keys (the town's pass signing key, the office key pair): the value stored under
  // `name`, made by `make` and stored when there is none yet. Servers starting together on one
  // database all end up with the first one stored.
  virtual std::string server_secret(const std::string& name, const std::function<std::string()>& make, std::int64_t now_ms) = 0;

  // device certificates: `sign` makes the certificate's text for the serial the store assigns
  // (unique, from 1), in the same transaction.
  virtual CertificateRow add_certificate(const std::string& device, const std::function<std::string(std::uint32_t serial)>& sign,
                                         std::int64_t now_ms) = 0;
  virtual std::vector<CertificateRow> certificates() = 0;  // every one, by serial
  // Passes reported lost or misused; false when it was already revoked.
  virtual bool revoke_pass(const std::string& pass, const std::string& reason, std::int64_t now_ms) = 0;
  virtual std::vector<RevokedPassRow> revoked_passes() = 0;
  // Pass ids printed by the town (`passes --count`), so a typed fallback code can be checked.
  virtual void add_printed_passes(const std::vector<std::string>& ids, std::int64_t now_ms) = 0;
  virtual std::optional<std::int64_t> printed_pass(const std::string& id) = 0;  // when printed
  virtual std::int64_t printed_pass_count() = 0;

  // attendance at assemblies (sign-ins received), one row per assembly or the one asked for
  virtual std::vector<AttendanceRow> attendance(const std::optional<std::string>& assembly) = 0;

  // office tokens (the dashboard's access to office-only endpoints), stored hashed
  virtual void add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms) = 0;
  virtual std::optional<std::string> office_by_token(const std::string& token_hash) = 0;  // its name
};

// --- opening ---------------------------------------------------------------------------

// "sqlite:PATH" (or a bare path) or "postgresql://…" / "postgres://…". Migrates on open.
std::unique_ptr<ServerStore> open_store(const std::string& url);
std::unique_ptr<ServerStore> open_sqlite_store(const std::string& path);
std::unique_ptr<ServerStore> open_postgres_store(const std::string& conninfo);

}  // namespace allervers::server
