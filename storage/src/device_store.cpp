// DeviceStore. Sections: opening · catalog · captures · outbox · settings and sync state · Group.
#include "allervers/storage/device_store.hpp"

#include <unistd.h>

#include <map>
#include <stdexcept>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/names.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/crypto/at_rest.hpp"
#include "allervers/crypto/start.hpp"
#include "allervers/sqlite/database.hpp"
#include "migrations.hpp"

namespace allervers::storage {

using sqlite::Database;
using sqlite::DatabaseOptions;
using sqlite::Transaction;

namespace {

constexpr const char* kDatabaseFile = "allervers-device.sqlite";

// The rows of the meta table storage itself keeps (the device's settings are "setting." + a
// key named in core/settings.hpp).
namespace meta_keys {
constexpr const char* device_id = "device.id";
constexpr const char* device_name = "device.name";
constexpr const char* device_created_at = "device.created_at";
constexpr const char* catalog = "catalog";
constexpr const char* last_attempt = "sync.last_attempt";
constexpr const char* last_success = "sync.last_success";
constexpr const char* last_error = "sync.last_error";
}  // namespace meta_keys

std::string setting_key(std::string_view key) { return "setting." + std::string(key); }
constexpr int kSyncLogKept = 1000;  // enough to see a pattern of failures, small enough to ignore

void require_transaction(const Database& db) {
  if (!db.in_transaction()) throw std::logic_error("storage: a write outside a transaction");
}

std::string meta(Database& db, const std::string& key) {
  auto q = db.query("SELECT value FROM meta WHERE key = ?1");
  q->bind(1, key);
  return q->step() ? q->text(0) : std::string();
}

void set_meta(Database& db, const std::string& key, const std::string& value) {
  auto q = db.query("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  q->bind(1, key).bind(2, value);
  q->run();
}

// The settings kept encrypted under device.key: what would let a copy act as the device.
bool is_secret_setting(std::string_view key) {
  return key == core::settings::token || key == core::settings::device_key || key == core::settings::pending_device_key;
}

std::filesystem::path key_path(const std::filesystem::path& dir) { return dir / "device.key"; }

// device.key, made when missing and the folder is writable; nothing when it cannot be had
// (a read-only copy without it: encrypted settings then cannot be read, and say so).
std::shared_ptr<const crypto::AtRestKey> device_key_file(const std::filesystem::path& dir, bool writable) {
  const auto path = key_path(dir);
  try {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::read_file(path));
    if (!writable) return nullptr;
    return std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::create_file(path));
  } catch (const crypto::CryptoError& e) {
    throw StorageError(StorageError::Kind::io, e.what());
  }
}

void configure(Database& db) {
  if (db.read_only()) return;
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");  // a capture is on disk before the screen says thank you
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA secure_delete = ON");  // purged contact details do not linger in free pages
}

void check_integrity(Database& db) {
  auto q = db.query("PRAGMA integrity_check(20)");
  std::string problems;
  while (q->step()) {
    const std::string row = q->text(0);
    if (row != "ok") problems += (problems.empty() ? "" : "; ") + row;
  }
  if (!problems.empty())
    throw StorageError(StorageError::Kind::corrupt,
                       "the database " + db.path().string() + " failed its integrity check (" + problems.substr(0, 400) +
                           "); it was left untouched — keep a copy of the folder and call support");
}

core::Capture capture_from_row(std::int64_t seq, const std::string& body, const Database& db) {
  auto parsed = core::capture_from_json_text(body, core::CaptureDefaults{});
  if (!parsed.capture)
    throw StorageError(StorageError::Kind::corrupt, "the database " + db.path().string() + " holds an unreadable capture (seq " +
                                                        std::to_string(seq) + "): " + core::describe(parsed.errors));
  return std::move(*parsed.capture);
}

}  // namespace

constexpr core::EnumName<OutboxState> kOutboxStateNames[] = {
    {OutboxState::pending, "pending"},
    {OutboxState::acked, "acked"},
    {OutboxState::rejected, "rejected"},
};

const char* to_string(OutboxState state) { return core::name_of(kOutboxStateNames, state); }

// --- opening -------------------------------------------------------------------------------

