// Captures, rejections and conflicts: a batch in one transaction (with the tallies of what it
// adds), and the office's readings.
#include "allervers/server/store/captures.hpp"
#include "allervers/server/store/votes.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

#include "facts.hpp"
#include "filter_sql.hpp"
#include "internal.hpp"

namespace allervers::server {

namespace {

constexpr std::array<std::string_view, 19> kCaptureColumns = {
    "id",          "device",       "seq",      "kind",  "consultation", "version",  "channel",
    "language",    "captured_ms",  "captured_offset_min", "corrected_ms", "received_ms", "batch", "body",
    "assembly",    "pass",         "day",      "neighbourhood", "age_bracket"};

}  // namespace

const char* const kCaptureSelect =
    "SELECT id, device, seq, kind, consultation, version, channel, language, captured_ms, captured_offset_min, corrected_ms, "
    "received_ms, batch, body, assembly, pass, day, neighbourhood, age_bracket FROM captures";

void read_capture(const sql::Row& row, CaptureRow& r) {
  r.id = row.text(0);
  r.device = row.text(1);
  r.seq = row.int64(2);
  r.kind = row.text(3);
  r.consultation = row.text(4);
  r.version = static_cast<std::int32_t>(row.int64(5));
  r.channel = row.text(6);
  r.language = row.text(7);
  r.captured_ms = row.int64(8);
  r.captured_offset_min = static_cast<std::int32_t>(row.int64(9));
  r.corrected_ms = row.int64(10);
  r.received_ms = row.int64(11);
  r.batch = row.text(12);
  r.body = row.text(13);
  r.assembly = row.text(14);
  r.pass = row.text(15);
  r.day = row.is_null(16) ? town_day(r.corrected_ms, r.captured_offset_min) : row.int64(16);
  r.neighbourhood = row.text(17);
  r.age_bracket = row.text(18);
}

namespace {

class SqlCaptureCursor final : public CaptureCursor {
 public:
  SqlCaptureCursor(sql::Driver& db, const CaptureFilter& filter) : filter_(filter) {
    const FilterSql where = filter_sql(filter_, filter_columns::all);
    cursor_ = db.open_cursor(std::string(kCaptureSelect) + where.where + " ORDER BY day, id", where.params);
  }
  const CaptureRow* next() override {
    const auto row = cursor_->next();
    if (!row) return nullptr;
    read_capture(*row, row_);
    return &row_;
  }

