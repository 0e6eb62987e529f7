// The office's dashboard: every number equals a count the test makes itself from the captures
// it sent, under every filter; the exports keep the same rows as the dashboard counts; the
// tallies count a capture once however often it is sent, and are rebuilt for captures stored
// before they existed. On SQLite and on a real PostgreSQL.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "allervers/server/office/dashboard.hpp"
#include "office_fixture.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using server::CaptureFilter;
using server::Dimension;

namespace {

// The filters the test tries: none, each dimension alone, and several together.
std::vector<CaptureFilter> filters(const test::OfficeData& data, const core::Instant& now) {
  const std::int64_t today = server::town_day(now.utc_ms, 60);
  std::vector<CaptureFilter> out(9);
  out[1].consultation = "place-jean-jaures";
  out[2].from_day = today - 20;
  out[2].to_day = today - 10;
  out[3].neighbourhood = "gare";
  out[4].channel = "market";
  out[5].device = data.devices[1].first.str();
  out[6].kind = "idea";
  out[7].consultation = "place-jean-jaures";
  out[7].from_day = today - 25;
  out[7].neighbourhood = "centre";
  out[7].channel = "door_to_door";
  out[8].consultation = "place-jean-jaures";
  out[8].device = data.devices[2].first.str();
  out[8].to_day = today - 5;
  return out;
}

CaptureFilter of_consultation(const std::string& id) {
  CaptureFilter f;
  f.consultation = id;
  return f;
}

std::string describe(const CaptureFilter& f) {
  return "consultation=" + f.consultation + " from=" + (f.from_day ? server::day_text(*f.from_day) : "") +
         " to=" + (f.to_day ? server::day_text(*f.to_day) : "") + " quartier=" + f.neighbourhood + " channel=" + f.channel +
         " device=" + f.device + " kind=" + f.kind;
}

std::map<std::string, std::int64_t> as_map(const std::vector<server::Count>& counts) {
  std::map<std::string, std::int64_t> out;
  for (const auto& c : counts)
    if (c.n) out[c.key] += c.n;
  return out;
}

// The test's own counts of the captures a filter keeps, by one dimension.
std::map<std::string, std::int64_t> expected_by(const test::OfficeData& data, const CaptureFilter& f, Dimension by) {
  std::map<std::string, std::int64_t> out;
  for (const auto& s : data.sent) {
    if (!test::keeps(f, s)) continue;
    const core::Capture& c = s.capture;
    switch (by) {
      case Dimension::day: ++out[s.day]; break;
      case Dimension::consultation: ++out[c.consultation]; break;
      case Dimension::kind: ++out[core::to_string(c.kind())]; break;
      case Dimension::channel: ++out[core::to_string(c.channel)]; break;
      case Dimension::device: ++out[c.device.str()]; break;
      case Dimension::neighbourhood: ++out[s.neighbourhood]; break;
      case Dimension::age_bracket: ++out[s.age_bracket]; break;
    }
  }
  return out;
}

void counts_equal_the_captures(test::ApiRig& rig, const test::OfficeData& data) {
  const core::Catalog catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  for (const auto& f : filters(data, rig.clock.now())) {
    INFO(describe(f));
    std::int64_t expected = 0;
    for (const auto& s : data.sent) expected += test::keeps(f, s) ? 1 : 0;
    CHECK(rig.store->count_captures(f) == expected);
    for (Dimension d : {Dimension::day, Dimension::consultation, Dimension::kind, Dimension::channel, Dimension::device,
                        Dimension::neighbourhood, Dimension::age_bracket}) {
      INFO("by " << server::to_string(d));
      CHECK(as_map(server::count_by(*rig.store, catalog, f, d)) == expected_by(data, f, d));
    }
    // The page's counts, read as sets at once (GROUPING SETS on PostgreSQL), under the same filter.
    const auto page = server::capture_counts(*rig.store, catalog, f);
    CHECK(page.total == expected);
    CHECK(as_map(page.by_consultation) == expected_by(data, f, Dimension::consultation));
    CHECK(as_map(page.by_kind) == expected_by(data, f, Dimension::kind));
    CHECK(as_map(page.by_neighbourhood) == expected_by(data, f, Dimension::neighbourhood));
    CHECK(as_map(page.by_day) == expected_by(data, f, Dimension::day));
    CHECK(as_map(page.by_channel) == expected_by(data, f, Dimension::channel));
    CHECK(as_map(page.by_device) == expected_by(data, f, Dimension::device));
    // The quartier × age bracket table of "who we reach".
    std::map<std::pair<std::string, std::string>, std::int64_t> cells;
    for (const auto& s : data.sent)
      if (test::keeps(f, s)) ++cells[{s.neighbourhood, s.age_bracket}];
    std::map<std::pair<std::string, std::string>, std::int64_t> got;
    for (const auto& c : rig.store->count_captures(f, Dimension::neighbourhood, Dimension::age_bracket)) got[{c.key, c.key2}] += c.n;
    CHECK(got == cells);
  }
  // The labels and order the console shows.
  const auto counts = server::capture_counts(*rig.store, catalog, {});
  CHECK(counts.total == static_cast<std::int64_t>(data.sent.size()));
  REQUIRE(counts.by_neighbourhood.size() >= 6);
  CHECK(counts.by_neighbourhood[0].key == "centre");  // the town's order
  CHECK(counts.by_neighbourhood[0].label == "Centre-ville");
  for (const auto& c : counts.by_device) {  // the agent's device by its name
    const auto named = std::find_if(data.devices.begin(), data.devices.end(), [&](const auto& d) { return d.first.str() == c.key; });
    REQUIRE(named != data.devices.end());
    CHECK(c.label == named->second);
  }
  for (std::size_t i = 1; i < counts.by_day.size(); ++i)  // a time line: one day after the other
    CHECK(*server::day_from_text(counts.by_day[i].key) == *server::day_from_text(counts.by_day[i - 1].key) + 1);
  for (const auto& c : counts.by_channel)
    if (c.key == "door_to_door") CHECK(c.label == "Porte-à-porte");
  const auto j = nlohmann::json::parse(server::to_json(counts));
  CHECK(j["total"] == data.sent.size());
}

void answers_equal_the_captures(test::ApiRig& rig, const test::OfficeData& data) {
  const core::Catalog catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  for (auto f : filters(data, rig.clock.now())) {
    if (!f.kind.empty()) continue;
    f.consultation = "place-jean-jaures";
    INFO(describe(f));
    // The test's own count of each question's answers and values.
    std::map<std::string, std::int64_t> answered;
    std::map<std::pair<std::string, std::string>, std::int64_t> values;
    std::int64_t opinions = 0, ecole = 0, texts = 0;
    for (const auto& s : data.sent) {
      const auto* o = s.capture.opinion();
      if (!o || !test::keeps(f, s)) continue;
      ++opinions;
      if (!s.comment.empty()) ++texts;
      if (s.mentions_ecole) ++ecole;
      for (const auto& [q, v] : o->answers) {
        ++answered[q];
        if (const auto* many = std::get_if<std::vector<std::string>>(&v))
          for (const auto& id : *many) ++values[{q, id}];
        else if (q != "commentaire" && q != "arbres-pourquoi")
          ++values[{q, core::answer_text(v)}];
      }
    }
    const auto results = server::question_results(*rig.store, catalog, f);
    CHECK(results.opinions == opinions);
    REQUIRE(results.questions.size() == 10);
    for (const auto& q : results.questions) {
      INFO("question " << q.id);
      CHECK(q.answered == answered[q.id]);
      for (const auto& c : q.choices) CHECK(c.n == values[{q.id, c.key}]);
      if (q.id == "satisfaction" && q.answered > 0) {
        double sum = 0;
        for (const auto& c : q.choices) sum += std::stoi(c.key) * static_cast<double>(c.n);
        CHECK(std::abs(*q.mean - sum / static_cast<double>(q.answered)) < 1e-9);
      }
      if (q.id == "frequence") CHECK(q.choices.size() == 4);  // every option, zeros included
      if (q.id == "arbres") CHECK(q.choices[0].label == "Oui");
      if (q.id == "commentaire") CHECK(q.texts == texts);
    }
    // Free texts: every one a page at a time; a search ignores case and accents.
    const auto all = server::text_answers_page(*rig.store, catalog, f, "commentaire", "", 1, 10);
    CHECK(all.total == texts);
    CHECK(all.pages == (texts + 9) / 10);
    std::int64_t seen = 0;
    for (std::int64_t page = 1; page <= all.pages; ++page)
      seen += static_cast<std::int64_t>(server::text_answers_page(*rig.store, catalog, f, "commentaire", "", page, 10).answers.size());
    CHECK(seen == texts);
    for (const char* search : {"ecole", "ÉCOLE", "  École  "}) {
      const auto found = server::text_answers_page(*rig.store, catalog, f, "commentaire", search, 1, 500);
      CHECK(found.total == ecole);
      for (const auto& a : found.answers) CHECK(core::fold_for_search(a.text).find("ecole") != std::string::npos);
    }
    // Two words, both needed, in any order; LIKE's own wildcards are only text.
    const auto two = server::text_answers_page(*rig.store, catalog, f, "commentaire", "bancs ECOLE", 1, 500);
    for (const auto& a : two.answers) CHECK(a.text == "Près de l’École Jules-Ferry, il faut des bancs");
    CHECK(server::text_answers_page(*rig.store, catalog, f, "commentaire", "%", 1, 500).total == 0);
    CHECK(server::text_answers_page(*rig.store, catalog, f, "commentaire", "_", 1, 500).total == 0);
  }
}

void exports_keep_the_rows_the_dashboard_counts(test::ApiRig& rig, const test::OfficeData& data) {
  for (const auto& f : filters(data, rig.clock.now())) {
    INFO(describe(f));
    std::set<std::string> expected;
    for (const auto& s : data.sent)
      if (test::keeps(f, s)) expected.insert(s.capture.id.str());
    server::ExportOptions options;
    options.filter = f;
    std::ostringstream out;
    CHECK(server::export_captures(*rig.store, out, options) == static_cast<std::int64_t>(expected.size()));
    std::set<std::string> exported;
    std::istringstream lines(out.str());
    std::string line;
    while (std::getline(lines, line)) exported.insert(nlohmann::json::parse(line)["capture"]["id"].get<std::string>());
    CHECK(exported == expected);
    CHECK(rig.store->count_captures(f) == static_cast<std::int64_t>(exported.size()));
    // The CSV tables of each kind together hold the same captures.
    std::int64_t csv_rows = 0;
    for (auto table : {server::ExportTable::opinions, server::ExportTable::ideas, server::ExportTable::signins}) {
      options.format = server::ExportFormat::csv;
      options.table = table;
      std::ostringstream csv;
      csv_rows += server::export_captures(*rig.store, csv, options);
    }
    CHECK(csv_rows == static_cast<std::int64_t>(expected.size()));
  }
}

void sent_twice_counted_once(test::ApiRig& rig, const test::OfficeData& data) {
  const auto before = rig.store->count_captures({});
  // A device sends its last captures again (it never heard the answer): duplicates, not counted.
  std::vector<std::pair<std::int64_t, std::string>> again;
  std::int64_t seq = 0;
  for (const auto& s : data.sent)
    if (s.capture.device == rig.device) again.emplace_back(++seq, core::canonical_json(s.capture));
  again.resize(std::min<std::size_t>(again.size(), 40));
  REQUIRE(rig.send_batch(rig.batch(again)).status == 200);
  CHECK(rig.store->count_captures({}) == before);
  CHECK(rig.store->capture_count() == before);
}

void facts_rebuilt_for_older_captures(const std::string& url, const test::OfficeData& data, test::ApiRig& rig) {
  // As if stored before schema step 3: facts and tallies gone. Opening the store rebuilds them,
  // from the stored bodies: the same facts ingest derived from the captures as parsed.
  auto raw = server::open_store(url);
  const core::Catalog catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const auto before = server::capture_counts(*raw, catalog, {});
  const auto answers_before = raw->count_answers(of_consultation("place-jean-jaures"));
  const auto texts_before = server::text_answers_page(*raw, catalog, of_consultation("place-jean-jaures"), "commentaire", "", 1, 10).total;
  REQUIRE(texts_before > 0);
  {
    auto db = url.rfind("sqlite:", 0) == 0 ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
    server::sql::Transaction tx(*db);
    db->exec("UPDATE captures SET day = NULL, neighbourhood = NULL, age_bracket = NULL");
    db->exec("DELETE FROM capture_tally");
    db->exec("DELETE FROM answer_tally");
    db->exec("DELETE FROM tally_pending");
    db->exec("DELETE FROM text_answers");
    tx.commit();
  }
  CHECK(raw->count_captures({}) == 0);
  auto reopened = server::open_store(url);  // migrate() derives what is missing
  CHECK(server::capture_counts(*reopened, catalog, {}).by_day == before.by_day);
  CHECK(server::capture_counts(*reopened, catalog, {}).by_neighbourhood == before.by_neighbourhood);
  const auto answers_after = reopened->count_answers(of_consultation("place-jean-jaures"));
  REQUIRE(answers_after.size() == answers_before.size());
  for (std::size_t i = 0; i < answers_after.size(); ++i) {
    CHECK(answers_after[i].n == answers_before[i].n);
    CHECK(answers_after[i].question + "=" + answers_after[i].value == answers_before[i].question + "=" + answers_before[i].value);
  }
  CHECK(server::text_answers_page(*reopened, catalog, of_consultation("place-jean-jaures"), "commentaire", "", 1, 10).total == texts_before);
  CHECK(reopened->derive_missing_facts() == 0);  // nothing left: a second start does nothing
  CHECK(reopened->count_captures({}) == static_cast<std::int64_t>(data.sent.size()));
}

// The schema step that keys free texts in page order and makes the bursts' index partial
// (server/src/store/schema.cpp): a database is put back to the step before it, then upgraded.
constexpr int kTextKeysStep = 14;

// A database at the step before (free texts keyed by capture with an index by question, the
// bursts' index over every capture) upgraded: every free text is kept and pages as before.
void free_texts_kept_through_step_14(const std::string& url, test::ApiRig& rig) {
  const core::Catalog catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const auto pages = [&](server::ServerStore& store) {
    std::vector<std::string> out;
    for (std::int64_t page = 1;; ++page) {
      const auto p = server::text_answers_page(store, catalog, of_consultation("place-jean-jaures"), "commentaire", "", page, 10);
      for (const auto& a : p.answers) out.push_back(a.capture + " " + a.text);
      if (page >= p.pages) return out;
    }
  };
  const auto before = pages(*rig.store);
  REQUIRE(before.size() > 10);
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  {
    auto db = sqlite ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
    server::sql::Transaction tx(*db);
    if (sqlite) {
      db->exec(R"(CREATE TABLE step13_texts(
  capture TEXT NOT NULL, question TEXT NOT NULL, consultation TEXT NOT NULL, day INTEGER NOT NULL, channel TEXT NOT NULL,
  device TEXT NOT NULL, neighbourhood TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL, PRIMARY KEY(capture, question)))");
      db->exec("INSERT INTO step13_texts SELECT capture, question, consultation, day, channel, device, neighbourhood, text, folded "
               "FROM text_answers");
      db->exec("DROP TABLE text_answers");
      db->exec("ALTER TABLE step13_texts RENAME TO text_answers");
      db->exec("PRAGMA user_version = " + std::to_string(kTextKeysStep - 1));
    } else {
      db->exec("ALTER TABLE text_answers DROP CONSTRAINT text_answers_pkey");
      db->exec("ALTER TABLE text_answers ADD PRIMARY KEY (capture, question)");
      db->exec("DELETE FROM allervers_schema");
      db->exec("INSERT INTO allervers_schema(version) VALUES($1)", {kTextKeysStep - 1});
    }
    db->exec("CREATE INDEX text_answers_by_question ON text_answers(consultation, question, day)");
    db->exec("DROP INDEX captures_kiosk_times");
    db->exec("CREATE INDEX captures_by_device_time ON captures(device, channel, corrected_ms)");
    // And what the later steps made (15: the indexes by day; 16: derivations; 17: the count of
    // the outcomes' changes; 18: the tallies waiting), as step 13 had it.
    db->exec("DROP TABLE tally_pending");
    db->exec("DROP INDEX captures_by_day");
    db->exec("DROP INDEX captures_by_consultation_day");
    db->exec("CREATE INDEX captures_by_day ON captures(day, id)");
    db->exec("CREATE INDEX captures_by_consultation_day ON captures(consultation, day, id)");
    db->exec("DROP TABLE derivations");
    const std::pair<std::string, std::vector<std::string>> counted[] = {
        {"outcomes", {"ideas", "idea_milestones", "idea_reasons", "votes", "ballots"}},
        {"passes", {"certificates", "revoked_passes", "server_secrets"}}};
    for (const auto& [document, tables] : counted)
      for (const auto& table : tables) {
        const std::string trigger = document + "_changed_" + table;
        if (!sqlite) db->exec("DROP TRIGGER " + trigger + " ON " + table);
        else
          for (const char* op : {"_insert", "_update", "_delete"}) db->exec("DROP TRIGGER " + trigger + op);
      }
    if (!sqlite) db->exec("DROP FUNCTION document_changed()");
    db->exec("DROP TABLE document_changes");
    tx.commit();
  }
  auto upgraded = server::open_store(url);  // runs the step again
  CHECK(pages(*upgraded) == before);
  // What step 14 dropped is gone, what it made is there.
  auto db = sqlite ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
  const std::string indexes = sqlite ? "SELECT name FROM sqlite_master WHERE type = 'index'" : "SELECT indexname FROM pg_indexes";
  std::set<std::string> names;
  for (const auto row : db->query(indexes)) names.insert(row.text(0));
  CHECK(names.count("captures_kiosk_times") == 1);
  CHECK(names.count("captures_by_device_time") == 0);
  CHECK(names.count("text_answers_by_question") == 0);
  // A capture still has one text per question: the same text again is not a second row.
  server::sql::Transaction tx(*db);
  const auto rows = db->query("SELECT consultation, question, day, capture, channel, device, neighbourhood, text, folded FROM text_answers");
  const auto one = rows[0];
  const std::vector<std::string> texts = {one.text(0), one.text(1), one.text(3), one.text(4), one.text(5), one.text(6), one.text(7), one.text(8)};
  const std::array<std::string_view, 9> columns = {"consultation", "question", "day", "capture", "channel", "device", "neighbourhood", "text", "folded"};
  const std::vector<server::sql::Param> again = {texts[0], texts[1], one.int64(2), texts[2], texts[3], texts[4], texts[5], texts[6], texts[7]};
  db->insert_new({"text_answers", columns, {}}, again);
  tx.commit();
  CHECK(pages(*upgraded) == before);
}

