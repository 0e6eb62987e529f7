// Ideas under review: rows made at ingest, read for the console, the public and the vote.
#include "allervers/server/store/ideas.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "allervers/core/receipt.hpp"
#include "internal.hpp"

namespace allervers::server {
namespace {

constexpr const char* kIdeaSelect =
    "SELECT id, receipt, consultation, neighbourhood, theme, title, description, received_ms, contact_consent, state, reason, "
    "reason_text, assignee, estimated_cost_eur, notes, public_answer, merged_into, updated_ms FROM ideas";

// The filter as SQL, parameters $1..$4 (NULL: no condition).
constexpr const char* kWhere =
    " WHERE (CAST($1 AS TEXT) IS NULL OR state = $1) AND (CAST($2 AS TEXT) IS NULL OR assignee = $2)"
    " AND (CAST($3 AS TEXT) IS NULL OR neighbourhood = $3) AND (CAST($4 AS TEXT) IS NULL OR consultation = $4)";

IdeaRow idea_from(const sql::Row& row) {
  IdeaRow r;
  r.id = row.text(0);
  r.receipt = row.text(1);
  r.consultation = row.text(2);
  r.neighbourhood = row.text(3);
  r.theme = row.text(4);
  r.title = row.text(5);
  r.description = row.text(6);
  r.received_ms = row.int64(7);
  r.contact_consent = row.int64(8) != 0;
  const auto state = core::idea_state_named(row.text(9));
  if (!state) throw StoreError("ideas: unknown state \"" + row.text(9) + "\" for idea " + r.id);
  r.state = *state;
  r.reason = row.text(10);
  r.reason_text = row.text(11);
  r.assignee = row.text(12);
  r.estimated_cost_eur = row.opt_int64(13);
  r.notes = row.text(14);
  r.public_answer = row.text(15);
  r.merged_into = row.text(16);
  r.updated_ms = row.int64(17);
  return r;
}

std::optional<std::string> opt(const std::optional<core::IdeaState>& s) {
  if (!s) return std::nullopt;
  return std::string(core::to_string(*s));
}

// The idea's columns from its capture as parsed.
std::vector<std::string> idea_columns(const core::Uuid& id, const std::string& consultation, const core::Idea& idea) {
  return {core::receipt_code(id), consultation, idea.neighbourhood, idea.theme, idea.title, idea.description,
          idea.contact && idea.contact->consent ? "1" : "0"};
}

// The same from its stored body (ideas stored before their rows were kept); nothing when the body
// is not an idea's.
std::optional<std::vector<std::string>> idea_columns(const std::string& id, const std::string& consultation, const std::string& body) {
  const auto uuid = core::Uuid::parse(id);
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!uuid || doc.is_discarded() || !doc.is_object() || !doc.contains("idea") || !doc["idea"].is_object()) return std::nullopt;
  const auto& j = doc["idea"];
  auto text = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
  core::Idea idea{text("title"), text("description"), text("theme"), text("neighbourhood"), {}, {}, {}};
  if (j.contains("contact") && j["contact"].is_object()) idea.contact = core::SealedContact{j["contact"].value("consent", false), {}};
  return idea_columns(*uuid, consultation, idea);
}

constexpr std::string_view kIdeaColumns[] = {"id",       "receipt",      "consultation", "neighbourhood", "theme",        "title",
                                             "description", "received_ms", "contact_consent", "state",      "reason",       "reason_text",
                                             "assignee", "notes",        "public_answer", "updated_ms"};

void add_values(std::vector<sql::Param>& values, const std::string& id, const std::vector<std::string>& c, std::int64_t received_ms) {
  values.insert(values.end(), {sql::Param(id), sql::Param(c[0]), sql::Param(c[1]), sql::Param(c[2]), sql::Param(c[3]), sql::Param(c[4]),
                               sql::Param(c[5]), sql::Param(received_ms), sql::Param(std::int64_t{c[6] == "1"}), sql::Param("recue"),
                               sql::Param(""), sql::Param(""), sql::Param(""), sql::Param(""), sql::Param(""), sql::Param(received_ms)});
}

}  // namespace

void insert_idea_rows(sql::Driver& db, const std::vector<NewIdea>& ideas, sql::Held held) {
  std::vector<std::vector<std::string>> columns;  // held while the parameters point into them
  std::vector<const CaptureRow*> kept;
  columns.reserve(ideas.size());
  for (const auto& [c, parsed] : ideas) {
    if (c->kind != "idea") continue;
    if (parsed) {
      const auto uuid = core::Uuid::parse(c->id);
      if (!uuid) continue;
      columns.push_back(idea_columns(*uuid, c->consultation, *parsed));
    } else {
      auto cols = idea_columns(c->id, c->consultation, c->body);
      if (!cols) continue;
      columns.push_back(std::move(*cols));
    }
    kept.push_back(c);
  }
  if (kept.empty()) return;
  std::vector<sql::Param> values;
  values.reserve(kept.size() * std::size(kIdeaColumns));
  for (std::size_t i = 0; i < kept.size(); ++i) add_values(values, kept[i]->id, columns[i], kept[i]->received_ms);
  db.insert_new({"ideas", kIdeaColumns, {}, held}, values);
}