 private:
  CaptureFilter filter_;  // the cursor's parameters point into it
  std::unique_ptr<sql::Cursor> cursor_;
  CaptureRow row_;
};
constexpr std::array<std::string_view, 5> kConflictColumns = {"id", "device", "seq", "body", "at_ms"};
constexpr std::array<std::string_view, 7> kRejectionColumns = {"device", "seq", "id", "code", "reason", "body", "at_ms"};

// Ids looked up at once when comparing re-sent captures with those held; the statement always
// takes this many (the last id repeated), so it is prepared once.
constexpr std::size_t kIdsPerLookup = 64;

// The bodies held under `ids`, by id.
std::unordered_map<std::string, std::string> held_bodies(sql::Driver& db, const std::vector<const std::string*>& ids) {
  static const std::string sql = [] {
    std::string s = "SELECT id, body FROM captures WHERE id IN (";
    for (std::size_t i = 0; i < kIdsPerLookup; ++i) s += (i ? ", $" : "$") + std::to_string(i + 1);
    return s + ")";
  }();
  std::unordered_map<std::string, std::string> out;
  for (std::size_t first = 0; first < ids.size(); first += kIdsPerLookup) {
    std::vector<sql::Param> params;
    for (std::size_t i = 0; i < kIdsPerLookup; ++i) params.emplace_back(*ids[std::min(first + i, ids.size() - 1)]);
    for (const auto row : db.query(sql, params)) out.emplace(row.text(0), row.text(1));
  }
  return out;
}

// The condition is the kiosk index's own (schema step 14), written the same: both databases
// plan on a partial index only a query whose condition implies the index's (a test checks it).
constexpr const char* kBurstTimes =
    "SELECT corrected_ms FROM captures WHERE device = $1 AND channel = 'kiosk' AND kind IN ('opinion', 'idea') "
    "AND corrected_ms >= $2 AND corrected_ms <= $3 ORDER BY corrected_ms";
constexpr std::array<std::string_view, 3> kFlagColumns = {"capture", "reason", "at_ms"};

// Flags the captures just inserted that `rule` finds in a burst, in one statement. The device's
// times are read once per stretch of the batch whose windows overlap (one query for a batch
// captured in one sitting), the batch's own rows included: they are in the transaction.
void flag_bursts(sql::Driver& db, const BurstRule& rule, const std::string& device, const std::vector<CaptureRow>& captures,
                 const std::vector<std::size_t>& inserted, std::int64_t now_ms) {
  std::vector<const CaptureRow*> judged;
  for (auto i : inserted) {
    const CaptureRow& c = captures[i];
    if (c.channel == "kiosk" && (c.kind == "opinion" || c.kind == "idea")) judged.push_back(&c);
  }
  std::sort(judged.begin(), judged.end(), [](const CaptureRow* a, const CaptureRow* b) { return a->corrected_ms < b->corrected_ms; });
  std::vector<sql::Param> flags;
  std::vector<std::int64_t> times;
  for (std::size_t first = 0, end = 0; first < judged.size(); first = end) {
    for (end = first + 1; end < judged.size() && judged[end]->corrected_ms - rule.window_ms <= judged[end - 1]->corrected_ms;) ++end;
    times.clear();
    for (const auto row : db.query(kBurstTimes, {device, judged[first]->corrected_ms - rule.window_ms, judged[end - 1]->corrected_ms}))
      times.push_back(row.int64(0));
    for (std::size_t k = first; k < end; ++k) {
      const std::int64_t t = judged[k]->corrected_ms;
      const auto within = std::upper_bound(times.begin(), times.end(), t) - std::lower_bound(times.begin(), times.end(), t - rule.window_ms);
      if (within > rule.count) flags.insert(flags.end(), {judged[k]->id, rule.reason, now_ms});
    }
  }
  if (!flags.empty()) db.insert_new({"capture_flags", kFlagColumns, {}, sql::Held::rarely}, flags);  // the public site flags too
}

}  // namespace

const char* CaptureStore::burst_times_query() { return kBurstTimes; }

class CaptureStore::Facts {
 public:
  CatalogCache catalog;
};

CaptureStore::CaptureStore() : facts_(std::make_unique<Facts>()) {}
CaptureStore::~CaptureStore() = default;

namespace {

// A capture's row as the captures table takes it (kCaptureColumns), its facts' columns included.
void capture_values(const CaptureRow& c, const CaptureFacts& f, std::vector<sql::Param>& values) {
  const bool signin = c.kind == "signin";
  values.insert(values.end(), {c.id, c.device, c.seq, c.kind, c.consultation, c.version, c.channel, c.language, c.captured_ms,
                               c.captured_offset_min, c.corrected_ms, c.received_ms, c.batch, c.body,
                               signin ? sql::Param(c.assembly) : nullptr, signin ? sql::Param(c.pass) : nullptr, f.day,
                               f.neighbourhood, f.age_bracket});
}

// A batch is sent again only when its answer was lost: its captures are rarely held.
constexpr sql::BulkInsert kNewCaptures = {"captures", kCaptureColumns, "id", sql::Held::rarely};

// The rest of a batch's writes once its captures are in (`inserted`: the indexes of those that
// were new), in its transaction: the office's facts of the new ones, idea rows, ballots, burst
// flags, the others told apart (a repeat, or a conflict set aside), rejections, the device's row.
std::vector<InsertOutcome> write_rest(sql::Driver& db, const IngestBatch& b, const std::vector<CaptureFacts>& facts,
                                      const std::vector<std::size_t>& inserted) {
  const BatchEnvelope& e = b.envelope;
  std::vector<InsertOutcome> out(b.captures.size(), InsertOutcome::duplicate);
  if (!b.captures.empty()) {
    const bool parsed = b.parsed.size() == b.captures.size();
    TallyBatch tallies;
    std::vector<NewIdea> new_ideas;
    for (auto i : inserted) {
      out[i] = InsertOutcome::inserted;
      tallies.add(b.captures[i], facts[i]);
      if (b.captures[i].kind == "idea") new_ideas.push_back({&b.captures[i], parsed ? b.parsed[i].idea() : nullptr});
    }
    tallies.write(db);
    insert_idea_rows(db, new_ideas, sql::Held::rarely);
    record_ballots(db, b.captures, inserted);
    if (b.bursts) flag_bursts(db, *b.bursts, e.device, b.captures, inserted, e.received_ms);
    // The others: a repeat when the body held is the same, a conflict otherwise.
    if (inserted.size() < b.captures.size()) {
      std::vector<const std::string*> ids;
      for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i] != InsertOutcome::inserted) ids.push_back(&b.captures[i].id);
      const auto held = held_bodies(db, ids);
      std::vector<sql::Param> conflicts;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == InsertOutcome::inserted) continue;
        const auto& c = b.captures[i];
        const auto it = held.find(c.id);
        if (it != held.end() && it->second == c.body) continue;
        out[i] = InsertOutcome::conflict;
        conflicts.insert(conflicts.end(), {c.id, c.device, c.seq, c.body, e.received_ms});
      }
      if (!conflicts.empty()) db.insert_new({"conflicts", kConflictColumns, {}}, conflicts);
    }
  }
  if (!b.rejections.empty()) {
    std::vector<sql::Param> values;
    values.reserve(b.rejections.size() * kRejectionColumns.size());
    for (const auto& r : b.rejections) values.insert(values.end(), {r.device, r.seq, r.id, r.code, r.reason, r.body, r.at_ms});
    db.insert_new({"rejections", kRejectionColumns, {}}, values);
  }
  db.exec("INSERT INTO devices(id, name, enrolled_ms, last_batch_ms, clock_offset_ms, pending_on_device, last_seen_ms) "
          "VALUES($1, '(bundle)', $2, $2, $3, $4, $5) ON CONFLICT(id) DO UPDATE SET last_batch_ms = excluded.last_batch_ms, "
          "last_seen_ms = COALESCE(excluded.last_seen_ms, devices.last_seen_ms), "
          "clock_offset_ms = COALESCE(excluded.clock_offset_ms, devices.clock_offset_ms), "
          "pending_on_device = COALESCE(excluded.pending_on_device, devices.pending_on_device)",
          {e.device, e.received_ms, e.clock_offset_ms, e.pending_after, e.from_device ? sql::Param(e.received_ms) : nullptr});
  return out;
}

