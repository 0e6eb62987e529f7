// The PostgreSQL backend (libpq): for a territory's server, or several servers sharing one
// database. A batch is one transaction of a few statements whatever its size: captures are
// COPied into a session-local staging table, one INSERT … ON CONFLICT (id) DO NOTHING
// RETURNING tells which were new, the others are compared with what is held. Rejections and
// conflicts (few) go in as one JSON parameter expanded by json_to_recordset.
//
// Sections: a little RAII over libpq · schema · the store.
#include <libpq-fe.h>

#include <nlohmann/json.hpp>
#include <cstdint>
#include <set>
#include <unordered_map>

#include "allervers/server/store.hpp"

namespace allervers::server {
namespace {

using nlohmann::json;

// --- a little RAII over libpq ----------------------------------------------------------

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  int rows() const { return PQntuples(r_); }
  bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::int64_t i64(int row, int col) const { return std::stoll(text(row, col)); }
  std::optional<std::int64_t> opt(int row, int col) const { return null(row, col) ? std::nullopt : std::optional(i64(row, col)); }
  friend PGresult* start_raw(const Result& r) { return r.r_; }

 private:
  PGresult* r_;
};

using Param = std::optional<std::string>;  // nullopt: SQL NULL

std::string str(std::int64_t v) { return std::to_string(v); }
// A field of COPY's text format: backslash, tab and line breaks escaped. Captures reach here
// validated (valid UTF-8, canonical JSON), so nothing else needs care.
std::string copy_text(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char ch : text) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
  return out;
}
Param opt(const std::optional<std::int64_t>& v) { return v ? Param(std::to_string(*v)) : std::nullopt; }

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to PostgreSQL (" + redact(conninfo) + "): " + msg);
    }
    exec("SET client_min_messages = warning");
  }
  ~Connection() {
    if (conn_) PQfinish(conn_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(const std::string& sql, const std::vector<Param>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      throw StoreError("PostgreSQL: " + msg + " in: " + sql.substr(0, 120));
    }
    return Result(r);
  }
  // COPY … FROM STDIN with `data` in COPY's text format.
  void copy_in(const std::string& sql, const std::string& data) {
    Result start(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(start_raw(start)) != PGRES_COPY_IN) throw StoreError("PostgreSQL: " + std::string(PQerrorMessage(conn_)) + " in: " + sql.substr(0, 80));
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(conn_, nullptr) != 1)
      throw StoreError("PostgreSQL: COPY failed: " + std::string(PQerrorMessage(conn_)));
    for (PGresult* r = PQgetResult(conn_); r; r = PQgetResult(conn_)) {
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      if (!ok) throw StoreError("PostgreSQL: " + msg + " in: " + sql.substr(0, 80));
    }
  }
  // Several statements without parameters (schema steps).
  void exec_script(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    std::string msg = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw StoreError("PostgreSQL: " + msg + " in: " + sql.substr(0, 120));
  }
  bool alive() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

  static std::string redact(const std::string& conninfo) {  // no password in messages
    const auto at = conninfo.find('@');
    const auto scheme = conninfo.find("://");
    if (at == std::string::npos || scheme == std::string::npos) return conninfo;
    const auto colon = conninfo.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return conninfo;
    return conninfo.substr(0, colon) + ":***" + conninfo.substr(at);
  }

 private:
  PGconn* conn_ = nullptr;
};

