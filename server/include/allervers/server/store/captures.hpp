#pragma once
// Captures and what was set aside: every capture received keyed by its UUID, records refused
// for their content (rejections), and records sent under an id already held with other
// content (conflicts). A batch is written in one transaction. Tables: captures, rejections,
// conflicts (and the devices' last-batch fields); the facts of each capture the office counts
// (its town day, quartier, age bracket) and the tallies over them (schema step 3).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "allervers/core/capture.hpp"
#include "allervers/server/capture_filter.hpp"
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
  // Derived by the store when it keeps the capture (ignored in an IngestBatch): the town's day
  // (capture_filter.hpp) of the corrected time, the quartier and age bracket it speaks for
  // ("" when it does not say).
  std::int64_t day = 0;
  std::string neighbourhood, age_bracket;
};

// Captures read one at a time at the reader's pace (exports): see sql::Cursor.
class CaptureCursor {
 public:
  virtual ~CaptureCursor() = default;
  // The next capture, valid until the next call; nullptr after the last one.
  virtual const CaptureRow* next() = 0;
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
// A kiosk's captures that come in a burst: more than `count` opinions and ideas of the same
// device at the kiosk channel captured (corrected time) within `window_ms`, the capture's own
// included, held ones and the batch's alike. Flagged `reason` in capture_flags: kept and
// counted, shown to the office (kiosk_bursts.hpp says why and sets the rule). Only the kiosk's:
// the index the count reads holds the kiosk's opinions and ideas alone (schema step 14).
struct BurstRule {
  std::int64_t window_ms = 0;
  std::int64_t count = 0;
  std::string reason;
};

// A write of fewer than this many captures keeps their tallies' counts, summed, in one row of
// `tally_pending` (schema step 18) instead of updating the six tally b-trees (docs/decisions.md,
// "A few captures' tallies wait, summed, to be added with others").
inline constexpr std::int64_t kTalliesWaitBelow = 32;
// Ingest adds every waiting row to the tallies, in its transaction, at each this many-th such row;
// whoever reads the tallies adds them first.
inline constexpr std::int64_t kTalliesFoldEvery = 256;

struct IngestBatch {
  BatchEnvelope envelope;
  std::vector<CaptureRow> captures;
  std::vector<RejectionRow> rejections;
  std::optional<BurstRule> bursts;  // judged on the captures inserted, in the batch's transaction
  // The captures as parsed and validated, one per row of `captures`, when the caller has them
  // (the API): the office's facts are then derived from them rather than from the rows' bodies.
  std::vector<core::Capture> parsed;
};

class CaptureStore : public virtual StoreArea {
 public:
  CaptureStore();
  ~CaptureStore() override;

  // One outcome per capture, in order. The captures inserted are counted in the tallies in the
  // same transaction.
  std::vector<InsertOutcome> ingest(const IngestBatch& batch);

  // The same, written while the batch is judged (ingest_records): opened before its first
  // capture, each capture added in order as soon as it is judged, finished with the rejections.
  // On PostgreSQL the captures flow into the database while the next ones are still being read
  // and validated, and the transaction is open from open_ingest; elsewhere they are gathered and
  // written at finish. Nothing else may use this store between the two. Left unfinished, nothing
  // of the batch is kept.
  class Ingest {
   public:
    Ingest(Ingest&&) noexcept;
    Ingest& operator=(Ingest&&) noexcept;
    ~Ingest();
    void add(CaptureRow row, core::Capture parsed);
    std::vector<InsertOutcome> finish(std::vector<RejectionRow> rejections);

   private:
    friend class CaptureStore;
    struct State;
    explicit Ingest(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  Ingest open_ingest(BatchEnvelope envelope, std::optional<BurstRule> bursts, std::size_t expected);
  // The query reading a kiosk's times for BurstRule ($1 device, $2 from, $3 to): for the test
  // that checks it is planned on the kiosk's index.
  static const char* burst_times_query();
  // The ids a device's sequence numbers from `first` to `last` already hold (accepted,
  // refused or set aside), by seq: a seq sent again under another id is refused.
  std::map<std::int64_t, std::string> ids_by_seq(const std::string& device, std::int64_t first, std::int64_t last);
  std::int64_t capture_count();
  void for_each_capture(const std::function<void(const CaptureRow&)>& visit);  // in the order received
  // The captures the filter keeps, by town day then id (time order within a day: ids are UUIDv7).
  // The cursor reads through this store's connection: keep the store while it lives.
  std::unique_ptr<CaptureCursor> open_captures(const CaptureFilter& filter);
  std::int64_t conflict_count();
  void for_each_refused(const std::function<void(const RefusedRow&)>& visit);

  // Derives the facts of captures stored before schema step 3 and counts them in the tallies,
  // a thousand a transaction; a capture is claimed by its update, so servers doing it at once
  // count each capture once. Returns how many it derived (ServerStore::migrate runs it).
  std::int64_t derive_missing_facts();

 private:
  class Facts;
  std::unique_ptr<Facts> facts_;  // the catalog as last read, for deriving facts
};

}  // namespace allervers::server