void run_suite(const std::string& url) {
  test::ApiRig rig(url);
  const auto data = test::send_varied_captures(rig, 600);
  SECTION("counts equal the captures, under every filter") { counts_equal_the_captures(rig, data); }
  SECTION("answers and free texts equal the captures") { answers_equal_the_captures(rig, data); }
  SECTION("exports keep the rows the dashboard counts") { exports_keep_the_rows_the_dashboard_counts(rig, data); }
  SECTION("a capture sent twice is counted once") { sent_twice_counted_once(rig, data); }
  SECTION("facts rebuilt for captures stored before the tallies") { facts_rebuilt_for_older_captures(url, data, rig); }
  SECTION("free texts kept through schema step 14") { free_texts_kept_through_step_14(url, rig); }
}

}  // namespace

TEST_CASE("dashboard on SQLite: every number equals the captures sent") {
  test::TempDir dir;
  static int n = 0;
  run_suite("sqlite:" + (dir.path() / ("office" + std::to_string(++n) + ".db")).string());
}

TEST_CASE("dashboard on PostgreSQL: every number equals the captures sent") {
  static std::unique_ptr<test::PgInstance> pg;  // NOLINT: test-only, one server for every section
  static int n = 0;
  if (!pg) pg = std::make_unique<test::PgInstance>();
  run_suite(pg->create_database("office_" + std::to_string(++n)));
}

