// Facts of a capture (its day, quartier, age bracket, answers, texts) and the tallies summing them.
#include "facts.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/text.hpp"
#include "allervers/server/capture_filter.hpp"
#include "../record_value.hpp"

namespace allervers::server {

using nlohmann::json;

namespace {

std::string value_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return v.dump();
}

// The form of an answer, as far as its facts go.
enum class Shape { string, other_single, several };

// One answered question's facts from its value texts (one per option chosen for a multiple
// choice), which it takes: a string is a free text when the question is a short text.
void answer_facts(const std::string& qid, const core::Consultation* consultation, Shape shape, std::vector<std::string>& values,
                  CaptureFacts& out) {
  const core::Question* q = consultation ? consultation->find_question(qid) : nullptr;
  out.answers.emplace_back(qid, "");
  if (shape == Shape::string && q && q->type == core::QuestionType::short_text) {
    out.texts.emplace_back(qid, std::move(values.front()));
    return;
  }
  if (shape != Shape::several && q) {
    if (q->type == core::QuestionType::neighbourhood && out.neighbourhood.empty()) out.neighbourhood = values.front();
    if (q->type == core::QuestionType::age_bracket && out.age_bracket.empty()) out.age_bracket = values.front();
  }
  for (auto& v : values) out.answers.emplace_back(qid, std::move(v));
}

// From the stored body (rows stored before their facts were kept).
void opinion_facts(const json& answers, const core::Consultation* consultation, CaptureFacts& out) {
  if (!answers.is_object()) return;
  std::vector<std::string> values;
  for (const auto& [qid, value] : answers.items()) {
    if (value.is_null()) continue;
    values.clear();
    if (value.is_array()) {
      for (const auto& v : value) values.push_back(value_text(v));
      answer_facts(qid, consultation, Shape::several, values, out);
      continue;
    }
    values.push_back(value_text(value));
    answer_facts(qid, consultation, value.is_string() ? Shape::string : Shape::other_single, values, out);
  }
}

// From the capture as parsed at ingest: the same facts without reading the body again.
void opinion_facts(const core::Opinion& opinion, const core::Consultation* consultation, CaptureFacts& out) {
  std::vector<std::string> values;
  out.answers.reserve(opinion.answers.size() * 2);
  for (const auto& [qid, value] : opinion.answers) {
    values.clear();
    Shape shape = Shape::other_single;
    if (const auto* text = std::get_if<std::string>(&value)) {
      values.push_back(*text);
      shape = Shape::string;
    } else if (const auto* many = std::get_if<std::vector<std::string>>(&value)) {
      values = *many;
      shape = Shape::several;
    } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
      values.push_back(std::to_string(*number));
    } else {
      values.push_back(std::get<bool>(value) ? "true" : "false");
    }
    answer_facts(qid, consultation, shape, values, out);
  }
}

std::string string_at(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const core::Consultation* consultation_of(const CaptureRow& row, const core::Catalog* catalog) {
  return catalog ? catalog->find(row.consultation, row.version) : nullptr;
}

}  // namespace

CaptureFacts derive_facts(const CaptureRow& row, const core::Catalog* catalog) {
  CaptureFacts out;
  out.day = town_day(row.corrected_ms, row.captured_offset_min);
  const core::CaptureKindInfo* kind = core::find_capture_kind(row.kind);
  if (!kind) return out;
  // The body alone: the rest of the record is in the row's columns already.
  const std::string_view text = record_value(row.body, kind->body_key);
  if (text.empty()) return out;
  const json parsed = json::parse(text, nullptr, false);
  const json* body = &parsed;
  switch (kind->kind) {
    case core::CaptureKind::opinion:
      opinion_facts(*body, consultation_of(row, catalog), out);
      break;
    case core::CaptureKind::idea:
      if (body->is_object()) out.neighbourhood = string_at(*body, "neighbourhood");
      break;
    case core::CaptureKind::signin:
      if (body->is_object()) {
        out.neighbourhood = string_at(*body, "neighbourhood");
        out.age_bracket = string_at(*body, "age_bracket");
      }
      break;
    case core::CaptureKind::ballot:  // secret: nothing of the voter; the vote's area reads ballots (store/votes.hpp)
      break;
  }
  return out;
}

CaptureFacts derive_facts(const CaptureRow& row, const core::Capture& parsed, const core::Catalog* catalog) {
  CaptureFacts out;
  out.day = town_day(row.corrected_ms, row.captured_offset_min);
  if (const auto* opinion = parsed.opinion()) opinion_facts(*opinion, consultation_of(row, catalog), out);
  else if (const auto* idea = parsed.idea()) out.neighbourhood = idea->neighbourhood;
  else if (const auto* signin = parsed.signin()) {
    out.neighbourhood = signin->neighbourhood;
    out.age_bracket = signin->age_bracket;
  }
  return out;
}

