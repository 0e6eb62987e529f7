// What leaves the server for the office, each read back as its reader would: CSV for French
// Excel (BOM, ";", CRLF, a column per question with labels, dates in the town's time, formulas
// neutralised — a negative year included), XLSX opened with openpyxl (sheets, frozen header,
// autofilter, real dates), ideas for Decidim, JSON Lines; personal data only when allowed;
// parts of bounded size; and the device list. On SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "office_fixture.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using allervers::test::ApiRig;

namespace {

// --- reading CSV back ------------------------------------------------------------------

// Records of a CSV text, split on `separator`, quotes undone. Records end with CRLF (a lone LF
// outside quotes fails the test: Excel would cut the record there).
std::vector<std::vector<std::string>> read_csv(const std::string& text, char separator) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    auto& cell = records.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      records.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      records.emplace_back(1);
      ++i;
    } else {
      INFO("at byte " << i);
      CHECK(c != '\n');
      CHECK(c != '\r');
      cell += c;
    }
  }
  CHECK_FALSE(quoted);
  if (records.back().size() == 1 && records.back()[0].empty()) records.pop_back();
  return records;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

const std::vector<std::string>& row_of(const std::vector<std::vector<std::string>>& csv, const std::string& id) {
  for (const auto& r : csv)
    if (!r.empty() && r[0] == id) return r;
  FAIL("no row for " << id);
  return csv[0];
}

// No cell a spreadsheet would run: each starting like a formula is neutralised by a "'".
void no_formula(const std::vector<std::vector<std::string>>& csv) {
  for (const auto& record : csv)
    for (const auto& cell : record) {
      INFO(cell);
      CHECK((cell.empty() || std::string("=+-@\t\r").find(cell[0]) == std::string::npos));
    }
}

std::string export_text(server::ServerStore& store, const server::ExportOptions& options) {
  std::ostringstream out;
  server::export_captures(store, out, options);
  return out.str();
}

server::ExportOptions csv(server::ExportTable table) {
  server::ExportOptions o;
  o.format = server::ExportFormat::csv;
  o.table = table;
  return o;
}

// --- the captures ----------------------------------------------------------------------

struct Known {
  core::Capture opinion, comment_formula, idea, signin, wild_clock;
  std::vector<core::Capture> formulas;
};