// --- tallies waiting (schema step 18) ------------------------------------------------------
// A write of fewer than kTalliesWaitBelow captures keeps its counts in one row of tally_pending;
// ingest adds them to the tallies every kTalliesFoldEvery-th such row, readers before reading.

namespace {

std::unique_ptr<server::sql::Driver> open_raw(const std::string& url) {
  return url.rfind("sqlite:", 0) == 0 ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
}

std::int64_t rows_of(server::sql::Driver& db, const std::string& table) {
  return db.query("SELECT COUNT(*) FROM " + table).one().int64(0);
}

void tallies_wait_and_are_counted(const std::string& url) {
  test::ApiRig rig(url);
  auto db = open_raw(url);
  // One capture: its counts wait in one row, the tallies are untouched until someone reads them.
  const auto one = rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}}));
  REQUIRE(one.status == 200);
  CHECK(rows_of(*db, "tally_pending") == 1);
  CHECK(rows_of(*db, "capture_tally") == 0);
  CHECK(rows_of(*db, "answer_tally") == 0);
  CHECK(rig.store->count_captures({}) == 1);  // the reader adds them first
  CHECK(rows_of(*db, "tally_pending") == 0);
  CHECK(rows_of(*db, "capture_tally") == 1);
  CHECK(rows_of(*db, "answer_tally") > 0);

  // Ingest adds them itself at each 256th waiting row, with no one reading.
  std::int64_t waiting_max = 0;
  for (int i = 2; i <= 300; ++i) {
    REQUIRE(rig.send_batch(rig.batch({{i, core::canonical_json(rig.opinion(i))}})).status == 200);
    waiting_max = std::max(waiting_max, rows_of(*db, "tally_pending"));
  }
  // (SQLite numbers rows from 1 again once the table is empty, PostgreSQL goes on from 2.)
  CHECK(waiting_max >= server::kTalliesFoldEvery - 2);
  CHECK(waiting_max < server::kTalliesFoldEvery);
  // A batch of kTalliesWaitBelow captures goes to the tallies at once.
  std::vector<std::pair<std::int64_t, std::string>> records;
  for (int i = 301; i < 301 + server::kTalliesWaitBelow; ++i) records.emplace_back(i, core::canonical_json(rig.opinion(i)));
  const std::int64_t before = rows_of(*db, "tally_pending");
  REQUIRE(rig.send_batch(rig.batch(records)).status == 200);
  CHECK(rows_of(*db, "tally_pending") == before);
  CHECK(rig.store->count_captures({}) == 300 + server::kTalliesWaitBelow);

  // A row that cannot be read (a damaged file) is kept as it was, and the others are counted.
  db->exec("INSERT INTO tally_pending(id, captures, answers) VALUES(1000000, '9:abc', '')");
  REQUIRE(rig.send_batch(rig.batch({{400, core::canonical_json(rig.opinion(400))}})).status == 200);
  CHECK(rig.store->count_captures({}) == 301 + server::kTalliesWaitBelow);
  CHECK(db->query("SELECT captures FROM tally_pending").one().text(0) == "9:abc");
}