const core::Catalog* CatalogCache::get(sql::Driver& db) {
  const std::int64_t latest = db.query("SELECT COALESCE(MAX(id), 0) FROM catalogs").one().int64(0);
  if (latest == id_) return catalog_ ? &*catalog_ : nullptr;
  // Every version ever published, as the API merges them (api.cpp, merge_catalogs): captures
  // made with an older version keep their questions.
  core::Catalog merged;
  std::set<std::pair<std::string, std::int32_t>> held;
  bool any = false;
  for (const auto row : db.query("SELECT json FROM catalogs ORDER BY id")) {
    core::Catalog c = core::parse_catalog(row.text(0));
    merged.town = c.town;
    merged.assemblies = c.assemblies;
    for (auto& consultation : c.consultations)
      if (held.insert({consultation.id, consultation.version}).second) merged.consultations.push_back(std::move(consultation));
    any = true;
  }
  id_ = latest;
  if (any) catalog_ = std::move(merged);
  else catalog_.reset();
  return catalog_ ? &*catalog_ : nullptr;
}

void TallyBatch::add(const CaptureRow& row, const CaptureFacts& facts) {
  ++added_;
  ++captures_[{facts.day, row.consultation, row.kind, row.channel, row.device, facts.neighbourhood, facts.age_bracket}];
  for (const auto& [question, value] : facts.answers)
    ++answers_[{row.consultation, question, value, facts.day, row.channel, facts.neighbourhood}];
  for (const auto& [question, text] : facts.texts) texts_.push_back({&row, &facts, question, text, core::fold_for_search(text)});
}