class Tx {
 public:
  explicit Tx(Connection& c) : c_(c) { c_.exec("BEGIN"); }
  ~Tx() {
    if (!done_) {
      try {
        c_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

// --- schema ----------------------------------------------------------------------------

const char* const kMigrations[] = {
    // 1: devices, enrolment codes, captures, rejections, conflicts, catalogs
    R"(
CREATE TABLE devices(
  id uuid PRIMARY KEY, name text NOT NULL, token_hash text UNIQUE,
  enrolled_ms bigint NOT NULL, revoked_ms bigint, last_seen_ms bigint, last_batch_ms bigint,
  clock_offset_ms bigint, pending_on_device bigint);
CREATE TABLE enrol_codes(
  code_hash text PRIMARY KEY, name text NOT NULL, created_ms bigint NOT NULL, expires_ms bigint NOT NULL,
  used_ms bigint, device uuid);
CREATE TABLE captures(
  id uuid PRIMARY KEY, device uuid NOT NULL, seq bigint NOT NULL, kind text NOT NULL, consultation text NOT NULL,
  version integer NOT NULL, channel text NOT NULL, language text NOT NULL,
  captured_ms bigint NOT NULL, captured_offset_min integer NOT NULL, corrected_ms bigint NOT NULL,
  received_ms bigint NOT NULL, batch text NOT NULL, body text NOT NULL);
CREATE INDEX captures_by_device ON captures(device, seq);
CREATE TABLE rejections(
  device uuid NOT NULL, seq bigint NOT NULL, id text NOT NULL, code text NOT NULL, reason text NOT NULL,
  body text NOT NULL, at_ms bigint NOT NULL, PRIMARY KEY(device, seq));
CREATE TABLE conflicts(
  id uuid NOT NULL, device uuid NOT NULL, seq bigint NOT NULL, body text NOT NULL, at_ms bigint NOT NULL,
  PRIMARY KEY(id, device, seq));
CREATE TABLE catalogs(id bigserial PRIMARY KEY, json text NOT NULL, published_ms bigint NOT NULL);
)",
    // 2: passes: server keys, device certificates, revoked and printed passes, office tokens; sign-ins by assembly
    R"(
ALTER TABLE captures ADD COLUMN assembly text;
ALTER TABLE captures ADD COLUMN pass text;
UPDATE captures SET assembly = body::json->'signin'->>'assembly', pass = COALESCE(body::json->'signin'->>'pass', '')
  WHERE kind = 'signin';
CREATE INDEX captures_by_assembly ON captures(assembly, pass) WHERE assembly IS NOT NULL;
CREATE TABLE server_secrets(name text PRIMARY KEY, value text NOT NULL, created_ms bigint NOT NULL);
CREATE TABLE certificates(
  serial bigserial PRIMARY KEY, device uuid NOT NULL, text text NOT NULL, issued_ms bigint NOT NULL, revoked_ms bigint);
CREATE INDEX certificates_by_device ON certificates(device);
CREATE TABLE revoked_passes(pass text PRIMARY KEY, reason text NOT NULL, revoked_ms bigint NOT NULL);
CREATE TABLE printed_passes(pass text PRIMARY KEY, printed_ms bigint NOT NULL);
CREATE TABLE office_tokens(token_hash text PRIMARY KEY, name text NOT NULL, created_ms bigint NOT NULL);
)",
};

// --- the store -------------------------------------------------------------------------

class PostgresStore final : public ServerStore {
 public:
  explicit PostgresStore(const std::string& conninfo) : c_(conninfo) {}

  // The staging table of ingest: private to this connection, emptied at each commit.
  void prepare_session() {
    c_.exec("CREATE TEMP TABLE IF NOT EXISTS incoming (LIKE captures) ON COMMIT DELETE ROWS");
  }
  const char* backend() const override { return "postgresql"; }

  void migrate() override {
    const int latest = static_cast<int>(std::size(kMigrations));
    Tx tx(c_);
    // Several servers may start at once on one database: one migrates, the others wait.
    c_.exec("SELECT pg_advisory_xact_lock(7242016)");
    c_.exec("CREATE TABLE IF NOT EXISTS allervers_schema(version integer NOT NULL)");
    auto r = c_.exec("SELECT COALESCE(MAX(version), 0) FROM allervers_schema");
    const int have = static_cast<int>(r.i64(0, 0));
    if (have > latest)
      throw StoreError("the PostgreSQL database has schema version " + std::to_string(have) + ", newer than this allervers-server knows (" +
                       std::to_string(latest) + "): upgrade the server");
    for (int v = have; v < latest; ++v) {
      c_.exec_script(kMigrations[v]);
      c_.exec("DELETE FROM allervers_schema");
      c_.exec("INSERT INTO allervers_schema(version) VALUES($1)", {str(v + 1)});
    }
    tx.commit();
  }

  void add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms, std::int64_t now_ms) override {
    c_.exec("INSERT INTO enrol_codes(code_hash, name, created_ms, expires_ms) VALUES($1,$2,$3,$4)",
            {code_hash, name, str(now_ms), str(expires_ms)});
  }

  EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                    const std::string& token_hash, std::int64_t now_ms,
                    const std::function<std::string(std::uint32_t)>& certify) override {
    Tx tx(c_);
    auto r = c_.exec("SELECT name, expires_ms, used_ms FROM enrol_codes WHERE code_hash=$1 FOR UPDATE", {code_hash});
    if (r.rows() == 0) return {EnrolOutcome::unknown_code, {}, std::nullopt, {}};
    if (!r.null(0, 2)) return {EnrolOutcome::already_used, {}, std::nullopt, {}};
    if (r.i64(0, 1) < now_ms) return {EnrolOutcome::expired, {}, std::nullopt, {}};
    std::string name = r.text(0, 0);
    if (name.empty()) name = fallback_name;
    c_.exec("UPDATE enrol_codes SET used_ms=$1, device=$2 WHERE code_hash=$3", {str(now_ms), device, code_hash});
    c_.exec("INSERT INTO devices(id, name, token_hash, enrolled_ms, last_seen_ms) VALUES($1,$2,$3,$4,$4) "
            "ON CONFLICT(id) DO UPDATE SET name=excluded.name, token_hash=excluded.token_hash, "
            "enrolled_ms=excluded.enrolled_ms, revoked_ms=NULL, last_seen_ms=excluded.last_seen_ms",
            {device, name, token_hash, str(now_ms)});
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
    auto r = c_.exec("SELECT id::text, name, revoked_ms FROM devices WHERE token_hash=$1", {token_hash});
    if (r.rows() == 0) return std::nullopt;
    return DeviceRow{r.text(0, 0), r.text(0, 1), !r.null(0, 2)};
  }