Known send_known(ApiRig& rig) {
  Known k;
  const auto office = crypto::ContactSealer::from_base64(server::office_public_key(*rig.store, rig.clock.now()));
  // An opinion at 00:30 in Paris on 21 November: the town's day is the 21st, not the UTC 20th.
  k.opinion = rig.opinion(1, "Plus d’ombre ; l’été \"SVP\"\nmerci");
  k.opinion.captured_at = *core::parse_instant("2026-11-21T00:30:00+01:00");
  auto& answers = std::get<core::Opinion>(k.opinion.body).answers;
  answers["frequence"] = std::string("chaque-semaine");
  answers["usages"] = std::vector<std::string>{"marche", "terrasse"};
  answers["arbres"] = true;
  answers["quartier"] = std::string("gare");
  answers["age"] = std::string("18-29");
  answers["satisfaction"] = std::int64_t{4};
  // Free texts a spreadsheet would run as formulas.
  for (const char* text : {"=HYPERLINK(\"http://x\";\"clic\")", "+33 6 12 34 56 78", "-2+3", "@SUM(A1)", "\tTab", "=1;2 {\"a\": [\"}\\\\\"]}"}) {
    k.formulas.push_back(rig.opinion(static_cast<int>(k.formulas.size()) + 2, text));
  }
  k.idea.id = rig.ids.next(rig.clock.now().utc_ms);
  k.idea.device = rig.device;
  k.idea.consultation = "budget-participatif-2027";
  k.idea.version = 1;
  k.idea.channel = core::Channel::kiosk;
  k.idea.captured_at = *core::parse_instant("2026-11-22T14:05:00+01:00");
  k.idea.body = core::Idea{"=HYPERLINK(\"http://x\")", "Une description, avec \"guillemets\"\net une ligne", "nature", "gare",
                           "Square Victor-Hugo", 1500, core::SealedContact{true, office->seal("marie@example.org")}};
  k.signin.id = rig.ids.next(rig.clock.now().utc_ms);
  k.signin.device = rig.device;
  k.signin.channel = core::Channel::assembly;
  k.signin.captured_at = *core::parse_instant("2026-11-26T18:31:00+01:00");
  k.signin.body = core::SignIn{"conseil-centre-2026-12", "K7QM2XPA9D", "centre", "60-74", true};
  std::vector<std::pair<std::int64_t, std::string>> records;
  std::int64_t seq = 0;
  for (const auto* c : {&k.opinion, &k.idea, &k.signin}) records.emplace_back(++seq, core::canonical_json(*c));
  for (const auto& c : k.formulas) records.emplace_back(++seq, core::canonical_json(c));
  const auto sent = rig.send_batch(rig.batch(records));
  REQUIRE(sent.status == 200);
  INFO(sent.body);
  REQUIRE(sync::protocol::decode_batch_response(sent.body).accepted == static_cast<std::int64_t>(records.size()));
  // A device whose clock said year 9999 when it sent: its offset (server minus device) was
  // about -8,000 years, and its capture's corrected time fell in a negative year. The batch
  // endpoint refuses such a clock now (docs/protocol.md); a database filled before still holds
  // such rows, so the record goes in under the ingest rules with that offset.
  k.wild_clock = rig.opinion(99, "horloge folle");
  server::BatchEnvelope wild;
  wild.device = rig.device.str();
  wild.batch = "horloge-folle";
  wild.received_ms = rig.clock.now().utc_ms;
  wild.clock_offset_ms = rig.clock.now().utc_ms - core::parse_instant("9999-12-31T23:00:00+00:00")->utc_ms;
  const std::vector<sync::protocol::ParsedBatch::Record> wild_records{{++seq, nlohmann::json::parse(core::canonical_json(k.wild_clock))}};
  server::IngestSummary summary;
  (void)server::ingest_records(*rig.store, server::merge_catalogs(rig.store->catalogs()).catalog, wild, wild_records, summary);
  REQUIRE(summary.accepted == 1);
  return k;
}

// --- CSV -------------------------------------------------------------------------------