// Servers folding at once, while a device sends a capture at a time: every capture counted once.
void tallies_folded_at_once_counted_once(const std::string& url) {
  test::ApiRig rig(url);
  std::atomic<bool> sending{true};
  std::vector<std::thread> readers;
  std::atomic<int> reads{0};
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      auto store = server::open_store(url);
      while (sending) {
        store->count_captures({});
        ++reads;
      }
    });
  for (int i = 1; i <= 400; ++i) REQUIRE(rig.send_batch(rig.batch({{i, core::canonical_json(rig.opinion(i))}})).status == 200);
  sending = false;
  for (auto& t : readers) t.join();
  CHECK(reads > 0);
  CHECK(rig.store->count_captures({}) == 400);
  std::int64_t answered = 0;  // every opinion answers the square's first question
  for (const auto& a : rig.store->count_answers(of_consultation("place-jean-jaures")))
    if (a.value.empty() && a.question == "frequence") answered += a.n;
  CHECK(answered == 400);
  CHECK(rows_of(*open_raw(url), "tally_pending") == 0);
}

// The suite's checks on captures sent a few at a time, as the public form and a device that
// syncs often do: their counts waited before they were added.
void run_suite_a_few_at_a_time(const std::string& url) {
  test::ApiRig rig(url);
  const auto data = test::send_varied_captures(rig, 600, 11, 4);
  CHECK(rows_of(*open_raw(url), "tally_pending") > 0);
  counts_equal_the_captures(rig, data);
  answers_equal_the_captures(rig, data);
}