namespace {

constexpr std::array<std::string_view, 8> kCaptureTally = {"day",    "consultation",  "kind",        "channel",
                                                           "device", "neighbourhood", "age_bracket", "n"};
constexpr std::array<std::string_view, 7> kAnswerTally = {"consultation", "question", "value", "day", "channel", "neighbourhood", "n"};

// --- counts waiting in tally_pending ---------------------------------------------------
// One row per write: the captures' counts and the answers' counts, each a run of rows of the
// tally's columns in order, a text as its length in bytes, ':' and its bytes, a number as its
// digits and ';'. Nothing of it is read but by fold_waiting_tallies.

void put(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}
void put(std::string& out, std::int64_t number) {
  out += std::to_string(number);
  out += ';';
}

// Reads what put() wrote, refusing anything else.
class WaitingReader {
 public:
  explicit WaitingReader(std::string_view text) : text_(text) {}
  bool done() const { return at_ == text_.size(); }
  bool number(std::int64_t& out) {
    const char* first = text_.data() + at_;
    const char* last = text_.data() + text_.size();
    const auto [end, ec] = std::from_chars(first, last, out);
    if (ec != std::errc() || end == last || *end != ';') return false;
    at_ += static_cast<std::size_t>(end - first) + 1;
    return true;
  }
  bool text(std::string& out) {
    std::size_t size = 0;
    const char* first = text_.data() + at_;
    const char* last = text_.data() + text_.size();
    const auto [end, ec] = std::from_chars(first, last, size);
    if (ec != std::errc() || end == last || *end != ':') return false;
    const std::size_t from = at_ + static_cast<std::size_t>(end - first) + 1;
    if (size > text_.size() - from) return false;
    out.assign(text_.substr(from, size));
    at_ = from + size;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

using CaptureCounts = std::map<std::tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string, std::string>, std::int64_t>;
using AnswerCounts = std::map<std::tuple<std::string, std::string, std::string, std::int64_t, std::string, std::string>, std::int64_t>;

bool read_part(WaitingReader& r, std::int64_t& number) { return r.number(number); }
bool read_part(WaitingReader& r, std::string& text) { return r.text(text); }

// Counts as waiting_text() wrote them, added to `out`; false when the text is not that.
template <class Counts>
bool read_counts(std::string_view text, Counts& out) {
  WaitingReader r(text);
  while (!r.done()) {
    typename Counts::key_type key;
    std::int64_t n = 0;
    if (!std::apply([&r](auto&... part) { return (read_part(r, part) && ...); }, key) || !r.number(n)) return false;
    out[std::move(key)] += n;
  }
  return true;
}

// A count per key, each key's parts in its tally's column order, then the count.
template <class Counts>
std::string waiting_text(const Counts& counts) {
  std::string out;
  for (const auto& [key, n] : counts) {
    std::apply([&out](const auto&... part) { (put(out, part), ...); }, key);
    put(out, n);
  }
  return out;
}

// One waiting row's counts added to `captures` and `answers`; false (and nothing added) when it
// is not what waiting_text() writes.
bool read_waiting(std::string_view capture_text, std::string_view answer_text, CaptureCounts& captures, AnswerCounts& answers) {
  CaptureCounts c;
  AnswerCounts a;
  if (!read_counts(capture_text, c) || !read_counts(answer_text, a)) return false;
  for (auto& [k, n] : c) captures[k] += n;
  for (auto& [k, n] : a) answers[k] += n;
  return true;
}

// Adds counts keyed as `table`'s key columns, in order, to it.
template <class Counts, std::size_t N>
void add_to_tally(sql::Driver& db, std::string_view table, const std::array<std::string_view, N>& columns, const Counts& counts) {
  if (counts.empty()) return;
  std::vector<sql::Param> values;
  values.reserve(counts.size() * N);
  for (const auto& [key, n] : counts) {
    std::apply([&values](const auto&... part) { (values.emplace_back(part), ...); }, key);
    values.emplace_back(n);
  }
  db.add_counts(table, columns, values);
}

// Rows of tally_pending read and added per statement: a fold after a long time without readers
// goes by parts, each bounded in memory.
constexpr int kFoldRows = 2048;

std::int64_t fold_in_transaction(sql::Driver& db) {
  std::int64_t folded = 0;
  std::int64_t after = 0;  // rows that cannot be read are put back: go on past them
  for (;;) {
    const auto last = db.query("SELECT MAX(id) FROM (SELECT id FROM tally_pending WHERE id > $1 ORDER BY id LIMIT " +
                                   std::to_string(kFoldRows) + ") w",
                               {after})
                          .one();
    if (last.is_null(0)) return folded;
    const std::int64_t upto = last.int64(0);
    // Only the rows this DELETE removed are added: another server folding at once took the others.
    // A range, read in the order of its key: folds at once lock the rows they share in the same
    // order, so they wait for each other and never deadlock.
    const auto rows =
        db.query("DELETE FROM tally_pending WHERE id > $1 AND id <= $2 RETURNING id, captures, answers", {after, upto});
    after = upto;
    CaptureCounts captures;
    AnswerCounts answers;
    for (const auto row : rows) {
      const std::int64_t id = row.int64(0);
      const std::string capture_text = row.text(1), answer_text = row.text(2);
      if (!read_waiting(capture_text, answer_text, captures, answers)) {
        db.exec("INSERT INTO tally_pending(id, captures, answers) VALUES($1, $2, $3)", {id, capture_text, answer_text});
        std::fprintf(stderr, "allervers-server: tally_pending row %lld cannot be read: left as it is, its counts are not in the dashboard\n",
                     static_cast<long long>(id));
        continue;
      }
      ++folded;
    }
    add_to_tally(db, "capture_tally", kCaptureTally, captures);
    add_to_tally(db, "answer_tally", kAnswerTally, answers);
  }
}

}  // namespace

std::int64_t fold_waiting_tallies(sql::Driver& db) {
  if (db.in_transaction()) return fold_in_transaction(db);
  if (db.query("SELECT COUNT(*) FROM (SELECT 1 FROM tally_pending LIMIT 1) w").one().int64(0) == 0) return 0;
  sql::Transaction tx(db);
  const std::int64_t folded = fold_in_transaction(db);
  tx.commit();
  return folded;
}

void TallyBatch::write(sql::Driver& db) {
  static constexpr std::array<std::string_view, 9> kTextAnswers = {"capture", "question",      "consultation", "day",   "channel",
                                                                   "device",  "neighbourhood", "text",         "folded"};
  if (added_ > 0 && added_ < kTalliesWaitBelow) {
    const std::string capture_text = waiting_text(captures_), answer_text = waiting_text(answers_);
    const std::int64_t id =
        db.query("INSERT INTO tally_pending(captures, answers) VALUES($1, $2) RETURNING id", {capture_text, answer_text}).one().int64(0);
    if (id % kTalliesFoldEvery == 0) fold_in_transaction(db);
    captures_.clear();
    answers_.clear();
  }
  add_to_tally(db, "capture_tally", kCaptureTally, captures_);
  add_to_tally(db, "answer_tally", kAnswerTally, answers_);
  if (!texts_.empty()) {
    std::vector<sql::Param> values;
    values.reserve(texts_.size() * kTextAnswers.size());
    for (const auto& t : texts_)
      values.insert(values.end(), {t.row->id, t.question, t.row->consultation, t.facts->day, t.row->channel, t.row->device,
                                   t.facts->neighbourhood, t.text, t.folded});
    // Keyed by their capture, which this transaction has just inserted (or claimed, when deriving).
    db.insert_new({"text_answers", kTextAnswers, {}, sql::Held::never}, values);
  }
  captures_.clear();
  answers_.clear();
  texts_.clear();
  added_ = 0;
}

}  // namespace allervers::server