void csv_for_french_excel(ApiRig& rig, const Known& k) {
  const std::string text = export_text(*rig.store, csv(server::ExportTable::opinions));
  REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);  // the BOM: Excel then reads UTF-8
  const auto rows = read_csv(text.substr(3), ';');
  REQUIRE(rows.size() == 1 + 1 + k.formulas.size() + 1);  // header, the opinion, formulas, the wild clock
  const auto& header = rows[0];
  CHECK(header[0] == "Identifiant");
  CHECK(header[1] == "Date");
  // A column per question, headed by its French label, in the consultation's order.
  const std::size_t frequence = column(header, "À quelle fréquence passez-vous sur la place ?");
  const std::size_t usages = column(header, "Qu’y faites-vous ? (plusieurs réponses possibles)");
  const std::size_t comment = column(header, "Un dernier mot pour l’équipe du projet ?");
  CHECK(frequence < usages);
  CHECK(header.size() == 6 + 10);
  const auto& o = row_of(rows, k.opinion.id.str());
  CHECK(o[1] == "21/11/2026 00:30");  // the town's time, not UTC's
  CHECK(o[column(header, "Consultation")] == "Réaménagement de la place Jean-Jaurès");
  CHECK(o[column(header, "Canal")] == "Marché");
  CHECK(o[column(header, "Appareil")] == "Tablette 1");
  CHECK(o[frequence] == "Chaque semaine");
  CHECK(o[usages] == "Le marché du samedi | Terrasses et cafés");
  CHECK(o[column(header, "Faut-il planter davantage d’arbres ?")] == "Oui");
  CHECK(o[column(header, "Aujourd’hui, la place vous plaît-elle ?")] == "4");
  CHECK(o[column(header, "Dans quel quartier habitez-vous ?")] == "Quartier de la Gare");
  CHECK(o[column(header, "Votre tranche d’âge")] == "18 – 29 ans");
  CHECK(o[comment] == "Plus d’ombre ; l’été \"SVP\"\nmerci");  // quoted: ";", quotes and a line break survive
  CHECK(o[column(header, "Pourquoi pas ?")].empty());        // not asked: empty
  // Formulas neutralised: the text kept, a "'" before it.
  CHECK(row_of(rows, k.formulas[0].id.str())[comment] == "'=HYPERLINK(\"http://x\";\"clic\")");
  CHECK(row_of(rows, k.formulas[1].id.str())[comment] == "'+33 6 12 34 56 78");
  CHECK(row_of(rows, k.formulas[2].id.str())[comment] == "'-2+3");
  CHECK(row_of(rows, k.formulas[3].id.str())[comment] == "'@SUM(A1)");
  CHECK(row_of(rows, k.formulas[4].id.str())[comment] == "'\tTab");
  // Braces, brackets, quotes and backslashes inside a text do not confuse reading the body out of the record.
  CHECK(row_of(rows, k.formulas[5].id.str())[comment] == "'=1;2 {\"a\": [\"}\\\\\"]}");
  CHECK(server::csv_cell("\rCR") == "\"'\rCR\"");
  CHECK(server::csv_cell("a=b") == "a=b");
  // One line writer for every CSV: the open data's ',' is quoted like French Excel's ';'.
  std::string line;
  server::append_csv_line(line, {"=1+1", "a,b", "a;b"}, ',');
  CHECK(line == "'=1+1,\"a,b\",a;b\r\n");
  // The wild clock's date is in a negative year, written day first: never a cell that starts with "-".
  const auto& wild = row_of(rows, k.wild_clock.id.str());
  CHECK(wild[1].find("/-") != std::string::npos);
  no_formula(rows);

  // Ids instead of labels, on request.
  auto with_ids = csv(server::ExportTable::opinions);
  with_ids.ids = true;
  const auto id_rows = read_csv(export_text(*rig.store, with_ids).substr(3), ';');
  const auto& ids = row_of(id_rows, k.opinion.id.str());
  CHECK(ids[column(id_rows[0], "frequence")] == "chaque-semaine");
  CHECK(ids[column(id_rows[0], "usages")] == "marche,terrasse");
  CHECK(ids[column(id_rows[0], "arbres")] == "true");
  CHECK(ids[column(id_rows[0], "channel")] == "market");
  CHECK(ids[column(id_rows[0], "device")] == rig.device.str());
  no_formula(id_rows);
}

