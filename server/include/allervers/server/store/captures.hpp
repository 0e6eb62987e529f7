#pragma once
// Captures and what was set aside: every capture received keyed by its UUID, records refused
// for their content (rejections), and records sent under an id already held with other
// content (conflicts). A batch is written in one transaction. Tables: captures, rejections,
// conflicts (and the devices' last-batch fields).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

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

// What came with a batch besides its records, set once where the batch arrives (the API from
// the request and its token, or a bundle's import) and carried to the store as it is.
struct BatchEnvelope {
  std::string device;  // the token's device (or the bundle's): whatever the records say
  std::string batch;   // the server's id for this batch (logs, support)
  std::int64_t received_ms = 0;
  std::optional<std::int64_t> clock_offset_ms;  // server minus device clock
  std::optional<std::int64_t> pending_after;    // from devices; absent for bundles
  bool from_device = false;                     // over the network: also the device's last-seen time
};

// One batch's writes, done in one transaction: captures inserted keyed by id (an id already
// held is a duplicate when its body is equal, a conflict otherwise: the first is kept and
// the conflict is logged), rejections logged, the device's last-seen fields updated.
struct IngestBatch {
  BatchEnvelope envelope;
  std::vector<CaptureRow> captures;
  std::vector<RejectionRow> rejections;
};

class CaptureStore : public virtual StoreArea {
 public:
  // One outcome per capture, in order.
  std::vector<InsertOutcome> ingest(const IngestBatch& batch);
  std::int64_t capture_count();
  void for_each_capture(const std::function<void(const CaptureRow&)>& visit);  // in the order received
  std::int64_t conflict_count();
  void for_each_refused(const std::function<void(const RefusedRow&)>& visit);
};

}  // namespace allervers::server