// `check` on a fresh SQLite file, then on a fresh PostgreSQL database.
void on_both_databases(const std::string& name, const std::function<void(const std::string&)>& check) {
  SECTION("SQLite") {
    test::TempDir dir;
    check("sqlite:" + (dir.path() / (name + ".db")).string());
  }
  SECTION("PostgreSQL") {
    test::PgInstance pg;
    check(pg.create_database(name));
  }
}

}  // namespace

TEST_CASE("dashboard: a few captures' tallies wait in one row, added by ingest or by whoever reads") {
  on_both_databases("waiting", tallies_wait_and_are_counted);
}

TEST_CASE("dashboard: servers adding the waiting tallies at once count each capture once") {
  on_both_databases("folds", tallies_folded_at_once_counted_once);
}

TEST_CASE("dashboard: every number equals the captures sent a few at a time") {
  on_both_databases("few", run_suite_a_few_at_a_time);
}

TEST_CASE("the office's filter read from text names what is wrong") {
  using server::parse_filter;
  const auto f = parse_filter({{"consultation", "place-jean-jaures"}, {"from", "2026-11-01"}, {"to", "2026-11-30"},
                               {"quartier", "gare"}, {"channel", "market"}, {"device", "019AB0C2-5E00-7000-8000-00000000A001"}});
  CHECK(server::day_text(*f.from_day) == "2026-11-01");
  CHECK(*f.to_day - *f.from_day == 29);
  CHECK(f.device == "019ab0c2-5e00-7000-8000-00000000a001");
  CHECK(parse_filter({}).any());
  auto fails = [](std::map<std::string, std::string> v, const char* field, const char* code) {
    try {
      parse_filter(v);
      FAIL("accepted");
    } catch (const server::FilterError& e) {
      CHECK(e.field() == field);
      CHECK(e.code() == code);
    }
  };
  fails({{"from", "2026-13-01"}}, "from", "invalid_date");
  fails({{"to", "30/11/2026"}}, "to", "invalid_date");
  fails({{"from", "2026-11-30"}, {"to", "2026-11-01"}}, "to", "dates_reversed");
  fails({{"channel", "telepathy"}}, "channel", "unknown_channel");
  fails({{"device", "Tablette 1"}}, "device", "invalid_device");
  fails({{"kind", "vote"}}, "kind", "unknown_kind");
  // The town's day: a capture at 00:30 in Paris is that day's, not the previous UTC day's.
  const auto paris = core::parse_instant("2026-11-21T00:30:00+01:00");
  CHECK(server::day_text(server::town_day(paris->utc_ms, paris->offset_minutes)) == "2026-11-21");
  CHECK(server::day_text(server::town_day(paris->utc_ms, 0)) == "2026-11-20");
  CHECK(server::day_text(server::town_day(-1, 0)) == "1969-12-31");
}