void csv_ideas_and_signins(ApiRig& rig, const Known& k, const std::string& office_secret) {
  // Without personal data: no contact column at all.
  auto anonymous = csv(server::ExportTable::ideas);
  anonymous.personal_data = false;
  const std::string none = export_text(*rig.store, anonymous);
  const auto rows = read_csv(none.substr(3), ';');
  REQUIRE(rows.size() == 2);
  CHECK(std::find(rows[0].begin(), rows[0].end(), "Contact") == rows[0].end());
  CHECK(none.find("marie") == std::string::npos);
  const auto& idea = rows[1];
  CHECK(idea[column(rows[0], "Titre")] == "'=HYPERLINK(\"http://x\")");
  CHECK(idea[column(rows[0], "Description")] == "Une description, avec \"guillemets\"\net une ligne");
  CHECK(idea[column(rows[0], "Thème")] == "Nature en ville");
  CHECK(idea[column(rows[0], "Quartier")] == "Quartier de la Gare");
  CHECK(idea[column(rows[0], "Coût estimé (€)")] == "1500");
  CHECK(idea[column(rows[0], "Date")] == "22/11/2026 14:05");
  no_formula(rows);
  // With personal data: sealed, unless an admin opens it with the office key.
  const auto sealed = read_csv(export_text(*rig.store, csv(server::ExportTable::ideas)).substr(3), ';');
  CHECK(sealed[1][column(sealed[0], "Contact")] == "scellé");
  auto opened_options = csv(server::ExportTable::ideas);
  opened_options.open_contacts_with = {office_secret};
  const auto opened = read_csv(export_text(*rig.store, opened_options).substr(3), ';');
  CHECK(opened[1][column(opened[0], "Contact (ouvert)")] == "marie@example.org");
  opened_options.open_contacts_with = {"not a key"};
  CHECK_THROWS_AS(export_text(*rig.store, opened_options), std::invalid_argument);

  const auto signins = read_csv(export_text(*rig.store, csv(server::ExportTable::signins)).substr(3), ';');
  REQUIRE(signins.size() == 2);
  const auto& s = signins[1];
  CHECK(s[column(signins[0], "Assemblée")] == "Conseil de quartier Centre-ville");
  CHECK(s[column(signins[0], "Pass")] == "K7QM2XPA9D");
  CHECK(s[column(signins[0], "Quartier")] == "Centre-ville");
  CHECK(s[column(signins[0], "Tranche d’âge")] == "60 – 74 ans");
  CHECK(s[column(signins[0], "Accepte d’être invité·e")] == "Oui");
  CHECK(s[column(signins[0], "Canal")] == "Assemblée de quartier");
  (void)k;
}

// --- Decidim ---------------------------------------------------------------------------

void decidim_proposals(ApiRig& rig, const Known& k) {
  server::ExportOptions o;
  o.format = server::ExportFormat::decidim;
  o.decidim_scopes = {{"gare", "12"}};
  o.decidim_categories = {{"nature", "7"}};
  const std::string text = export_text(*rig.store, o);
  CHECK(text.rfind("title/fr;", 0) == 0);  // no BOM: Decidim's reader would keep it in "title/fr"
  const auto rows = read_csv(text, ';');
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"title/fr", "body/fr", "scope/id", "category/id", "taxonomies/ids", "address", "latitude",
                                            "longitude"});
  const auto& p = rows[1];
  CHECK(p[0] == "'=HYPERLINK(\"http://x\")");
  CHECK(p[1].rfind("Une description, avec \"guillemets\"\net une ligne\n\nQuartier : Quartier de la Gare · Thème : Nature en ville", 0) == 0);
  CHECK(p[1].find("Coût estimé : 1500 €") != std::string::npos);
  CHECK(p[1].find("Réf. Aller-vers " + k.idea.id.str()) != std::string::npos);
  CHECK(p[1].find("marie") == std::string::npos);  // never the contact
  CHECK(p[2] == "12");
  CHECK(p[3] == "7");
  CHECK(p[4] == "7");
  CHECK(p[5] == "Square Victor-Hugo");
  CHECK(p[6].empty());
  no_formula(rows);
}

// --- JSON Lines ------------------------------------------------------------------------

void json_lines(ApiRig& rig, const Known& k) {
  const std::string all = export_text(*rig.store, {});
  CHECK(all.find("\"sealed\"") != std::string::npos);  // the sealed contact, as sealed
  std::istringstream lines(all);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    CHECK(j.contains("captured_at_corrected"));
    CHECK(j.contains("received_at"));
    CHECK(j["capture"]["device"] == rig.device.str());
    ++n;
  }
  CHECK(n == static_cast<int>(3 + k.formulas.size() + 1));
  server::ExportOptions anonymous;
  anonymous.personal_data = false;
  const std::string none = export_text(*rig.store, anonymous);
  CHECK(none.find("sealed") == std::string::npos);
  CHECK(none.find("contact") == std::string::npos);
}

// --- XLSX ------------------------------------------------------------------------------