std::filesystem::path DeviceStore::database_path(const std::filesystem::path& dir) { return dir / kDatabaseFile; }

DeviceStore::DeviceStore(std::unique_ptr<Database> db, const std::filesystem::path& dir)
    : db_(std::move(db)), dir_(dir) {}
DeviceStore::DeviceStore(DeviceStore&&) noexcept = default;
DeviceStore& DeviceStore::operator=(DeviceStore&&) noexcept = default;
DeviceStore::~DeviceStore() = default;
Database& DeviceStore::database() { return *db_; }

DeviceStore DeviceStore::create(const std::filesystem::path& dir, const std::string& device_name,
                                const core::Instant& now, const OpenOptions& options) {
  const auto path = database_path(dir);
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw StorageError(StorageError::Kind::already_exists,
                       "a device database already exists in " + dir.string() + " (nothing was changed)");
  // The folder 0700 and the database 0600 whatever the umask: it holds the sync token, the
  // pass-signing key and sealed contacts (docs/security.md).
  try {
    sqlite::make_private_folder(dir);
  } catch (const std::exception& e) {
    throw StorageError(StorageError::Kind::io, "cannot make the folder " + dir.string() + ": " + e.what());
  }
  auto db = std::make_unique<Database>(path, DatabaseOptions{true, false, options.busy_timeout_ms, options.max_page_count, true});
  std::filesystem::remove(key_path(dir), ec);  // a key left by a device once here has nothing to open
  auto key = device_key_file(dir, true);
  configure(*db);
  migrate(*db);
  {
    Transaction tx(*db);
    core::UuidGenerator ids;
    set_meta(*db, meta_keys::device_id, ids.next(now.utc_ms).str());
    set_meta(*db, meta_keys::device_name, device_name);
    set_meta(*db, meta_keys::device_created_at, core::format_instant(now));
    tx.commit();
  }
  DeviceStore store(std::move(db), dir);
  store.secrets_key_ = std::move(key);
  store.load_identity();
  store.load_catalog();
  return store;
}