  void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> offset) override {
    c_.exec("UPDATE devices SET last_seen_ms=$1, clock_offset_ms=COALESCE($2::bigint, clock_offset_ms) WHERE id=$3",
            {str(now_ms), opt(offset), device});
  }

  bool revoke_device(const std::string& id_or_name, std::int64_t now_ms) override {
    Tx tx(c_);
    auto r = c_.exec("UPDATE devices SET revoked_ms=COALESCE(revoked_ms, $1) WHERE id::text=$2 OR name=$2 RETURNING id",
                     {str(now_ms), id_or_name});
    c_.exec("UPDATE certificates SET revoked_ms=COALESCE(revoked_ms, $1) "
            "WHERE device IN (SELECT id FROM devices WHERE id::text=$2 OR name=$2)",
            {str(now_ms), id_or_name});
    tx.commit();
    return r.rows() > 0;
  }

  std::vector<DeviceSummary> list_devices() override {
    auto r = c_.exec(R"(
SELECT d.id::text, d.name, d.revoked_ms, d.enrolled_ms, d.last_seen_ms, d.last_batch_ms, d.clock_offset_ms, d.pending_on_device,
  (SELECT COUNT(*) FROM captures c WHERE c.device = d.id),
  (SELECT COUNT(*) FROM rejections r WHERE r.device = d.id),
  (SELECT COALESCE(MAX(seq), 0) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id) s),
  (SELECT COUNT(*) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id) s)