// openpyxl (python3-openpyxl) reads the workbook back and says what Excel would show.
constexpr const char* kReadXlsx = R"(
import json, sys, datetime, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in book.worksheets:
    rows = [[c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value for c in row] for row in ws.iter_rows()]
    types = [[type(c.value).__name__ for c in row] for row in ws.iter_rows()]
    formats = [ws.cell(r, 2).number_format for r in range(1, ws.max_row + 1)]
    out.append({"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows,
                "types": types, "formats": formats, "bold": bool(ws.cell(1, 1).font.b)})
print(json.dumps(out))
)";

nlohmann::json read_xlsx(const std::filesystem::path& file) {
  test::TempDir dir;
  test::write_file(dir / "read.py", kReadXlsx);
  const auto r = test::run({"/usr/bin/python3", (dir / "read.py").string(), file.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

void xlsx_workbook(ApiRig& rig, const Known& k) {
  test::TempDir dir;
  server::ExportOptions o;
  o.format = server::ExportFormat::xlsx;
  o.personal_data = false;
  o.work_dir = dir.path();
  server::Export exported(*rig.store, o);
  CHECK(std::string(exported.content_type()) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  CHECK(exported.file_name() == "allervers.xlsx");
  std::string bytes;
  while (exported.next(bytes, 4096)) {
  }
  CHECK(exported.rows() == static_cast<std::int64_t>(3 + k.formulas.size() + 1));
  CHECK(bytes.rfind("PK", 0) == 0);  // a zip
  // The work file is gone from the folder as soon as it is read out.
  CHECK(std::filesystem::is_empty(dir.path()));
  test::write_file(dir / "out.xlsx", bytes);
  const auto book = read_xlsx(dir / "out.xlsx");
  REQUIRE(book.size() == 3);
  CHECK(book[0]["name"] == "Réaménagement de la place Jean-");  // 31 characters, Excel's most
  CHECK(book[1]["name"] == "Idées");
  CHECK(book[2]["name"] == "Émargements");
  for (const auto& sheet : book) {
    INFO(sheet["name"]);
    CHECK(sheet["freeze"] == "A2");  // the header stays in view
    CHECK(sheet["bold"] == true);
    const auto rows = sheet["rows"].size();
    const auto columns = sheet["rows"][0].size();
    CHECK(sheet["filter"] == std::string("A1:") + static_cast<char>('A' + columns - 1) + std::to_string(rows));
    // Real Excel dates, shown as the French read them (but the wild clock's: text).
    for (std::size_t r = 1; r < rows; ++r)
      if (sheet["rows"][r][0] != k.wild_clock.id.str()) {
        CHECK(sheet["types"][r][1] == "datetime");
        CHECK(sheet["formats"][r] == "dd/mm/yyyy hh:mm");
      }
  }
  const auto& opinions = book[0]["rows"];
  CHECK(opinions.size() == 1 + 1 + k.formulas.size() + 1);
  CHECK(opinions[0][0] == "Identifiant");
  bool found = false;
  for (const auto& row : opinions)
    if (row[0] == k.opinion.id.str()) {
      found = true;
      CHECK(row[1] == "2026-11-21T00:30:00");  // the town's wall-clock time
      CHECK(row[6 + 2] == 4);                  // a smiley is a number
      CHECK(row[6] == "Chaque semaine");
    } else if (row[0] == k.wild_clock.id.str()) {
      CHECK(row[1].get<std::string>().find("/-") != std::string::npos);  // no Excel date before 1900: the text
    } else if (row[0] == k.formulas[0].id.str()) {
      CHECK(row.back() == "=HYPERLINK(\"http://x\";\"clic\")");  // a string cell is never a formula: kept as typed
    }
  CHECK(found);
  const auto& ideas = book[1]["rows"];
  CHECK(ideas[0].size() == 12);  // no contact column without personal data
  CHECK(ideas[1][11] == 1500);
}

void parts_of_bounded_size(ApiRig& rig) {
  // A response body pulled as an HTTP engine pulls it: each part near the hint, the whole the
  // same as written at once.
  for (auto format : {server::ExportFormat::jsonl, server::ExportFormat::csv}) {
    server::ExportOptions o;
    o.format = format;
    const std::string whole = export_text(*rig.store, o);
    server::Export pulled(*rig.store, o);
    std::string joined, part;
    std::size_t largest = 0, parts = 0;
    bool more = true;
    while (more) {
      part.clear();
      more = pulled.next(part, 512);
      largest = std::max(largest, part.size());
      joined += part;
      ++parts;
    }
    CHECK(joined == whole);
    CHECK(parts > 2);
    CHECK(largest < 512 + 4096);  // the hint plus one row at most
    CHECK_FALSE(pulled.next(part, 512));  // done stays done
  }
}

void filtered(ApiRig& rig, const Known& k) {
  server::ExportOptions o = csv(server::ExportTable::opinions);
  o.filter.from_day = server::day_from_text("2026-11-21");
  o.filter.to_day = server::day_from_text("2026-11-21");
  const auto rows = read_csv(export_text(*rig.store, o).substr(3), ';');
  REQUIRE(rows.size() == 2);  // the opinion of 00:30 on the 21st, and only it
  CHECK(rows[1][0] == k.opinion.id.str());
  o.filter.kind = "idea";  // another kind than the table's: nothing, the header only
  CHECK(read_csv(export_text(*rig.store, o).substr(3), ';').size() == 1);
  server::Export named(*rig.store, o);
  CHECK(named.file_name() == "allervers-avis-du-2026-11-21-au-2026-11-21.csv");
}

void run_suite(const std::string& url) {
  ApiRig rig(url);
  const Known k = send_known(rig);
  const std::string secret = server::office_secret_key(*rig.store, rig.clock.now());
  SECTION("CSV for French Excel") { csv_for_french_excel(rig, k); }
  SECTION("CSV of ideas and sign-ins, personal data") { csv_ideas_and_signins(rig, k, secret); }
  SECTION("ideas as Decidim proposals") { decidim_proposals(rig, k); }
  SECTION("JSON Lines") { json_lines(rig, k); }
  SECTION("XLSX read back by openpyxl") { xlsx_workbook(rig, k); }
  SECTION("parts of bounded size") { parts_of_bounded_size(rig); }
  SECTION("a filter") { filtered(rig, k); }
}

}  // namespace

TEST_CASE("exports read back as their readers would: SQLite") {
  test::TempDir dir;
  static int n = 0;
  run_suite("sqlite:" + (dir.path() / ("export" + std::to_string(++n) + ".db")).string());
}

TEST_CASE("exports read back as their readers would: PostgreSQL") {
  static std::unique_ptr<test::PgInstance> pg;  // NOLINT: test-only, one server for every section
  static int n = 0;
  if (!pg) pg = std::make_unique<test::PgInstance>();
  run_suite(pg->create_database("export_" + std::to_string(++n)));
}

TEST_CASE("list-devices as a table names what a coordinator needs") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  REQUIRE(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}, {3, core::canonical_json(rig.opinion(3))}})).status == 200);
  rig.enrol("Borne du hall");
  REQUIRE(rig.store->revoke_device("Borne du hall", rig.clock.now().utc_ms).outcome == server::RevokeOutcome::revoked);
  const auto table = server::format_devices(rig.store->list_devices(), rig.clock.now());
  CHECK(table.find("Tablette 1") != std::string::npos);
  CHECK(table.find("REVOKED") != std::string::npos);
  CHECK(table.find("last seen") != std::string::npos);
  const auto devices = nlohmann::json::parse(server::devices_json(rig.store->list_devices()));
  REQUIRE(devices.size() == 2);
  const auto& tablet = devices[0]["name"] == "Tablette 1" ? devices[0] : devices[1];
  CHECK(tablet["gaps"] == 1);
  CHECK(tablet["records_held"] == 2);
  CHECK(tablet["pending_on_device"] == 0);
}