// The captures' facts, from the captures as parsed when the batch has them, else from the rows.
CaptureFacts facts_of(const IngestBatch& b, std::size_t i, const core::Catalog* catalog) {
  return b.parsed.size() == b.captures.size() ? derive_facts(b.captures[i], b.parsed[i], catalog) : derive_facts(b.captures[i], catalog);
}

// Inserts the batch's captures, each unless held; `facts` holds those already derived and gets
// the rest. Returns the indexes of the captures inserted.
std::vector<std::size_t> insert_captures(sql::Driver& db, const IngestBatch& b, std::vector<CaptureFacts>& facts,
                                         const core::Catalog* catalog, const sql::BulkInsert& insert) {
  if (b.captures.empty()) return {};
  for (std::size_t i = facts.size(); i < b.captures.size(); ++i) facts.push_back(facts_of(b, i, catalog));
  std::vector<sql::Param> values;
  values.reserve(b.captures.size() * kCaptureColumns.size());
  for (std::size_t i = 0; i < b.captures.size(); ++i) capture_values(b.captures[i], facts[i], values);
  return db.insert_new(insert, values);
}

}  // namespace

std::vector<InsertOutcome> CaptureStore::ingest(const IngestBatch& b) {
  sql::Transaction tx(db());
  std::vector<CaptureFacts> facts;
  const core::Catalog* catalog = b.captures.empty() ? nullptr : facts_->catalog.get(db());
  const auto inserted = insert_captures(db(), b, facts, catalog, kNewCaptures);
  auto out = write_rest(db(), b, facts, inserted);
  tx.commit();
  return out;
}