namespace {

// How SQLite plans `query` on a database at the latest schema step: the detail lines of EXPLAIN
// QUERY PLAN.
std::string query_plan(const std::string& query) {
  test::TempDir dir;
  const auto path = (dir.path() / "s.db").string();
  server::open_store("sqlite:" + path).reset();  // migrates to the latest step
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* plan = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + query).c_str(), -1, &plan, nullptr) == SQLITE_OK);
  std::string details;
  while (sqlite3_step(plan) == SQLITE_ROW) details += std::string(reinterpret_cast<const char*>(sqlite3_column_text(plan, 3))) + "\n";
  sqlite3_finalize(plan);
  sqlite3_close(db);
  return details;
}

}  // namespace

// The kiosk bursts are judged at ingest from the device's capture times around the batch
// (CaptureStore::ingest, BurstRule). Without an index by device and time that read walked all of a
// device's captures, and ingest slowed as history grew (docs/benchmarks.md, schema step 12).
// SQLite must plan it on that index, not on (device, seq); since step 14 the index holds only the
// kiosk's opinions and ideas, and a query whose condition does not imply that cannot use it.
TEST_CASE("the kiosk bursts' count reads one device's captures through the index by time") {
  const std::string details = query_plan(server::CaptureStore::burst_times_query());
  INFO(details);
  CHECK(details.find("captures_kiosk_times") != std::string::npos);
}

