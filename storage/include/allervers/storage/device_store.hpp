#pragma once
// The device's database: its identity, the catalog it holds, the capture log and the
// outbox that the sync client drains. One DeviceStore is one SQLite connection: use it from
// one thread; another thread (the sync thread) opens its own DeviceStore on the same folder.
//
// Sections: opening · catalog · media · captures · outbox · settings and sync state.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/capture.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/storage/errors.hpp"

namespace allervers::crypto {
class AtRestKey;
}

namespace allervers::sqlite {
class Database;
}

namespace allervers::storage {

// The schema version this build writes (PRAGMA user_version); see storage/src/migrations.cpp.
int latest_schema_version();

struct OpenOptions {
  bool read_only = false;                      // status/list on a file that cannot be written
  int busy_timeout_ms = 5000;                  // how long to wait for another process's lock
  std::optional<std::int64_t> max_page_count;  // size cap (tests of a full disk)
};

struct DeviceIdentity {
  core::Uuid device;  // made once at init; every capture carries it
  std::string name;   // "Tablette 3", given at enrolment or init
  core::Instant created_at;
};

enum class AddOutcome {
  stored,          // new: committed with its outbox row
  already_stored,  // the same id with the same content was there: nothing added
};
struct AddResult {
  AddOutcome outcome;
  std::int64_t seq;  // the device's sequence number for this capture
};

struct StoredCapture {
  std::int64_t seq;
  core::Capture capture;
};

enum class OutboxState { pending, acked, rejected };
const char* to_string(OutboxState state);

struct OutboxRecord {
  std::int64_t seq;
  core::Uuid id;
  std::string json;  // the canonical capture JSON, as sent
  int attempts = 0;
};

// A media file held (core/media.hpp): its bytes hash to `hash` (checked before it was kept).
struct MediaRecord {
  std::string hash, content_type;
  int width = 0, height = 0;
  std::string data;
};

// A media file the sync client fetched and did not keep (its bytes were not those of its
// name, or not an image within the limits): never shown; asked for again at the next sync.
struct MediaRefusal {
  std::string hash, reason;
  core::Instant at;
};

struct RejectedRecord {
  std::int64_t seq;
  core::Uuid id;
  core::CaptureKind kind;
  std::string reason;
  core::Instant rejected_at;
};

struct Counts {
  std::array<std::int64_t, core::kCaptureKindCount> by_kind{};  // in core::kCaptureKinds' order
  std::int64_t pending = 0, acked = 0, rejected = 0;
  std::int64_t of(core::CaptureKind kind) const { return by_kind[static_cast<std::size_t>(kind)]; }
  std::int64_t total() const;
};

struct SyncState {
  std::optional<core::Instant> last_attempt;
  std::optional<core::Instant> last_success;
  std::string last_error;  // empty after a success
  // Enrolled over plain http:// to another machine (--insecure-http): the status line says so.
  bool insecure_http = false;
};

class DeviceStore {
 public:
  // Makes `dir` (if needed) and a new device database in it, with a fresh device id.
  // Refuses (already_exists) when a device database is already there.
  static DeviceStore create(const std::filesystem::path& dir, const std::string& device_name,
                            const core::Instant& now, const OpenOptions& options = {});
  // Opens an existing device database: integrity check, then upgrade of an older schema.
  // Corrupt, locked, read-only, full or too-new databases give a StorageError and are left as found.
  static DeviceStore open(const std::filesystem::path& dir, const OpenOptions& options = {});
  static std::filesystem::path database_path(const std::filesystem::path& dir);

  DeviceStore(DeviceStore&&) noexcept;
  DeviceStore& operator=(DeviceStore&&) noexcept;
  ~DeviceStore();

  const DeviceIdentity& identity() const { return identity_; }
  sqlite::Database& database();  // for tests and benchmarks

  // --- catalog -------------------------------------------------------------------------
  // Merges a catalog into the one held: new consultation versions are added, versions
  // already held are kept (captures made with them must stay valid), town and assemblies
  // are replaced.
  void save_catalog(const core::Catalog& catalog);
  const core::Catalog& catalog() const { return catalog_; }
  // Reads the catalog again (another connection, e.g. the sync thread, may have saved a newer one).
  void reload_catalog() { load_catalog(); }

  // --- media ---------------------------------------------------------------------------
  // Files the catalog names, kept in this database (one durable transaction each, so a sync
  // cut short keeps what it finished). The caller checked the bytes (sync/media.hpp).
  void save_media(const MediaRecord& file, const core::Instant& when);  // also clears its refusal
  std::optional<MediaRecord> media(const std::string& hash) const;
  // The catalog's media names not held yet, sorted.
  std::vector<std::string> missing_media() const;
  void record_media_refusal(const std::string& hash, const std::string& reason, const core::Instant& when);
  std::vector<MediaRefusal> media_refusals() const;

  // --- captures ------------------------------------------------------------------------
  // Commits the capture and its outbox row in one durable transaction. An id already held
  // with the same content is `already_stored`; with different content, a StorageError
  // (conflict) and nothing changes.
  AddResult add(const core::ValidCapture& capture);