DeviceStore DeviceStore::open(const std::filesystem::path& dir, const OpenOptions& options) {
  const auto path = database_path(dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw StorageError(StorageError::Kind::not_found,
                       "no device database in " + dir.string() + " — run `allervers-device --data " + dir.string() +
                           " init` first");
  const bool read_only = options.read_only || access(path.c_str(), W_OK) != 0;
  // A folder and file made before they were kept private are tightened on the next open.
  if (!read_only) {
    try {
      sqlite::make_private_folder(dir);
    } catch (const std::exception& e) {
      throw StorageError(StorageError::Kind::io, "cannot make the folder " + dir.string() + " private: " + e.what());
    }
  }
  auto db = std::make_unique<Database>(path, DatabaseOptions{false, read_only, options.busy_timeout_ms, options.max_page_count, true});
  const int version = schema_version(*db);  // refuses too-new before anything is written
  if (version == 0)
    throw StorageError(StorageError::Kind::corrupt,
                       path.string() + " is an empty database, not an Aller-vers device; it was left untouched");
  check_integrity(*db);
  if (version < latest_schema_version()) {
    if (read_only)
      throw StorageError(StorageError::Kind::read_only,
                         "the database " + path.string() + " needs an upgrade (schema " + std::to_string(version) +
                             " → " + std::to_string(latest_schema_version()) + ") but cannot be written");
  }
  configure(*db);
  if (!read_only) migrate(*db);
  DeviceStore store(std::move(db), dir);
  store.secrets_key_ = device_key_file(dir, !read_only);
  if (!read_only) store.protect_secrets();
  store.load_identity();
  store.load_catalog();
  return store;
}

void DeviceStore::load_identity() {
  auto id = core::Uuid::parse(meta(*db_, meta_keys::device_id));
  auto created = core::parse_instant(meta(*db_, meta_keys::device_created_at));
  if (!id || !created)
    throw StorageError(StorageError::Kind::corrupt, "the database " + db_->path().string() +
                                                        " has no valid device identity; it was left untouched");
  identity_ = DeviceIdentity{*id, meta(*db_, meta_keys::device_name), *created};
}

void DeviceStore::load_catalog() {
  const std::string text = meta(*db_, meta_keys::catalog);
  if (text.empty()) {
    catalog_ = core::Catalog{};
    return;
  }
  try {
    catalog_ = core::parse_catalog(text);
  } catch (const core::CatalogError& e) {
    throw StorageError(StorageError::Kind::corrupt,
                       "the catalog held in " + db_->path().string() + " is unreadable (" + e.what() + ")");
  }
}

// --- catalog -------------------------------------------------------------------------------

void DeviceStore::save_catalog(const core::Catalog& incoming) {
  core::Catalog merged = incoming;
  for (const auto& held : catalog_.consultations)
    if (!merged.find(held.id, held.version)) merged.consultations.push_back(held);
  const std::string text = core::catalog_to_json(merged);
  core::Catalog reparsed = core::parse_catalog(text);  // what we store must read back
  Transaction tx(*db_);
  set_meta(*db_, meta_keys::catalog, text);
  tx.commit();
  catalog_ = std::move(reparsed);
}

// --- captures ------------------------------------------------------------------------------

AddResult DeviceStore::insert(const core::ValidCapture& valid) {
  require_transaction(*db_);
  const core::Capture& c = valid.capture();
  const std::string id = c.id.str();
  const std::string body = core::canonical_json(c);
  if (const core::Ballot* b = c.ballot(); b && !find(c.id) && has_ballot(b->vote, b->voter))
    throw StorageError(StorageError::Kind::conflict, "this pass has already voted in " + b->vote + " on this device; the first ballot was kept");
  {
    auto q = db_->query(
        "INSERT INTO captures(id, kind, consultation, version, channel, captured_at_ms, day, body) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO NOTHING");
    q->bind(1, id).bind(2, core::to_string(c.kind())).bind(3, c.consultation).bind(4, std::int64_t{c.version});
    q->bind(5, core::to_string(c.channel)).bind(6, c.captured_at.utc_ms).bind(7, core::local_day(c.captured_at));
    q->bind(8, body);
    q->run();
  }
  if (db_->changes() == 0) {
    auto q = db_->query("SELECT seq, body FROM captures WHERE id = ?1");
    q->bind(1, id);
    q->step();
    if (q->text(1) != body)
      throw StorageError(StorageError::Kind::conflict,
                         "capture " + id + " is already stored with different content; the stored one was kept");
    return AddResult{AddOutcome::already_stored, q->int64(0)};
  }
  const std::int64_t seq = db_->last_insert_rowid();
  auto q = db_->query("INSERT INTO outbox(seq, state, updated_at_ms) VALUES(?1, 'pending', ?2)");
  q->bind(1, seq).bind(2, c.captured_at.utc_ms);
  q->run();
  return AddResult{AddOutcome::stored, seq};
}

AddResult DeviceStore::add(const core::ValidCapture& capture) {
  Transaction tx(*db_);
  const AddResult result = insert(capture);
  tx.commit();
  return result;
}

bool DeviceStore::has_ballot(const std::string& vote, const std::string& voter) const {
  auto q = db_->query(
      "SELECT 1 FROM captures WHERE kind = 'ballot' AND json_extract(body, '$.ballot.vote') = ?1 "
      "AND json_extract(body, '$.ballot.voter') = ?2");
  q->bind(1, vote).bind(2, voter);
  return q->step();
}

std::optional<DeviceStore::FoundBallot> DeviceStore::find_ballot(const std::string& receipt) const {
  auto q = db_->query(
      "SELECT c.seq, c.body, o.state FROM captures c JOIN outbox o ON o.seq = c.seq "
      "WHERE c.kind = 'ballot' AND json_extract(c.body, '$.ballot.receipt') = ?1 ORDER BY c.seq LIMIT 1");
  q->bind(1, receipt);
  if (!q->step()) return std::nullopt;
  const std::string state = q->text(2);
  return FoundBallot{StoredCapture{q->int64(0), capture_from_row(q->int64(0), q->text(1), *db_)},
                     state == "acked" ? OutboxState::acked : state == "rejected" ? OutboxState::rejected : OutboxState::pending};
}

std::optional<DeviceStore::FoundIdea> DeviceStore::find_idea(const std::string& receipt) const {
  // The code is a hash of the id (core/receipt.hpp): computed for each idea held, which a
  // kiosk counts in thousands at most.
  auto q = db_->query("SELECT c.seq, c.id, c.body, o.state FROM captures c JOIN outbox o ON o.seq = c.seq "
                      "WHERE c.kind = 'idea' ORDER BY c.seq");
  while (q->step()) {
    const auto id = core::Uuid::parse(q->text(1));
    if (!id || core::receipt_code(*id) != receipt) continue;
    const std::string state = q->text(3);
    return FoundIdea{StoredCapture{q->int64(0), capture_from_row(q->int64(0), q->text(2), *db_)},
                     state == "acked" ? OutboxState::acked : state == "rejected" ? OutboxState::rejected : OutboxState::pending};
  }
  return std::nullopt;
}

std::optional<StoredCapture> DeviceStore::find(const core::Uuid& id) const {
  auto q = db_->query("SELECT seq, body FROM captures WHERE id = ?1");
  q->bind(1, id.str());
  if (!q->step()) return std::nullopt;
  return StoredCapture{q->int64(0), capture_from_row(q->int64(0), q->text(1), *db_)};
}

void DeviceStore::for_each_capture(const std::function<void(const StoredCapture&)>& visit,
                                   const std::optional<std::string>& consultation,
                                   const std::optional<std::string>& day) const {
  auto q = db_->query(
      "SELECT seq, body FROM captures WHERE (?1 IS NULL OR consultation = ?1) AND (?2 IS NULL OR day = ?2) "
      "ORDER BY seq");
  if (consultation) q->bind(1, *consultation);
  if (day) q->bind(2, *day);
  while (q->step()) {
    const std::int64_t seq = q->int64(0);
    visit(StoredCapture{seq, capture_from_row(seq, q->text(1), *db_)});
  }
}

namespace {

Counts count_rows(Database& db, const std::optional<std::string>& day) {
  Counts counts;
  auto q = db.query(
      "SELECT c.kind, o.state, count(*) FROM captures c JOIN outbox o ON o.seq = c.seq "
      "WHERE (?1 IS NULL OR c.day = ?1) GROUP BY c.kind, o.state");
  if (day) q->bind(1, *day);
  while (q->step()) {
    const std::string state = q->text(1);
    const std::int64_t n = q->int64(2);
    // Only this build's kinds are stored (validation refuses others).
    if (const auto kind = core::capture_kind_from(q->text(0))) counts.by_kind[static_cast<std::size_t>(*kind)] += n;
    (state == "pending" ? counts.pending : state == "acked" ? counts.acked : counts.rejected) += n;
  }
  return counts;
}

}  // namespace

std::int64_t Counts::total() const {
  std::int64_t n = 0;
  for (auto k : by_kind) n += k;
  return n;
}

Counts DeviceStore::counts() const { return count_rows(*db_, std::nullopt); }
Counts DeviceStore::counts_on_day(const std::string& day) const { return count_rows(*db_, day); }

std::optional<core::Instant> DeviceStore::first_sign_in(const std::string& assembly, const std::string& pass) const {
  auto q = db_->query(
      "SELECT body FROM captures WHERE kind = 'signin' AND json_extract(body, '$.signin.assembly') = ?1 "
      "AND json_extract(body, '$.signin.pass') = ?2 ORDER BY captured_at_ms LIMIT 1");
  q->bind(1, assembly).bind(2, pass);
  if (!q->step()) return std::nullopt;
  return capture_from_row(0, q->text(0), *db_).captured_at;
}

std::int64_t DeviceStore::head_count(const std::string& assembly) const {
  auto q = db_->query(
      "SELECT count(DISTINCT json_extract(body, '$.signin.pass')) + "
      "sum(json_extract(body, '$.signin.pass') IS NULL) FROM captures "
      "WHERE kind = 'signin' AND json_extract(body, '$.signin.assembly') = ?1");
  q->bind(1, assembly);
  q->step();
  return q->int64(0);
}

// --- outbox --------------------------------------------------------------------------------

std::vector<OutboxRecord> DeviceStore::pending(std::size_t max_count, std::size_t max_bytes) const {
  std::vector<OutboxRecord> out;
  auto q = db_->query(
      "SELECT o.seq, c.id, c.body, o.attempts FROM outbox o JOIN captures c ON c.seq = o.seq "
      "WHERE o.state = 'pending' ORDER BY o.seq LIMIT ?1");
  q->bind(1, static_cast<std::int64_t>(max_count));
  std::size_t bytes = 0;
  while (q->step()) {
    bytes += q->text_size(2);
    if (!out.empty() && bytes > max_bytes) break;
    auto id = core::Uuid::parse(q->text(1));
    out.push_back(OutboxRecord{q->int64(0), id.value_or(core::Uuid{}), q->text(2), static_cast<int>(q->int64(3))});
  }
  return out;
}

void DeviceStore::mark_attempted(const std::vector<std::int64_t>& seqs) {
  Transaction tx(*db_);
  for (auto seq : seqs) {
    auto q = db_->query("UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?1");
    q->bind(1, seq);
    q->run();
  }
  tx.commit();
}

void DeviceStore::mark_acked(const std::vector<std::int64_t>& seqs, const core::Instant& when) {
  Transaction tx(*db_);
  for (auto seq : seqs) {
    {
      auto q = db_->query("UPDATE outbox SET state = 'acked', reason = NULL, updated_at_ms = ?2 WHERE seq = ?1");
      q->bind(1, seq).bind(2, when.utc_ms);
      q->run();
    }
    // RGPD: a sealed contact leaves the device once the server holds it (secure_delete
    // overwrites the freed bytes).
    auto q = db_->query(
        "UPDATE captures SET body = json_remove(body, '$.idea.contact') "
        "WHERE seq = ?1 AND kind = 'idea' AND json_extract(body, '$.idea.contact') IS NOT NULL");
    q->bind(1, seq);
    q->run();
  }
  tx.commit();
}

void DeviceStore::mark_rejected(std::int64_t seq, const std::string& reason, const core::Instant& when) {
  Transaction tx(*db_);
  auto q = db_->query("UPDATE outbox SET state = 'rejected', reason = ?2, updated_at_ms = ?3 WHERE seq = ?1");
  q->bind(1, seq).bind(2, reason).bind(3, when.utc_ms);
  q->run();
  tx.commit();
}

// --- media -----------------------------------------------------------------------------

void DeviceStore::save_media(const MediaRecord& file, const core::Instant& when) {
  Transaction tx(*db_);
  {
    auto q = db_->query(
        "INSERT OR IGNORE INTO media(hash, content_type, width, height, data, fetched_at_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind(1, file.hash).bind(2, file.content_type).bind(3, std::int64_t{file.width}).bind(4, std::int64_t{file.height});
    q->bind_blob(5, file.data).bind(6, when.utc_ms);
    q->run();
  }
  {
    auto q = db_->query("DELETE FROM media_refused WHERE hash = ?1");
    q->bind(1, file.hash);
    q->run();
  }
  tx.commit();
}

std::optional<MediaRecord> DeviceStore::media(const std::string& hash) const {
  auto q = db_->query("SELECT content_type, width, height, data FROM media WHERE hash = ?1");
  q->bind(1, hash);
  if (!q->step()) return std::nullopt;
  return MediaRecord{hash, q->text(0), static_cast<int>(q->int64(1)), static_cast<int>(q->int64(2)), q->blob(3)};
}

std::vector<std::string> DeviceStore::missing_media() const {
  std::vector<std::string> out;
  auto q = db_->query("SELECT 1 FROM media WHERE hash = ?1");
  for (const auto& hash : core::media_hashes(catalog_)) {
    q->bind(1, hash);
    if (!q->step()) out.push_back(hash);
    q->reset();
  }
  return out;
}

void DeviceStore::record_media_refusal(const std::string& hash, const std::string& reason, const core::Instant& when) {
  Transaction tx(*db_);
  auto q = db_->query("INSERT OR REPLACE INTO media_refused(hash, reason, at_ms) VALUES(?1, ?2, ?3)");
  q->bind(1, hash).bind(2, reason).bind(3, when.utc_ms);
  q->run();
  tx.commit();
}

std::vector<MediaRefusal> DeviceStore::media_refusals() const {
  std::vector<MediaRefusal> out;
  auto q = db_->query("SELECT hash, reason, at_ms FROM media_refused ORDER BY at_ms, hash");
  while (q->step()) out.push_back({q->text(0), q->text(1), core::Instant{q->int64(2), 0}});
  return out;
}

// --- outbox (rejected) --------------------------------------------------------------------

std::vector<RejectedRecord> DeviceStore::rejected() const {
  std::vector<RejectedRecord> out;
  auto q = db_->query(
      "SELECT o.seq, c.id, c.kind, coalesce(o.reason, ''), o.updated_at_ms FROM outbox o JOIN captures c ON c.seq = o.seq "
      "WHERE o.state = 'rejected' ORDER BY o.seq");
  while (q->step()) {
    out.push_back(RejectedRecord{q->int64(0), core::Uuid::parse(q->text(1)).value_or(core::Uuid{}),
                                 core::capture_kind_from(q->text(2)).value_or(core::CaptureKind::opinion), q->text(3),
                                 core::Instant{q->int64(4), 0}});
  }
  return out;
}

std::int64_t DeviceStore::last_seq() const {
  auto q = db_->query("SELECT coalesce(max(seq), 0) FROM captures");
  q->step();
  return q->int64(0);
}

// --- outcomes ------------------------------------------------------------------------------

void DeviceStore::replace_outcomes(const std::vector<OutcomeRow>& rows, const std::map<std::string_view, std::string>& settings) {
  // Only what changed is written. The town's document comes whole at each change (5 MB for 42,000
  // ideas), and mostly it differs from the one held by a few ideas at its end: deleting and
  // inserting every row rewrote the table and its index, with secure_delete zeroing the freed
  // pages, at every sync of an outreach day. Rows are compared in order within each kind, where
  // their order matters (find_outcomes answers in it): the n-th held row of a kind is updated in
  // place when it differs from the n-th new one, new rows go after every held one, and held rows
  // past the end are deleted. The result is the same table, row for row, as a whole rewrite.
  Transaction tx(*db_);
  struct Held {
    std::int64_t rowid;
    std::string key, body;
  };
  std::map<std::string, std::vector<Held>, std::less<>> held;  // by kind, in rowid order
  {
    auto q = db_->query("SELECT rowid, kind, key, body FROM outcomes ORDER BY rowid");
    while (q->step()) held[q->text(1)].push_back({q->int64(0), q->text(2), q->text(3)});
  }
  std::map<std::string, std::size_t, std::less<>> compared;  // by kind: held rows already matched
  auto update = db_->query("UPDATE outcomes SET key = ?2, body = ?3 WHERE rowid = ?1");
  auto insert = db_->query("INSERT INTO outcomes(kind, key, body) VALUES (?1, ?2, ?3)");
  for (const auto& row : rows) {
    auto& list = held[row.kind];
    auto& next = compared[row.kind];
    if (next < list.size()) {
      const Held& h = list[next++];
      if (h.key == row.key && h.body == row.body) continue;
      update->reset();
      update->bind(1, h.rowid);
      update->bind(2, row.key);
      update->bind(3, row.body);
      update->step();
      continue;
    }
    insert->reset();
    insert->bind(1, row.kind);
    insert->bind(2, row.key);
    insert->bind(3, row.body);
    insert->step();
  }
  auto erase = db_->query("DELETE FROM outcomes WHERE rowid = ?1");
  for (const auto& [kind, list] : held)
    for (std::size_t i = compared[kind]; i < list.size(); ++i) {
      erase->reset();
      erase->bind(1, list[i].rowid);
      erase->step();
    }
  for (const auto& [key, value] : settings) set_meta(*db_, setting_key(key), value);
  tx.commit();
}

std::vector<std::string> DeviceStore::find_outcomes(std::string_view kind, const std::string& key) const {
  auto q = db_->query("SELECT body FROM outcomes WHERE kind = ?1 AND key = ?2 ORDER BY rowid");
  q->bind(1, std::string(kind));
  q->bind(2, key);
  std::vector<std::string> out;
  while (q->step()) out.push_back(q->text(0));
  return out;
}

// --- settings and sync state ---------------------------------------------------------------

void DeviceStore::wipe_secrets() {
  Transaction tx(*db_);
  for (const auto key : {core::settings::token, core::settings::device_key, core::settings::pending_device_key,
                         core::settings::device_certificate})
    set_meta(*db_, setting_key(key), "");
  db_->exec("UPDATE captures SET body = json_remove(body, '$.idea.contact') "
            "WHERE kind = 'idea' AND json_extract(body, '$.idea.contact') IS NOT NULL");
  tx.commit();
}

void DeviceStore::set_setting(std::string_view key, const std::string& value) {
  Transaction tx(*db_);
  const bool encrypt = secrets_key_ && is_secret_setting(key) && !value.empty();
  set_meta(*db_, setting_key(key), encrypt ? secrets_key_->encrypt(key, value) : value);
  tx.commit();
}

std::optional<std::string> DeviceStore::setting(std::string_view key) const {
  auto q = db_->query("SELECT value FROM meta WHERE key = ?1");
  q->bind(1, setting_key(key));
  if (!q->step()) return std::nullopt;
  std::string value = q->text(0);
  if (!crypto::is_encrypted_at_rest(value)) return value;
  auto clear = secrets_key_ ? secrets_key_->decrypt(key, value) : std::nullopt;
  if (!clear)
    throw StorageError(StorageError::Kind::corrupt, "the setting " + std::string(key) + " of " + db_->path().string() +
                                                        " does not open with " + key_path(dir_).string() +
                                                        " (a database copied without its key): enrol the device again");
  return clear;
}

void DeviceStore::protect_secrets() {
  if (!secrets_key_) return;
  std::vector<std::pair<std::string_view, std::string>> clear;  // read first: an open that finds nothing to do writes nothing
  for (const auto key : {core::settings::token, core::settings::device_key, core::settings::pending_device_key}) {
    auto q = db_->query("SELECT value FROM meta WHERE key = ?1");
    q->bind(1, setting_key(key));
    if (q->step() && !q->text(0).empty() && !crypto::is_encrypted_at_rest(q->text(0))) clear.emplace_back(key, q->text(0));
  }
  if (clear.empty()) return;
  Transaction tx(*db_);
  for (const auto& [key, value] : clear) set_meta(*db_, setting_key(key), secrets_key_->encrypt(key, value));
  tx.commit();
}

void DeviceStore::record_sync_attempt(const core::Instant& when, const std::string& error) {
  Transaction tx(*db_);
  {
    auto q = db_->query("INSERT INTO sync_log(at_ms, error) VALUES(?1, ?2)");
    q->bind(1, when.utc_ms).bind(2, error);
    q->run();
  }
  {
    auto q = db_->query("DELETE FROM sync_log WHERE id <= (SELECT max(id) FROM sync_log) - ?1");
    q->bind(1, std::int64_t{kSyncLogKept});
    q->run();
  }
  set_meta(*db_, meta_keys::last_attempt, core::format_instant(when));
  set_meta(*db_, meta_keys::last_error, error);
  if (error.empty()) set_meta(*db_, meta_keys::last_success, core::format_instant(when));
  tx.commit();
}

SyncState DeviceStore::sync_state() const {
  SyncState state;
  state.last_attempt = core::parse_instant(meta(*db_, meta_keys::last_attempt));
  state.last_success = core::parse_instant(meta(*db_, meta_keys::last_success));
  state.last_error = meta(*db_, meta_keys::last_error);
  state.insecure_http = setting(core::settings::insecure_http).value_or("") == "1";
  return state;
}

// --- Group ---------------------------------------------------------------------------------

struct DeviceStore::Group::Impl {
  std::optional<Transaction> tx;
};

DeviceStore::Group::Group(DeviceStore& store) : store_(store), impl_(std::make_unique<Impl>()) {}
DeviceStore::Group::~Group() = default;

AddResult DeviceStore::Group::add(const core::ValidCapture& capture) {
  if (!impl_->tx) impl_->tx.emplace(*store_.db_);
  const AddResult result = store_.insert(capture);
  if (result.outcome == AddOutcome::stored) ++size_;
  return result;
}

void DeviceStore::Group::commit() {
  if (impl_->tx) {
    impl_->tx->commit();
    impl_->tx.reset();
  }
  size_ = 0;
}

}  // namespace allervers::storage