// The console pages free texts newest first (ReportStore::text_answers: a consultation's question,
// ORDER BY day DESC, capture DESC). Since schema step 14 that order is text_answers' key: SQLite
// reads a page from the key, without a sort of every text of the question.
TEST_CASE("a page of free texts is read in the order of the table's key, without sorting") {
  const std::string details = query_plan(
      "SELECT capture, question, day, channel, device, neighbourhood, text FROM text_answers "
      "WHERE consultation = ?1 AND day >= ?2 AND question = ?3 ORDER BY day DESC, capture DESC LIMIT 50 OFFSET 0");
  INFO(details);
  CHECK(details.find("PRIMARY KEY") != std::string::npos);
  CHECK(details.find("TEMP B-TREE") == std::string::npos);
}

// Exports stream captures in (day, id) order (SqlCaptureCursor: kCaptureSelect, the filter, ORDER
// BY day, id). Since schema step 15 SQLite's indexes by day end with the rowid, not the id, so
// that a batch lands at the end of its day: SQLite must still walk the index by day and sort one
// day at a time (the first line at once, a day in memory), never every capture at once.
TEST_CASE("an export reads captures by day through the index, sorting one day at a time") {
  for (const std::string where : {"", " WHERE day >= ?1 AND day <= ?2", " WHERE consultation = ?1", " WHERE consultation = ?1 AND day >= ?2"}) {
    const std::string details = query_plan("SELECT id, body FROM captures" + where + " ORDER BY day, id");
    INFO(where << "\n" << details);
    CHECK(details.find(where.find("consultation") != std::string::npos ? "captures_by_consultation_day" : "captures_by_day") !=
          std::string::npos);
    CHECK(details.find("RIGHT PART OF ORDER BY") != std::string::npos);
  }
}