// --- a batch written as it is judged ----------------------------------------------------

struct CaptureStore::Ingest::State {
  CaptureStore& store;
  IngestBatch batch;
  std::vector<CaptureFacts> facts;
  const core::Catalog* catalog = nullptr;
  std::optional<sql::Transaction> tx;
  std::unique_ptr<sql::BulkStream> stream;  // after tx: ended before it rolls back
  std::vector<sql::Param> row;              // one row's values, reused

  void begin() {
    tx.emplace(store.db());
    catalog = store.facts_->catalog.get(store.db());
  }
};

CaptureStore::Ingest::Ingest(std::unique_ptr<State> state) : state_(std::move(state)) {}
CaptureStore::Ingest::Ingest(Ingest&&) noexcept = default;
CaptureStore::Ingest& CaptureStore::Ingest::operator=(Ingest&&) noexcept = default;
CaptureStore::Ingest::~Ingest() = default;

CaptureStore::Ingest CaptureStore::open_ingest(BatchEnvelope envelope, std::optional<BurstRule> bursts, std::size_t expected) {
  auto state = std::unique_ptr<Ingest::State>(new Ingest::State{*this, {std::move(envelope), {}, {}, std::move(bursts), {}}, {}, nullptr, {}, {}, {}});
  state->batch.captures.reserve(expected);
  state->batch.parsed.reserve(expected);
  state->facts.reserve(expected);
  if (db().streams_bulk()) {
    // The transaction opens now, its captures' COPY with it; SQLite's, which would hold the
    // database's one writer while the batch is judged, opens at finish.
    state->begin();
    state->stream = db().stream_new(kNewCaptures);
  }
  return Ingest(std::move(state));
}

void CaptureStore::Ingest::add(CaptureRow row, core::Capture parsed) {
  State& s = *state_;
  s.batch.captures.push_back(std::move(row));
  s.batch.parsed.push_back(std::move(parsed));
  if (!s.stream) return;
  const std::size_t i = s.batch.captures.size() - 1;
  s.row.clear();
  capture_values(s.batch.captures[i], s.facts.emplace_back(facts_of(s.batch, i, s.catalog)), s.row);
  s.stream->add(s.row);
}

std::vector<InsertOutcome> CaptureStore::Ingest::finish(std::vector<RejectionRow> rejections) {
  State& s = *state_;
  const IngestBatch& b = s.batch;
  s.batch.rejections = std::move(rejections);
  if (!s.stream) {
    // SQLite: the facts are derived before the write lock is asked for, and the batch's writes
    // join whatever other batches are waiting for it, in one transaction (group commit,
    // docs/decisions.md); only the Driver given is used, which may be another batch's.
    s.catalog = b.captures.empty() ? nullptr : s.store.facts_->catalog.get(s.store.db());
    for (std::size_t i = s.facts.size(); i < b.captures.size(); ++i) s.facts.push_back(facts_of(b, i, s.catalog));
    std::vector<InsertOutcome> out;
    s.store.db().write_grouped([&](sql::Driver& db) {
      out = write_rest(db, b, s.facts, insert_captures(db, b, s.facts, s.catalog, kNewCaptures));
    });
    return out;
  }
  // PostgreSQL: the captures went in by COPY while they were judged, in the transaction opened then.
  std::vector<std::size_t> inserted;
  const bool streamed = s.stream->finish();
  s.stream.reset();
  if (streamed) {
    inserted.resize(b.captures.size());
    for (std::size_t i = 0; i < inserted.size(); ++i) inserted[i] = i;
  } else {
    // A capture was held already (a batch sent again): the staging way.
    inserted = insert_captures(s.store.db(), b, s.facts, s.catalog, sql::BulkInsert{"captures", kCaptureColumns, "id", sql::Held::maybe});
  }
  auto out = write_rest(s.store.db(), b, s.facts, inserted);
  s.tx->commit();
  return out;
}

