// The dashboard's readings: the tallies under a filter, the answers, the free texts.
#include "allervers/server/store/reports.hpp"

#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "allervers/core/text.hpp"
#include "facts.hpp"
#include "filter_sql.hpp"
#include "internal.hpp"

namespace allervers::server {

const char* to_string(Dimension d) {
  switch (d) {
    case Dimension::day: return "day";
    case Dimension::consultation: return "consultation";
    case Dimension::kind: return "kind";
    case Dimension::channel: return "channel";
    case Dimension::device: return "device";
    case Dimension::neighbourhood: return "neighbourhood";
    case Dimension::age_bracket: return "age_bracket";
  }
  return "?";
}

namespace {

constexpr unsigned kTextColumns = filter_columns::all & ~filter_columns::kind;

std::string key_text(const sql::Row& row, int column, Dimension d) {
  return d == Dimension::day ? day_text(row.int64(column)) : row.text(column);
}

// Every capture of the filter is an opinion (answers and texts have no other kind).
bool only_opinions(const CaptureFilter& f) { return f.kind.empty() || f.kind == "opinion"; }

// The filter without its kind (tables of answers hold opinions only).
CaptureFilter without_kind(CaptureFilter f) {
  f.kind.clear();
  return f;
}

// A LIKE pattern for each word of the search (the first eight), folded and escaped.
std::vector<std::string> search_patterns(const std::string& search) {
  std::vector<std::string> patterns;
  std::istringstream words(core::fold_for_search(search));
  std::string word;
  while (words >> word && patterns.size() < 8) {
    std::string pattern = "%";
    for (char c : word) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    patterns.push_back(pattern + "%");
  }
  return patterns;
}

}  // namespace

class ReportStore::Facts {
 public:
  CatalogCache catalog;
};

ReportStore::ReportStore() : facts_(std::make_unique<Facts>()) {}
ReportStore::~ReportStore() = default;

std::int64_t ReportStore::count_captures(const CaptureFilter& filter) {
  fold_waiting_tallies(db());
  const FilterSql w = filter_sql(filter, filter_columns::all);
  return db().query("SELECT COALESCE(SUM(n), 0) FROM capture_tally" + w.where, w.params).one().int64(0);
}

std::vector<TallyCount> ReportStore::count_captures(const CaptureFilter& filter, Dimension by) {
  // Kinds and age brackets lead no index of the tally (SQLite): counted by the pair they are
  // indexed in, then summed here.
  if (by == Dimension::kind || by == Dimension::age_bracket) {
    std::map<std::string, std::int64_t> sums;
    for (const auto& c : count_captures(filter, by == Dimension::kind ? Dimension::consultation : Dimension::neighbourhood, by))
      sums[c.key2] += c.n;
    std::vector<TallyCount> out;
    for (auto& [key, n] : sums) out.push_back({key, {}, n});
    return out;
  }
  fold_waiting_tallies(db());
  const FilterSql w = filter_sql(filter, filter_columns::all);
  const std::string column = to_string(by);
  std::vector<TallyCount> out;
  for (const auto row : db().query("SELECT " + column + ", SUM(n) FROM capture_tally" + w.where + " GROUP BY " + column + " ORDER BY " + column,
                                   w.params))
    out.push_back({key_text(row, 0, by), {}, row.int64(1)});
  return out;
}

std::vector<TallyCount> ReportStore::count_captures(const CaptureFilter& filter, Dimension by, Dimension then) {
  fold_waiting_tallies(db());
  const FilterSql w = filter_sql(filter, filter_columns::all);
  const std::string columns = std::string(to_string(by)) + ", " + to_string(then);
  std::vector<TallyCount> out;
  for (const auto row :
       db().query("SELECT " + columns + ", SUM(n) FROM capture_tally" + w.where + " GROUP BY " + columns + " ORDER BY " + columns, w.params))
    out.push_back({key_text(row, 0, by), key_text(row, 1, then), row.int64(2)});
  return out;
}

ReportStore::CountSets ReportStore::count_capture_sets(const CaptureFilter& filter) {
  CountSets out;
  if (std::string_view(db().name()) != "postgresql") {
    out.consultation_kind = count_captures(filter, Dimension::consultation, Dimension::kind);
    out.channel_day = count_captures(filter, Dimension::channel, Dimension::day);
    out.neighbourhood = count_captures(filter, Dimension::neighbourhood);
    out.device = count_captures(filter, Dimension::device);
    return out;
  }
  fold_waiting_tallies(db());
  // GROUPING(…) has a bit set for each column a row is not grouped by, the first column's
  // highest: 15 = consultation × kind, 51 = channel × day, 61 = quartier, 62 = device.
  const FilterSql w = filter_sql(filter, filter_columns::all);
  for (const auto row : db().query("SELECT GROUPING(consultation, kind, channel, day, neighbourhood, device), consultation, kind, "
                                   "channel, day, neighbourhood, device, SUM(n) FROM capture_tally" +
                                       w.where +
                                       " GROUP BY GROUPING SETS ((consultation, kind), (channel, day), (neighbourhood), (device))"
                                       " ORDER BY 1, 2, 3, 4, 5, 6, 7",
                                   w.params)) {
    const std::int64_t n = row.int64(7);
    switch (row.int64(0)) {
      case 15: out.consultation_kind.push_back({row.text(1), row.text(2), n}); break;
      case 51: out.channel_day.push_back({row.text(3), key_text(row, 4, Dimension::day), n}); break;
      case 61: out.neighbourhood.push_back({row.text(5), {}, n}); break;
      case 62: out.device.push_back({row.text(6), {}, n}); break;
      default: throw std::logic_error("count_capture_sets: a row of no set");
    }
  }
  return out;
}

std::vector<AnswerCount> ReportStore::count_answers(const CaptureFilter& filter) {
  if (filter.consultation.empty()) throw std::logic_error("count_answers: the filter names no consultation");
  if (!only_opinions(filter)) return {};
  std::vector<AnswerCount> out;
  if (filter.device.empty()) {
    fold_waiting_tallies(db());
    const CaptureFilter f = without_kind(filter);
    const FilterSql w = filter_sql(f, filter_columns::all & ~(filter_columns::kind | filter_columns::device));
    for (const auto row : db().query("SELECT question, value, SUM(n) FROM answer_tally" + w.where +
                                         " GROUP BY question, value ORDER BY question, value",
                                     w.params))
      out.push_back({row.text(0), row.text(1), row.int64(2)});
    return out;
  }
  // One device's opinions: read and counted here, as the tally would have counted them.
  CaptureFilter f = filter;
  f.kind = "opinion";
  const FilterSql w = filter_sql(f, filter_columns::all);
  const core::Catalog* catalog = facts_->catalog.get(db());
  std::map<std::pair<std::string, std::string>, std::int64_t> sums;
  CaptureRow capture;
  // Through the index by device: SQLite, without statistics, would rather walk the whole
  // consultation by its index by day (as likely, by its guess, since schema step 15 made that
  // index two columns), a million captures' bodies for one device's share.
  const bool sqlite = std::string_view(db().name()) == "sqlite";
  db().for_each(std::string(kCaptureSelect) + (sqlite ? " INDEXED BY captures_by_device" : "") + w.where, w.params, [&](const sql::Row& row) {
    read_capture(row, capture);
    for (auto& answer : derive_facts(capture, catalog).answers) ++sums[std::move(answer)];
  });
  for (auto& [key, n] : sums) out.push_back({key.first, key.second, n});
  return out;
}

namespace {

struct TextSql {
  std::string where;
  std::vector<sql::Param> params;
  std::vector<std::string> patterns;  // the params point into them
};

void text_sql(const CaptureFilter& f, const TextQuery& q, TextSql& out) {
  const FilterSql w = filter_sql(f, kTextColumns);
  out.where = w.where + (w.where.empty() ? " WHERE " : " AND ") + "question = $" + std::to_string(w.params.size() + 1);
  out.params = w.params;
  out.params.emplace_back(q.question);
  out.patterns = search_patterns(q.search);
  for (const auto& p : out.patterns) {
    out.params.emplace_back(p);
    out.where += " AND folded LIKE $" + std::to_string(out.params.size()) + " ESCAPE '\\'";
  }
}

}  // namespace

std::vector<TextAnswer> ReportStore::text_answers(const CaptureFilter& filter, const TextQuery& query) {
  if (filter.consultation.empty()) throw std::logic_error("text_answers: the filter names no consultation");
  if (!only_opinions(filter)) return {};
  const CaptureFilter f = without_kind(filter);
  TextSql t;
  text_sql(f, query, t);
  const std::string limit = std::to_string(std::max<std::int64_t>(0, query.limit));
  const std::string offset = std::to_string(std::max<std::int64_t>(0, query.offset));
  std::vector<TextAnswer> out;
  for (const auto row : db().query("SELECT capture, question, day, channel, device, neighbourhood, text FROM text_answers" + t.where +
                                       " ORDER BY day DESC, capture DESC LIMIT " + limit + " OFFSET " + offset,
                                   t.params))
    out.push_back({row.text(0), row.text(1), row.int64(2), row.text(3), row.text(4), row.text(5), row.text(6)});
  return out;
}

std::int64_t ReportStore::count_text_answers(const CaptureFilter& filter, const TextQuery& query) {
  if (filter.consultation.empty()) throw std::logic_error("count_text_answers: the filter names no consultation");
  if (!only_opinions(filter)) return 0;
  const CaptureFilter f = without_kind(filter);
  TextSql t;
  text_sql(f, query, t);
  return db().query("SELECT COUNT(*) FROM text_answers" + t.where, t.params).one().int64(0);
}

std::map<std::string, std::string> ReportStore::device_names() {
  std::map<std::string, std::string> out;
  for (const auto row : db().query("SELECT CAST(id AS TEXT), name FROM devices")) out.emplace(row.text(0), row.text(1));
  return out;
}

}  // namespace allervers::server