// The same on PostgreSQL since schema step 15 (its indexes by day end with the row's place, not
// the id): an export's cursor walks the index by day and sorts within each day (Incremental
// Sort), so its first line comes without a sort of every capture. Planned on enough rows that
// an index scan is worth it, as on a town's database.
TEST_CASE("an export's cursor on PostgreSQL reads captures by day, sorting one day at a time") {
  test::PgInstance pg;
  const std::string url = pg.create_database("plan");
  server::open_store(url).reset();  // migrates to the latest step
  auto db = server::sql::open_postgresql(url);
  db->exec("INSERT INTO captures(id, device, seq, kind, consultation, version, channel, language, captured_ms, captured_offset_min, "
           "corrected_ms, received_ms, batch, body, day) SELECT md5(g::text)::uuid, md5('d')::uuid, g, 'opinion', 'c' || (g % 5), 1, "
           "'market', 'fr', g, 0, g, g, 'b', repeat('x', 500), g / 3000 FROM generate_series(1, 60000) g");
  db->exec("ANALYZE captures");
  server::sql::Transaction tx(*db);
  for (const std::string where : {"", " WHERE day >= 3 AND day <= 9"}) {
    std::string details;
    for (const auto row : db->query("EXPLAIN DECLARE plan NO SCROLL CURSOR FOR SELECT id, body FROM captures" + where + " ORDER BY day, id"))
      details += row.text(0) + "\n";
    INFO(where << "\n" << details);
    CHECK(details.find("Incremental Sort") != std::string::npos);
    CHECK(details.find("captures_by_day") != std::string::npos);
  }
}