std::map<std::int64_t, std::string> CaptureStore::ids_by_seq(const std::string& device, std::int64_t first, std::int64_t last) {
  std::map<std::int64_t, std::string> out;
  for (const auto row : db().query(
           "SELECT seq, CAST(id AS TEXT) FROM captures WHERE device = $1 AND seq BETWEEN $2 AND $3 "
           "UNION ALL SELECT seq, id FROM rejections WHERE device = $1 AND seq BETWEEN $2 AND $3 "
           "UNION ALL SELECT seq, CAST(id AS TEXT) FROM conflicts WHERE device = $1 AND seq BETWEEN $2 AND $3",
           {device, first, last}))
    out.emplace(row.int64(0), row.text(1));
  return out;
}

std::int64_t CaptureStore::capture_count() { return db().query("SELECT COUNT(*) FROM captures").one().int64(0); }

std::int64_t CaptureStore::conflict_count() { return db().query("SELECT COUNT(*) FROM conflicts").one().int64(0); }

void CaptureStore::for_each_capture(const std::function<void(const CaptureRow&)>& visit) {
  CaptureRow r;
  db().for_each(std::string(kCaptureSelect) + " ORDER BY received_ms, device, seq", {}, [&](const sql::Row& row) {
    read_capture(row, r);
    visit(r);
  });
}

std::unique_ptr<CaptureCursor> CaptureStore::open_captures(const CaptureFilter& filter) {
  return std::make_unique<SqlCaptureCursor>(db(), filter);
}

std::int64_t CaptureStore::derive_missing_facts() {
  constexpr int kPerTransaction = 1000;
  std::int64_t derived = 0;
  for (;;) {
    sql::Transaction tx(db());
    const core::Catalog* catalog = facts_->catalog.get(db());
    std::vector<CaptureRow> rows;
    db().for_each(std::string(kCaptureSelect) + " WHERE day IS NULL LIMIT " + std::to_string(kPerTransaction), {},
                  [&](const sql::Row& row) { read_capture(row, rows.emplace_back()); });
    if (rows.empty()) {
      tx.commit();
      return derived;
    }
    TallyBatch tallies;
    std::vector<CaptureFacts> facts;  // the tallies point into them: they do not move
    facts.reserve(rows.size());
    for (const auto& r : rows) {
      const CaptureFacts& f = facts.emplace_back(derive_facts(r, catalog));
      // The update claims the row: another server deriving it at once changes nothing.
      if (db().exec("UPDATE captures SET day = $1, neighbourhood = $2, age_bracket = $3 WHERE id = $4 AND day IS NULL",
                    {f.day, f.neighbourhood, f.age_bracket, r.id}) == 0)
        continue;
      tallies.add(r, f);
      ++derived;
    }
    tallies.write(db());
    tx.commit();
  }
}

void CaptureStore::for_each_refused(const std::function<void(const RefusedRow&)>& visit) {
  db().for_each(R"(SELECT 'rejected', device, seq, id, code, reason, body, at_ms FROM rejections
UNION ALL SELECT 'conflict', device, seq, CAST(id AS TEXT), 'id_conflict', '', body, at_ms FROM conflicts ORDER BY 8, 2, 3)",
                {}, [&](const sql::Row& row) {
                  visit({row.text(0), row.text(1), row.int64(2), row.text(3), row.text(4), row.text(5), row.text(6), row.int64(7)});
                });
}

}  // namespace allervers::server