FROM devices d ORDER BY d.name, d.id)");
    std::vector<DeviceSummary> out;
    for (int i = 0; i < r.rows(); ++i) {
      DeviceSummary s;
      s.id = r.text(i, 0);
      s.name = r.text(i, 1);
      s.revoked = !r.null(i, 2);
      s.enrolled_ms = r.i64(i, 3);
      s.last_seen_ms = r.opt(i, 4);
      s.last_batch_ms = r.opt(i, 5);
      s.clock_offset_ms = r.opt(i, 6);
      s.pending_on_device = r.opt(i, 7);
      s.records_held = r.i64(i, 8);
      s.rejected = r.i64(i, 9);
      s.max_seq = r.i64(i, 10);
      s.gaps = s.max_seq - r.i64(i, 11);
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<InsertOutcome> ingest(const IngestBatch& b) override {
    std::vector<InsertOutcome> out(b.captures.size(), InsertOutcome::inserted);
    Tx tx(c_);
    if (!b.captures.empty()) {
      // COPY into a session-local staging table, then one INSERT … ON CONFLICT: the cheapest
      // way in for rows that must still be checked against what is held.
      std::string data;
      data.reserve(b.captures.size() * (b.captures.front().body.size() + 200));
      for (const auto& c : b.captures) {
        data += c.id + '\t' + c.device + '\t' + std::to_string(c.seq) + '\t' + copy_text(c.kind) + '\t' +
                copy_text(c.consultation) + '\t' + std::to_string(c.version) + '\t' + copy_text(c.channel) + '\t' +
                copy_text(c.language) + '\t' + std::to_string(c.captured_ms) + '\t' + std::to_string(c.captured_offset_min) +
                '\t' + std::to_string(c.corrected_ms) + '\t' + std::to_string(c.received_ms) + '\t' + copy_text(c.batch) +
                '\t' + copy_text(c.body);
        if (c.kind == "signin") data += '\t' + copy_text(c.assembly) + '\t' + copy_text(c.pass) + '\n';
        else data += "\t\\N\t\\N\n";
      }
      c_.copy_in("COPY incoming(id, device, seq, kind, consultation, version, channel, language, captured_ms, "
                 "captured_offset_min, corrected_ms, received_ms, batch, body, assembly, pass) FROM STDIN",
                 data);
      auto inserted = c_.exec("INSERT INTO captures SELECT * FROM incoming ON CONFLICT (id) DO NOTHING RETURNING id::text");
      std::set<std::string> fresh;
      for (int i = 0; i < inserted.rows(); ++i) fresh.insert(inserted.text(i, 0));
      // The first occurrence of a fresh id was inserted; anything else is compared with what is held.
      std::vector<std::size_t> check;
      for (std::size_t i = 0; i < b.captures.size(); ++i) {
        if (fresh.erase(b.captures[i].id) == 0) check.push_back(i);
      }
      if (!check.empty()) {
        std::string ids = "{";
        for (std::size_t k = 0; k < check.size(); ++k) ids += (k ? "," : "") + b.captures[check[k]].id;
        ids += "}";
        auto held = c_.exec("SELECT id::text, body FROM captures WHERE id = ANY($1::uuid[])", {ids});
        std::unordered_map<std::string, std::string> bodies;
        for (int i = 0; i < held.rows(); ++i) bodies[held.text(i, 0)] = held.text(i, 1);
        json conflicts = json::array();
        for (auto i : check) {
          const auto& c = b.captures[i];
          if (bodies[c.id] == c.body) {
            out[i] = InsertOutcome::duplicate;
          } else {
            out[i] = InsertOutcome::conflict;
            conflicts.push_back({{"id", c.id}, {"device", c.device}, {"seq", c.seq}, {"body", c.body}, {"at_ms", b.received_ms}});
          }
        }
        if (!conflicts.empty())
          c_.exec("INSERT INTO conflicts(id, device, seq, body, at_ms) SELECT id, device, seq, body, at_ms "
                  "FROM json_to_recordset($1::json) AS r(id uuid, device uuid, seq bigint, body text, at_ms bigint) "
                  "ON CONFLICT DO NOTHING",
                  {conflicts.dump(-1, ' ', false, json::error_handler_t::replace)});
      }
    }
    if (!b.rejections.empty()) {
      json rows = json::array();
      for (const auto& r : b.rejections)
        rows.push_back({{"device", r.device}, {"seq", r.seq}, {"id", r.id}, {"code", r.code}, {"reason", r.reason},
                        {"body", r.body}, {"at_ms", r.at_ms}});
      c_.exec("INSERT INTO rejections(device, seq, id, code, reason, body, at_ms) SELECT device, seq, id, code, reason, body, at_ms "
              "FROM json_to_recordset($1::json) AS r(device uuid, seq bigint, id text, code text, reason text, body text, at_ms bigint) "
              "ON CONFLICT DO NOTHING",
              {rows.dump(-1, ' ', false, json::error_handler_t::replace)});
    }
    c_.exec("INSERT INTO devices(id, name, enrolled_ms, last_batch_ms, clock_offset_ms, pending_on_device, last_seen_ms) "
            "VALUES($1, '(bundle)', $2, $2, $3, $4, $5) ON CONFLICT(id) DO UPDATE SET last_batch_ms=excluded.last_batch_ms, "
            "last_seen_ms=COALESCE(excluded.last_seen_ms, devices.last_seen_ms), "
            "clock_offset_ms=COALESCE(excluded.clock_offset_ms, devices.clock_offset_ms), "
            "pending_on_device=COALESCE(excluded.pending_on_device, devices.pending_on_device)",
            {b.device, str(b.received_ms), opt(b.clock_offset_ms), opt(b.pending_after),
             b.from_device ? Param(str(b.received_ms)) : std::nullopt});
    tx.commit();
    return out;
  }

  std::int64_t capture_count() override { return c_.exec("SELECT COUNT(*) FROM captures").i64(0, 0); }
  std::int64_t conflict_count() override { return c_.exec("SELECT COUNT(*) FROM conflicts").i64(0, 0); }

  void for_each_refused(const std::function<void(const RefusedRow&)>& visit) override {
    auto r = c_.exec(R"(SELECT 'rejected', device::text, seq, id, code, reason, body, at_ms FROM rejections
UNION ALL SELECT 'conflict', device::text, seq, id::text, 'id_conflict', '', body, at_ms FROM conflicts ORDER BY 8, 2, 3)");
    for (int i = 0; i < r.rows(); ++i)
      visit({r.text(i, 0), r.text(i, 1), r.i64(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6), r.i64(i, 7)});
  }

  void for_each_capture(const std::function<void(const CaptureRow&)>& visit) override {
    // In pages, so an export of millions of rows does not sit in memory at once.
    Tx tx(c_);
    c_.exec("DECLARE export_cursor NO SCROLL CURSOR FOR SELECT id::text, device::text, seq, kind, consultation, version, "
            "channel, language, captured_ms, captured_offset_min, corrected_ms, received_ms, batch, body FROM captures "
            "ORDER BY received_ms, device, seq");
    for (;;) {
      auto r = c_.exec("FETCH 5000 FROM export_cursor");
      if (r.rows() == 0) break;
      for (int i = 0; i < r.rows(); ++i) {
        CaptureRow row;
        row.id = r.text(i, 0);
        row.device = r.text(i, 1);
        row.seq = r.i64(i, 2);
        row.kind = r.text(i, 3);
        row.consultation = r.text(i, 4);
        row.version = static_cast<std::int32_t>(r.i64(i, 5));
        row.channel = r.text(i, 6);
        row.language = r.text(i, 7);
        row.captured_ms = r.i64(i, 8);
        row.captured_offset_min = static_cast<std::int32_t>(r.i64(i, 9));
        row.corrected_ms = r.i64(i, 10);
        row.received_ms = r.i64(i, 11);
        row.batch = r.text(i, 12);
        row.body = r.text(i, 13);
        visit(row);
      }
    }
    tx.commit();
  }

  std::int64_t add_catalog(const std::string& json_text, std::int64_t now_ms) override {
    return c_.exec("INSERT INTO catalogs(json, published_ms) VALUES($1,$2) RETURNING id", {json_text, str(now_ms)}).i64(0, 0);
  }
  std::int64_t latest_catalog_id() override { return c_.exec("SELECT COALESCE(MAX(id), 0) FROM catalogs").i64(0, 0); }
  std::vector<CatalogDocument> catalogs() override {
    auto r = c_.exec("SELECT id, json, published_ms FROM catalogs ORDER BY id");
    std::vector<CatalogDocument> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.i64(i, 0), r.text(i, 1), r.i64(i, 2)});
    return out;
  }

  std::string server_secret(const std::string& name, const std::function<std::string()>& make, std::int64_t now_ms) override {
    auto held = c_.exec("SELECT value FROM server_secrets WHERE name=$1", {name});
    if (held.rows() > 0) return held.text(0, 0);
    // Another server may store one meanwhile: the first stored wins, everyone reads it back.
    c_.exec("INSERT INTO server_secrets(name, value, created_ms) VALUES($1,$2,$3) ON CONFLICT(name) DO NOTHING",
            {name, make(), str(now_ms)});
    return c_.exec("SELECT value FROM server_secrets WHERE name=$1", {name}).text(0, 0);
  }

  CertificateRow add_certificate(const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                 std::int64_t now_ms) override {
    Tx tx(c_);
    auto row = insert_certificate(device, sign, now_ms);
    tx.commit();
    return row;
  }

  std::vector<CertificateRow> certificates() override {
    auto r = c_.exec("SELECT serial, device::text, text, issued_ms, revoked_ms FROM certificates ORDER BY serial");
    std::vector<CertificateRow> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({static_cast<std::uint32_t>(r.i64(i, 0)), r.text(i, 1), r.text(i, 2), r.i64(i, 3), r.opt(i, 4)});
    return out;
  }

  bool revoke_pass(const std::string& pass, const std::string& reason, std::int64_t now_ms) override {
    return c_.exec("INSERT INTO revoked_passes(pass, reason, revoked_ms) VALUES($1,$2,$3) ON CONFLICT(pass) DO NOTHING RETURNING pass",
                   {pass, reason, str(now_ms)}).rows() > 0;
  }

  std::vector<RevokedPassRow> revoked_passes() override {
    auto r = c_.exec("SELECT pass, reason, revoked_ms FROM revoked_passes ORDER BY revoked_ms, pass");
    std::vector<RevokedPassRow> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.i64(i, 2)});
    return out;
  }

  void add_printed_passes(const std::vector<std::string>& ids, std::int64_t now_ms) override {
    c_.exec("INSERT INTO printed_passes(pass, printed_ms) SELECT json_array_elements_text($1::json), $2::bigint "
            "ON CONFLICT(pass) DO NOTHING",
            {json(ids).dump(), str(now_ms)});
  }

  std::optional<std::int64_t> printed_pass(const std::string& id) override {
    auto r = c_.exec("SELECT printed_ms FROM printed_passes WHERE pass=$1", {id});
    return r.rows() > 0 ? std::optional(r.i64(0, 0)) : std::nullopt;
  }

  std::int64_t printed_pass_count() override { return c_.exec("SELECT COUNT(*) FROM printed_passes").i64(0, 0); }

  std::vector<AttendanceRow> attendance(const std::optional<std::string>& assembly) override {
    auto r = c_.exec(R"(
SELECT assembly, COUNT(DISTINCT NULLIF(pass, '')), COUNT(*) FILTER (WHERE pass = ''), COUNT(*), COUNT(DISTINCT device)
FROM captures WHERE assembly IS NOT NULL AND ($1::text IS NULL OR assembly = $1) GROUP BY assembly ORDER BY assembly)",
                     {assembly ? Param(*assembly) : std::nullopt});
    std::vector<AttendanceRow> out;
    for (int i = 0; i < r.rows(); ++i) {
      AttendanceRow a;
      a.assembly = r.text(i, 0);
      a.with_pass = r.i64(i, 1);
      a.without_pass = r.i64(i, 2);
      a.people = a.with_pass + a.without_pass;
      a.scans = r.i64(i, 3);
      a.devices = r.i64(i, 4);
      out.push_back(std::move(a));
    }
    return out;
  }

  void add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms) override {
    c_.exec("INSERT INTO office_tokens(token_hash, name, created_ms) VALUES($1,$2,$3)", {token_hash, name, str(now_ms)});
  }

  std::optional<std::string> office_by_token(const std::string& token_hash) override {
    auto r = c_.exec("SELECT name FROM office_tokens WHERE token_hash=$1", {token_hash});
    return r.rows() > 0 ? std::optional(r.text(0, 0)) : std::nullopt;
  }

 private:
  // Inside a transaction: the serial comes from the row, then the text signed for it.
  CertificateRow insert_certificate(const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                    std::int64_t now_ms) {
    const auto serial = c_.exec("INSERT INTO certificates(device, text, issued_ms) VALUES($1, '', $2) RETURNING serial",
                                {device, str(now_ms)}).i64(0, 0);
    if (serial <= 0 || serial > std::int64_t{UINT32_MAX}) throw StoreError("device certificate serials are exhausted");
    CertificateRow row{static_cast<std::uint32_t>(serial), device, sign(static_cast<std::uint32_t>(serial)), now_ms, std::nullopt};
    c_.exec("UPDATE certificates SET text=$1 WHERE serial=$2", {row.text, str(serial)});
    return row;
  }

  Connection c_;
};

}  // namespace

std::unique_ptr<ServerStore> open_postgres_store(const std::string& conninfo) {
  auto store = std::make_unique<PostgresStore>(conninfo);
  store->migrate();
  store->prepare_session();
  return store;
}

}  // namespace allervers::server
