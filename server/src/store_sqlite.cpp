// The SQLite backend: one file, WAL, synchronous=FULL (a batch is answered only once it is
// on disk). Several connections (one per server thread) share the file; writers serialise
// on BEGIN IMMEDIATE with a busy timeout.
//
// Sections: a little RAII over sqlite3 · schema · the store.
#include <sqlite3.h>

#include <cstdint>
#include <map>

#include "allervers/server/store.hpp"

namespace allervers::server {
namespace {

// --- a little RAII over sqlite3 --------------------------------------------------------

class Db;

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql);
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); return *this; }
  Stmt& bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& bind(int i, const std::optional<std::int64_t>& v) {
    if (v) return bind(i, *v);
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  Stmt& bind(int i, const std::optional<std::string>& v) {
    if (v) return bind(i, *v);
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(rc);
  }
  void run() { while (step()) {} }
  void reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }
  bool null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t i64(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::optional<std::int64_t> opt(int c) const { return null(c) ? std::nullopt : std::optional(i64(c)); }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c))) : std::string();
  }

 private:
  void check(int rc) { if (rc != SQLITE_OK) fail(rc); }
  [[noreturn]] void fail(int rc) {
    throw StoreError("SQLite: " + std::string(sqlite3_errmsg(db_)) + " (code " + std::to_string(rc) + ") in: " + sql_.substr(0, 120));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

Stmt::Stmt(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
  if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    fail(sqlite3_errcode(db));
}

// A cached statement in use: reset when it goes out of scope.
class Use {
 public:
  explicit Use(Stmt& s) : s_(s) {}
  ~Use() { s_.reset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  Stmt* operator->() { return &s_; }

 private:
  Stmt& s_;
};

class Db {
 public:
  explicit Db(const std::string& path) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError("cannot open the server database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  }
  ~Db() {
    cache_.clear();
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw StoreError("SQLite (" + path_ + "): " + msg + " in: " + sql.substr(0, 120));
    }
  }
  Use q(const std::string& sql) {
    auto& slot = cache_[sql];
    if (!slot) slot = std::make_unique<Stmt>(db_, sql);
    return Use(*slot);
  }
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Begins in its constructor, rolls back in its destructor unless committed.
class Tx {
 public:
  explicit Tx(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Tx() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  Db& db_;
  bool done_ = false;
};

// --- schema ----------------------------------------------------------------------------

struct Migration {
  const char* what;
  const char* sql;
};
const Migration kMigrations[] = {
    {"devices, enrolment codes, captures, rejections, conflicts, catalogs",
     R"(
CREATE TABLE devices(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT UNIQUE,
  enrolled_ms INTEGER NOT NULL, revoked_ms INTEGER, last_seen_ms INTEGER, last_batch_ms INTEGER,
  clock_offset_ms INTEGER, pending_on_device INTEGER);
CREATE TABLE enrol_codes(
  code_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
  used_ms INTEGER, device TEXT);
CREATE TABLE captures(
  id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, consultation TEXT NOT NULL,
  version INTEGER NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL,
  captured_ms INTEGER NOT NULL, captured_offset_min INTEGER NOT NULL, corrected_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL, batch TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX captures_by_device ON captures(device, seq);
CREATE TABLE rejections(
  device TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
  body TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY(device, seq));
CREATE TABLE conflicts(
  id TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY(id, device, seq));
CREATE TABLE catalogs(id INTEGER PRIMARY KEY, json TEXT NOT NULL, published_ms INTEGER NOT NULL);
)"},
    {"passes: server keys, device certificates, revoked and printed passes, office tokens; sign-ins by assembly",
     R"(
ALTER TABLE captures ADD COLUMN assembly TEXT;
ALTER TABLE captures ADD COLUMN pass TEXT;
UPDATE captures SET assembly = json_extract(body, '$.signin.assembly'),
  pass = COALESCE(json_extract(body, '$.signin.pass'), '') WHERE kind = 'signin';
CREATE INDEX captures_by_assembly ON captures(assembly, pass) WHERE assembly IS NOT NULL;
CREATE TABLE server_secrets(name TEXT PRIMARY KEY, value TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE certificates(
  serial INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, text TEXT NOT NULL, issued_ms INTEGER NOT NULL,
  revoked_ms INTEGER);
CREATE INDEX certificates_by_device ON certificates(device);
CREATE TABLE revoked_passes(pass TEXT PRIMARY KEY, reason TEXT NOT NULL, revoked_ms INTEGER NOT NULL);
CREATE TABLE printed_passes(pass TEXT PRIMARY KEY, printed_ms INTEGER NOT NULL);
CREATE TABLE office_tokens(token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
)"},
};

// --- the store -------------------------------------------------------------------------

class SqliteStore final : public ServerStore {
 public:
  explicit SqliteStore(const std::string& path) : db_(path), path_(path) {}
  const char* backend() const override { return "sqlite"; }

  void migrate() override {
    const int latest = static_cast<int>(std::size(kMigrations));
    for (;;) {
      Tx tx(db_);  // read and upgrade under the write lock: several servers may start at once
      int have = 0;
      {
        auto q = db_.q("PRAGMA user_version");
        q->step();
        have = static_cast<int>(q->i64(0));
      }
      if (have > latest)
        throw StoreError("the server database " + path_ + " has schema version " + std::to_string(have) +
                         ", newer than this allervers-server knows (" + std::to_string(latest) + "): upgrade the server");
      if (have == latest) return;
      db_.exec(kMigrations[have].sql);
      db_.exec("PRAGMA user_version=" + std::to_string(have + 1));
      tx.commit();
    }
  }

  void add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms,
                      std::int64_t now_ms) override {
    Tx tx(db_);
    db_.q("INSERT INTO enrol_codes(code_hash, name, created_ms, expires_ms) VALUES(?,?,?,?)")
        ->bind(1, code_hash).bind(2, name).bind(3, now_ms).bind(4, expires_ms).run();
    tx.commit();
  }

  EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                    const std::string& token_hash, std::int64_t now_ms,
                    const std::function<std::string(std::uint32_t)>& certify) override {
    Tx tx(db_);
    std::string name;
    {
      auto q = db_.q("SELECT name, expires_ms, used_ms FROM enrol_codes WHERE code_hash=?");
      q->bind(1, code_hash);
      if (!q->step()) return {EnrolOutcome::unknown_code, {}, std::nullopt, {}};
      if (!q->null(2)) return {EnrolOutcome::already_used, {}, std::nullopt, {}};
      if (q->i64(1) < now_ms) return {EnrolOutcome::expired, {}, std::nullopt, {}};
      name = q->text(0);
    }
    if (name.empty()) name = fallback_name;
    db_.q("UPDATE enrol_codes SET used_ms=?, device=? WHERE code_hash=?")->bind(1, now_ms).bind(2, device).bind(3, code_hash).run();
    // A device enrolled again (reset, or found after being revoked) gets a new token.
    db_.q("INSERT INTO devices(id, name, token_hash, enrolled_ms, last_seen_ms) VALUES(?,?,?,?,?) "
          "ON CONFLICT(id) DO UPDATE SET name=excluded.name, token_hash=excluded.token_hash, "
          "enrolled_ms=excluded.enrolled_ms, revoked_ms=NULL, last_seen_ms=excluded.last_seen_ms")
        ->bind(1, device).bind(2, name).bind(3, token_hash).bind(4, now_ms).bind(5, now_ms).run();
    EnrolResult result{EnrolOutcome::enrolled, name, std::nullopt, {}};
    if (certify) {
      const auto row = insert_certificate(device, certify, now_ms);
      result.certificate_serial = row.serial;
      result.certificate = row.text;
    }
    tx.commit();
    return result;
  }

  std::optional<DeviceRow> device_by_token(const std::string& token_hash) override {
    auto q = db_.q("SELECT id, name, revoked_ms FROM devices WHERE token_hash=?");
    q->bind(1, token_hash);
    if (!q->step()) return std::nullopt;
    return DeviceRow{q->text(0), q->text(1), !q->null(2)};
  }

  void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> offset) override {
    db_.q("UPDATE devices SET last_seen_ms=?, clock_offset_ms=COALESCE(?, clock_offset_ms) WHERE id=?")
        ->bind(1, now_ms).bind(2, offset).bind(3, device).run();
  }

  bool revoke_device(const std::string& id_or_name, std::int64_t now_ms) override {
    Tx tx(db_);
    db_.q("UPDATE devices SET revoked_ms=COALESCE(revoked_ms, ?) WHERE id=? OR name=?")
        ->bind(1, now_ms).bind(2, id_or_name).bind(3, id_or_name).run();
    const bool found = db_.changes() > 0;
    db_.q("UPDATE certificates SET revoked_ms=COALESCE(revoked_ms, ?) WHERE device IN (SELECT id FROM devices WHERE id=? OR name=?)")
        ->bind(1, now_ms).bind(2, id_or_name).bind(3, id_or_name).run();
    tx.commit();
    return found;
  }

  std::vector<DeviceSummary> list_devices() override {
    std::vector<DeviceSummary> out;
    auto q = db_.q(R"(
SELECT d.id, d.name, d.revoked_ms, d.enrolled_ms, d.last_seen_ms, d.last_batch_ms, d.clock_offset_ms, d.pending_on_device,
  (SELECT COUNT(*) FROM captures c WHERE c.device = d.id),
  (SELECT COUNT(*) FROM rejections r WHERE r.device = d.id),
  (SELECT COALESCE(MAX(seq), 0) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id)),
  (SELECT COUNT(*) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id))
FROM devices d ORDER BY d.name, d.id)");
    while (q->step()) {
      DeviceSummary s;
      s.id = q->text(0);
      s.name = q->text(1);
      s.revoked = !q->null(2);
      s.enrolled_ms = q->i64(3);
      s.last_seen_ms = q->opt(4);
      s.last_batch_ms = q->opt(5);
      s.clock_offset_ms = q->opt(6);
      s.pending_on_device = q->opt(7);
      s.records_held = q->i64(8);
      s.rejected = q->i64(9);
      s.max_seq = q->i64(10);
      s.gaps = s.max_seq - q->i64(11);
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<InsertOutcome> ingest(const IngestBatch& b) override {
    std::vector<InsertOutcome> out;
    out.reserve(b.captures.size());
    Tx tx(db_);
    {
      auto ins = db_.q(
          "INSERT INTO captures(id, device, seq, kind, consultation, version, channel, language, captured_ms, "
          "captured_offset_min, corrected_ms, received_ms, batch, body, assembly, pass) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT(id) DO NOTHING");
      for (const auto& c : b.captures) {
        ins->bind(1, c.id).bind(2, c.device).bind(3, c.seq).bind(4, c.kind).bind(5, c.consultation)
            .bind(6, std::int64_t{c.version}).bind(7, c.channel).bind(8, c.language).bind(9, c.captured_ms)
            .bind(10, std::int64_t{c.captured_offset_min}).bind(11, c.corrected_ms).bind(12, c.received_ms)
            .bind(13, c.batch).bind(14, c.body);
        const bool signin = c.kind == "signin";
        ins->bind(15, signin ? std::optional(c.assembly) : std::nullopt).bind(16, signin ? std::optional(c.pass) : std::nullopt);
        ins->run();
        const bool inserted = db_.changes() > 0;
        ins->reset();
        if (inserted) {
          out.push_back(InsertOutcome::inserted);
          continue;
        }
        std::string held;
        {
          auto sel = db_.q("SELECT body FROM captures WHERE id=?");
          sel->bind(1, c.id);
          if (sel->step()) held = sel->text(0);
        }
        if (held == c.body) {
          out.push_back(InsertOutcome::duplicate);
        } else {
          out.push_back(InsertOutcome::conflict);
          db_.q("INSERT INTO conflicts(id, device, seq, body, at_ms) VALUES(?,?,?,?,?) ON CONFLICT DO NOTHING")
              ->bind(1, c.id).bind(2, c.device).bind(3, c.seq).bind(4, c.body).bind(5, b.received_ms).run();
        }
      }
    }
    for (const auto& r : b.rejections)
      db_.q("INSERT INTO rejections(device, seq, id, code, reason, body, at_ms) VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")
          ->bind(1, r.device).bind(2, r.seq).bind(3, r.id).bind(4, r.code).bind(5, r.reason).bind(6, r.body)
          .bind(7, r.at_ms).run();
    db_.q("INSERT INTO devices(id, name, enrolled_ms, last_batch_ms, clock_offset_ms, pending_on_device, last_seen_ms) "
          "VALUES(?, '(bundle)', ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET last_batch_ms=excluded.last_batch_ms, "
          "last_seen_ms=COALESCE(excluded.last_seen_ms, devices.last_seen_ms), "
          "clock_offset_ms=COALESCE(excluded.clock_offset_ms, devices.clock_offset_ms), "
          "pending_on_device=COALESCE(excluded.pending_on_device, devices.pending_on_device)")
        ->bind(1, b.device).bind(2, b.received_ms).bind(3, b.received_ms).bind(4, b.clock_offset_ms)
        .bind(5, b.pending_after).bind(6, b.from_device ? std::optional(b.received_ms) : std::nullopt).run();
    tx.commit();
    return out;
  }

  std::int64_t capture_count() override {
    auto q = db_.q("SELECT COUNT(*) FROM captures");
    q->step();
    return q->i64(0);
  }

  std::int64_t conflict_count() override {
    auto q = db_.q("SELECT COUNT(*) FROM conflicts");
    q->step();
    return q->i64(0);
  }

  void for_each_refused(const std::function<void(const RefusedRow&)>& visit) override {
    auto q = db_.q(R"(SELECT 'rejected', device, seq, id, code, reason, body, at_ms FROM rejections
UNION ALL SELECT 'conflict', device, seq, id, 'id_conflict', '', body, at_ms FROM conflicts ORDER BY 8, 2, 3)");
    while (q->step())
      visit({q->text(0), q->text(1), q->i64(2), q->text(3), q->text(4), q->text(5), q->text(6), q->i64(7)});
  }

  void for_each_capture(const std::function<void(const CaptureRow&)>& visit) override {
    auto q = db_.q("SELECT id, device, seq, kind, consultation, version, channel, language, captured_ms, "
                   "captured_offset_min, corrected_ms, received_ms, batch, body FROM captures ORDER BY received_ms, device, seq");
    while (q->step()) {
      CaptureRow r;
      r.id = q->text(0);
      r.device = q->text(1);
      r.seq = q->i64(2);
      r.kind = q->text(3);
      r.consultation = q->text(4);
      r.version = static_cast<std::int32_t>(q->i64(5));
      r.channel = q->text(6);
      r.language = q->text(7);
      r.captured_ms = q->i64(8);
      r.captured_offset_min = static_cast<std::int32_t>(q->i64(9));
      r.corrected_ms = q->i64(10);
      r.received_ms = q->i64(11);
      r.batch = q->text(12);
      r.body = q->text(13);
      visit(r);
    }
  }

  std::int64_t add_catalog(const std::string& json, std::int64_t now_ms) override {
    Tx tx(db_);
    db_.q("INSERT INTO catalogs(json, published_ms) VALUES(?,?)")->bind(1, json).bind(2, now_ms).run();
    const auto id = sqlite3_last_insert_rowid(db_.handle());
    tx.commit();
    return id;
  }

  std::int64_t latest_catalog_id() override {
    auto q = db_.q("SELECT COALESCE(MAX(id), 0) FROM catalogs");
    q->step();
    return q->i64(0);
  }

  std::vector<CatalogDocument> catalogs() override {
    std::vector<CatalogDocument> out;
    auto q = db_.q("SELECT id, json, published_ms FROM catalogs ORDER BY id");
    while (q->step()) out.push_back({q->i64(0), q->text(1), q->i64(2)});
    return out;
  }

  std::string server_secret(const std::string& name, const std::function<std::string()>& make, std::int64_t now_ms) override {
    {
      auto q = db_.q("SELECT value FROM server_secrets WHERE name=?");
      q->bind(1, name);
      if (q->step()) return q->text(0);
    }
    const std::string made = make();
    Tx tx(db_);  // another server may have stored one meanwhile: the first stored wins
    db_.q("INSERT INTO server_secrets(name, value, created_ms) VALUES(?,?,?) ON CONFLICT(name) DO NOTHING")
        ->bind(1, name).bind(2, made).bind(3, now_ms).run();
    std::string held;
    {
      auto q = db_.q("SELECT value FROM server_secrets WHERE name=?");
      q->bind(1, name);
      q->step();
      held = q->text(0);
    }
    tx.commit();
    return held;
  }

  CertificateRow add_certificate(const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                 std::int64_t now_ms) override {
    Tx tx(db_);
    auto row = insert_certificate(device, sign, now_ms);
    tx.commit();
    return row;
  }

  std::vector<CertificateRow> certificates() override {
    std::vector<CertificateRow> out;
    auto q = db_.q("SELECT serial, device, text, issued_ms, revoked_ms FROM certificates ORDER BY serial");
    while (q->step())
      out.push_back({static_cast<std::uint32_t>(q->i64(0)), q->text(1), q->text(2), q->i64(3), q->opt(4)});
    return out;
  }

  bool revoke_pass(const std::string& pass, const std::string& reason, std::int64_t now_ms) override {
    Tx tx(db_);
    db_.q("INSERT INTO revoked_passes(pass, reason, revoked_ms) VALUES(?,?,?) ON CONFLICT(pass) DO NOTHING")
        ->bind(1, pass).bind(2, reason).bind(3, now_ms).run();
    const bool fresh = db_.changes() > 0;
    tx.commit();
    return fresh;
  }

  std::vector<RevokedPassRow> revoked_passes() override {
    std::vector<RevokedPassRow> out;
    auto q = db_.q("SELECT pass, reason, revoked_ms FROM revoked_passes ORDER BY revoked_ms, pass");
    while (q->step()) out.push_back({q->text(0), q->text(1), q->i64(2)});
    return out;
  }

  void add_printed_passes(const std::vector<std::string>& ids, std::int64_t now_ms) override {
    Tx tx(db_);
    auto ins = db_.q("INSERT INTO printed_passes(pass, printed_ms) VALUES(?,?) ON CONFLICT(pass) DO NOTHING");
    for (const auto& id : ids) {
      ins->bind(1, id).bind(2, now_ms).run();
      ins->reset();
    }
    tx.commit();
  }

  std::optional<std::int64_t> printed_pass(const std::string& id) override {
    auto q = db_.q("SELECT printed_ms FROM printed_passes WHERE pass=?");
    q->bind(1, id);
    return q->step() ? std::optional(q->i64(0)) : std::nullopt;
  }

  std::int64_t printed_pass_count() override {
    auto q = db_.q("SELECT COUNT(*) FROM printed_passes");
    q->step();
    return q->i64(0);
  }

  std::vector<AttendanceRow> attendance(const std::optional<std::string>& assembly) override {
    std::vector<AttendanceRow> out;
    auto q = db_.q(R"(
SELECT assembly, COUNT(DISTINCT NULLIF(pass, '')), SUM(CASE WHEN pass = '' THEN 1 ELSE 0 END), COUNT(*), COUNT(DISTINCT device)
FROM captures WHERE assembly IS NOT NULL AND (?1 IS NULL OR assembly = ?1) GROUP BY assembly ORDER BY assembly)");
    q->bind(1, assembly);
    while (q->step()) {
      AttendanceRow r;
      r.assembly = q->text(0);
      r.with_pass = q->i64(1);
      r.without_pass = q->i64(2);
      r.people = r.with_pass + r.without_pass;
      r.scans = q->i64(3);
      r.devices = q->i64(4);
      out.push_back(std::move(r));
    }
    return out;
  }

  void add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms) override {
    Tx tx(db_);
    db_.q("INSERT INTO office_tokens(token_hash, name, created_ms) VALUES(?,?,?)")->bind(1, token_hash).bind(2, name).bind(3, now_ms).run();
    tx.commit();
  }

  std::optional<std::string> office_by_token(const std::string& token_hash) override {
    auto q = db_.q("SELECT name FROM office_tokens WHERE token_hash=?");
    q->bind(1, token_hash);
    return q->step() ? std::optional(q->text(0)) : std::nullopt;
  }

 private:
  // Inside a transaction: the serial comes from the row, then the text signed for it.
  CertificateRow insert_certificate(const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                    std::int64_t now_ms) {
    db_.q("INSERT INTO certificates(device, text, issued_ms) VALUES(?, '', ?)")->bind(1, device).bind(2, now_ms).run();
    const auto serial = sqlite3_last_insert_rowid(db_.handle());
    if (serial <= 0 || serial > std::int64_t{UINT32_MAX}) throw StoreError("device certificate serials are exhausted");
    CertificateRow row{static_cast<std::uint32_t>(serial), device, sign(static_cast<std::uint32_t>(serial)), now_ms, std::nullopt};
    db_.q("UPDATE certificates SET text=? WHERE serial=?")->bind(1, row.text).bind(2, serial).run();
    return row;
  }

  Db db_;
  std::string path_;
};

}  // namespace

std::unique_ptr<ServerStore> open_sqlite_store(const std::string& path) {
  auto store = std::make_unique<SqliteStore>(path);
  store->migrate();
  return store;
}

std::unique_ptr<ServerStore> open_store(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return open_postgres_store(url);
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite_store(url.substr(7));
  if (url.find("://") != std::string::npos)
    throw StoreError("unknown database \"" + url + "\": use sqlite:PATH or postgresql://USER@HOST:PORT/DB");
  return open_sqlite_store(url);
}

}  // namespace allervers::server