std::int64_t IdeaStore::derive_missing_ideas() {
  // Once done (schema step 16), ingest keeps every idea's row: no need to read every capture again.
  if (!db().query("SELECT 1 FROM derivations WHERE name = 'ideas'").empty()) return 0;
  std::vector<CaptureRow> missing;
  db().for_each("SELECT CAST(c.id AS TEXT), c.consultation, c.body, c.received_ms FROM captures c WHERE c.kind = 'idea' AND "
                "NOT EXISTS (SELECT 1 FROM ideas i WHERE i.id = CAST(c.id AS TEXT))",
                {},
                [&](const sql::Row& row) {
                  CaptureRow c;
                  c.id = row.text(0);
                  c.kind = "idea";
                  c.consultation = row.text(1);
                  c.body = row.text(2);
                  c.received_ms = row.int64(3);
                  missing.push_back(std::move(c));
                });
  std::vector<NewIdea> ideas;
  for (const auto& c : missing) ideas.push_back({&c, nullptr});
  sql::Transaction tx(db());
  if (!ideas.empty()) insert_idea_rows(db(), ideas, sql::Held::maybe);  // another server may be deriving them too
  db().exec("INSERT INTO derivations(name, done_ms) VALUES('ideas', $1) ON CONFLICT DO NOTHING",
            {std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count()});
  tx.commit();
  return static_cast<std::int64_t>(missing.size());
}