  std::optional<StoredCapture> find(const core::Uuid& id) const;
  // Captures in sequence order, optionally of one consultation and/or one local day.
  void for_each_capture(const std::function<void(const StoredCapture&)>& visit,
                        const std::optional<std::string>& consultation = std::nullopt,
                        const std::optional<std::string>& day = std::nullopt) const;
  Counts counts() const;
  Counts counts_on_day(const std::string& day) const;  // captures made that local day

  // Sign-ins at one assembly: when a pass first signed in here (the duplicate rule), and the
  // head count — people, not scans: each pass once, plus each sign-in made without a pass.
  std::optional<core::Instant> first_sign_in(const std::string& assembly, const std::string& pass) const;
  std::int64_t head_count(const std::string& assembly) const;

  // Ballots (core::Ballot): whether a voter (the pass's keyed hash for that vote) has a ballot
  // here already — the one-vote rule on this device, also held by a unique index, so a second
  // one is refused (StorageError conflict) whoever writes it — and a ballot by its receipt code
  // with where it is in the outbox (the voter checks it was kept, then sent).
  bool has_ballot(const std::string& vote, const std::string& voter) const;
  struct FoundBallot {
    StoredCapture stored;
    OutboxState state;
  };
  std::optional<FoundBallot> find_ballot(const std::string& receipt) const;
  // An idea made on this device by its receipt code (core::receipt_code of its id, canonical
  // form), with where it is in the outbox: "saved here, not yet at the town hall".
  struct FoundIdea {
    StoredCapture stored;
    OutboxState state;
  };
  std::optional<FoundIdea> find_idea(const std::string& receipt) const;

  // --- outcomes --------------------------------------------------------------------------
  // What became of the town's ideas and ballots, as the server last sent them (sync/
  // outcomes.hpp reads them for the kiosk): rows under their outcome keys, replaced whole in
  // one transaction with the settings that go with them (the ETag, the public pages' address),
  // so a sync cut half-way leaves the last complete set. Only the rows that differ from the
  // ones held are written (in order, within each kind).
  struct OutcomeRow {
    std::string kind;  // "idea" or "ballot"
    std::string key;   // passes/outcome_keys.hpp
    std::string body;  // JSON
  };
  void replace_outcomes(const std::vector<OutcomeRow>& rows, const std::map<std::string_view, std::string>& settings);
  std::vector<std::string> find_outcomes(std::string_view kind, const std::string& key) const;  // the bodies

  // --- outbox --------------------------------------------------------------------------
  // The oldest pending records in sequence order, at most `max_count` and about `max_bytes`
  // of JSON (always at least one record when any is pending).
  std::vector<OutboxRecord> pending(std::size_t max_count, std::size_t max_bytes) const;
  void mark_attempted(const std::vector<std::int64_t>& seqs);
  // Acked rows are done; an idea's sealed contact is then purged from the device (RGPD).
  void mark_acked(const std::vector<std::int64_t>& seqs, const core::Instant& when);
  void mark_rejected(std::int64_t seq, const std::string& reason, const core::Instant& when);
  std::vector<RejectedRecord> rejected() const;
  std::int64_t last_seq() const;

  // --- settings and sync state ---------------------------------------------------------
  // Keys are named in core/settings.hpp.
  void set_setting(std::string_view key, const std::string& value);
  std::optional<std::string> setting(std::string_view key) const;
  void record_sync_attempt(const core::Instant& when, const std::string& error);  // error empty: success
  // The server revoked this device (its wipe flag): the token, the pass-signing keys and every
  // sealed contact are erased, in one transaction; the captures stay (they leave only in a
  // bundle the office accepts by name) and so does the office's public key (to seal it).
  void wipe_secrets();
  SyncState sync_state() const;

  // A group of captures committed together (bulk entry): add() writes inside one open
  // transaction; commit() makes them all durable at once. Destroying an uncommitted group
  // rolls it back, so nothing it holds was ever reported durable.
  class Group {
   public:
    explicit Group(DeviceStore& store);
    ~Group();
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;
    AddResult add(const core::ValidCapture& capture);
    void commit();
    std::size_t size() const { return size_; }

   private:
    DeviceStore& store_;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::size_t size_ = 0;
  };

 private:
  DeviceStore(std::unique_ptr<sqlite::Database> db, const std::filesystem::path& dir);
  AddResult insert(const core::ValidCapture& capture);  // inside a transaction
  void load_identity();
  void load_catalog();
  void protect_secrets();  // the secret settings still in clear (an older version's) encrypted

  std::unique_ptr<sqlite::Database> db_;
  // The key of `device.key` beside the database (0600): the sync token and the pass keys are
  // kept encrypted under it, so the database file alone (a support copy, a backup of that
  // file) reveals neither (docs/security.md says what it does not protect).
  std::shared_ptr<const crypto::AtRestKey> secrets_key_;
  std::filesystem::path dir_;
  DeviceIdentity identity_;
  core::Catalog catalog_;
};

}  // namespace allervers::storage