std::optional<IdeaRow> IdeaStore::idea(const std::string& id) {
  const auto rows = db().query(std::string(kIdeaSelect) + " WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return idea_from(rows[0]);
}

std::vector<IdeaRow> IdeaStore::ideas(const IdeaFilter& f, std::int64_t limit) {
  std::vector<IdeaRow> out;
  const auto state = opt(f.state);
  std::string sql = std::string(kIdeaSelect) + kWhere;
  if (!f.include_merged) sql += " AND merged_into IS NULL";
  sql += " ORDER BY received_ms, id LIMIT $5";
  for (const auto row : db().query(sql, {state, f.assignee, f.neighbourhood, f.consultation, limit})) out.push_back(idea_from(row));
  return out;
}

std::int64_t IdeaStore::idea_count(const IdeaFilter& f) {
  const auto state = opt(f.state);
  std::string sql = std::string("SELECT COUNT(*) FROM ideas") + kWhere;
  if (!f.include_merged) sql += " AND merged_into IS NULL";
  return db().query(sql, {state, f.assignee, f.neighbourhood, f.consultation}).one().int64(0);
}

namespace {

// What residents read of `own`, whose outcome is that of `kept` (itself, or the idea it was
// merged into); milestones are the caller's.
IdeaOutcome outcome_of(const IdeaRow& own, const IdeaRow& kept, const std::vector<IdeaReason>& reasons) {
  IdeaOutcome o;
  o.receipt = own.receipt;
  o.title = own.title;
  o.state = kept.state;
  o.public_answer = kept.public_answer;
  if (kept.state == core::IdeaState::non_recevable) {
    std::string label = kept.reason;
    for (const auto& r : reasons)
      if (r.id == kept.reason) label = r.label;
    o.public_answer = label + (kept.reason_text.empty() ? "" : " — " + kept.reason_text) +
                      (kept.public_answer.empty() ? "" : "\n" + kept.public_answer);
  }
  if (kept.id != own.id) o.merged_into_title = kept.title;
  o.updated_ms = kept.updated_ms;
  o.kept_id = kept.id;
  return o;
}

}  // namespace

std::vector<IdeaOutcome> IdeaStore::ideas_by_receipt(const std::string& code) {
  std::vector<IdeaOutcome> out;
  const auto reasons = idea_reasons();
  for (const auto row : db().query(std::string(kIdeaSelect) + " WHERE receipt = $1 ORDER BY received_ms, id", {code})) {
    const IdeaRow own = idea_from(row);
    IdeaRow kept = own;
    // Follow merges (a chain is bounded: a kept idea is never merged itself, but be safe).
    for (int hops = 0; !kept.merged_into.empty() && hops < 8; ++hops) {
      auto next = idea(kept.merged_into);
      if (!next) break;
      kept = std::move(*next);
    }
    IdeaOutcome o = outcome_of(own, kept, reasons);
    o.milestones = idea_milestones(kept.id);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<IdeaOutcome> IdeaStore::idea_outcomes() {
  // Three reads whatever the number of ideas: the ideas, the reasons, the milestones' texts.
  // Only the columns an outcome shows (every device reads them all at each sync): not the
  // descriptions, notes or sealed contacts.
  std::vector<IdeaRow> rows;
  std::unordered_map<std::string_view, std::size_t> by_id;
  // kIdeaSelect's columns in its order, those an outcome does not show left empty.
  // In (received_ms, id) order, sorted here rather than by the database: SQLite's sort copied
  // every row into a temporary b-tree (two fifths of the read), and the bytes order the same
  // whatever PostgreSQL's collation.
  for (const auto row : db().query("SELECT id, receipt, '', '', '', title, '', received_ms, 0, state, reason, reason_text, '', NULL, '', "
                                   "public_answer, merged_into, updated_ms FROM ideas"))
    rows.push_back(idea_from(row));
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rows[a].received_ms != rows[b].received_ms ? rows[a].received_ms < rows[b].received_ms : rows[a].id < rows[b].id;
  });
  by_id.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) by_id.emplace(rows[i].id, i);
  std::map<std::string, std::vector<IdeaMilestone>> milestones;
  for (const auto row : db().query("SELECT idea, n, day, text, added_ms FROM idea_milestones ORDER BY idea, n"))
    milestones[row.text(0)].push_back({row.int64(1), row.text(2), row.text(3), "", "", row.int64(4)});
  const auto reasons = idea_reasons();
  std::vector<IdeaOutcome> out;
  out.reserve(rows.size());
  for (const std::size_t i : order) {
    const IdeaRow& own = rows[i];
    const IdeaRow* kept = &own;
    for (int hops = 0; !kept->merged_into.empty() && hops < 8; ++hops) {
      const auto next = by_id.find(kept->merged_into);
      if (next == by_id.end()) break;
      kept = &rows[next->second];
    }
    IdeaOutcome o = outcome_of(own, *kept, reasons);
    if (const auto m = milestones.find(kept->id); m != milestones.end()) o.milestones = m->second;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<std::string> IdeaStore::idea_ids_with_receipt(const std::string& code) {
  std::vector<std::string> out;
  for (const auto row : db().query("SELECT id FROM ideas WHERE receipt = $1 ORDER BY received_ms, id", {code})) out.push_back(row.text(0));
  return out;
}

std::vector<IdeaRow> IdeaStore::ideas_in_states(const std::vector<core::IdeaState>& states, const std::string& consultation) {
  std::vector<IdeaRow> out;
  for (const auto state : states) {
    IdeaFilter f;
    f.state = state;
    if (!consultation.empty()) f.consultation = consultation;
    f.include_merged = false;
    for (auto& r : ideas(f, std::numeric_limits<std::int64_t>::max())) out.push_back(std::move(r));
  }
  return out;
}

std::int64_t IdeaStore::ideas_merged_into(const std::string& id) {
  return db().query("SELECT COUNT(*) FROM ideas WHERE merged_into = $1", {id}).one().int64(0);
}

std::vector<std::string> IdeaStore::shared_receipts() {
  std::vector<std::string> out;
  for (const auto row : db().query("SELECT receipt FROM ideas GROUP BY receipt HAVING COUNT(*) > 1 ORDER BY receipt")) out.push_back(row.text(0));
  return out;
}

std::vector<IdeaMilestone> IdeaStore::idea_milestones(const std::string& id) {
  std::vector<IdeaMilestone> out;
  for (const auto row : db().query("SELECT n, day, text, photo_type, photo, added_ms FROM idea_milestones WHERE idea = $1 ORDER BY n", {id}))
    out.push_back({row.int64(0), row.text(1), row.text(2), row.text(3), row.text(4), row.int64(5)});
  return out;
}

std::vector<IdeaReason> IdeaStore::idea_reasons() {
  std::vector<IdeaReason> out;
  for (const auto row : db().query("SELECT id, label FROM idea_reasons ORDER BY position, id")) out.push_back({row.text(0), row.text(1)});
  return out;
}

void IdeaStore::write_idea_review(const IdeaRow& r, std::int64_t now_ms) {
  db().exec("UPDATE ideas SET state = $2, reason = $3, reason_text = $4, assignee = $5, estimated_cost_eur = $6, notes = $7, "
            "public_answer = $8, updated_ms = $9 WHERE id = $1",
            {r.id, core::to_string(r.state), r.reason, r.reason_text, r.assignee, r.estimated_cost_eur, r.notes, r.public_answer, now_ms});
}

void IdeaStore::write_idea_merged(const std::string& id, const std::string& into, std::int64_t now_ms) {
  db().exec("UPDATE ideas SET merged_into = $2, updated_ms = $3 WHERE id = $1", {id, into, now_ms});
}

std::int64_t IdeaStore::add_idea_milestone(const std::string& id, const IdeaMilestone& m) {
  const std::int64_t n = db().query("SELECT COALESCE(MAX(n), 0) + 1 FROM idea_milestones WHERE idea = $1", {id}).one().int64(0);
  db().exec("INSERT INTO idea_milestones(idea, n, day, text, photo_type, photo, added_ms) VALUES($1, $2, $3, $4, $5, $6, $7)",
            {id, n, m.day, m.text, m.photo_type, m.photo, m.added_ms});
  db().exec("UPDATE ideas SET updated_ms = $2 WHERE id = $1", {id, m.added_ms});
  return n;
}

}  // namespace allervers::server
