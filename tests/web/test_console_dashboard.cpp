// The console's dashboard and assemblies areas in-process, over captures sent through the real API
// (tests/server/office_fixture.hpp): the numbers on the page and in dashboard.json equal the
// test's own count of what was sent, under each filter; results per question; free-text
// answers searched and shown as text; exports streamed with the filter and audited; who may
// not (a viewer's export, a coordinator's contacts: 403 and audited); assemblies created and
// published into the catalog, their attendance live, passes printed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/office/population.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/sessions.hpp"
#include "office_fixture.hpp"
#include "web_form_support.hpp"

using namespace allervers;
using nlohmann::json;

namespace {

using test::kPassword;

struct DashboardRig {
  test::TempDir dir;
  test::ApiRig api{"sqlite:" + (dir.path() / "console.db").string()};
  server::StorePool pool{[this] { return server::open_store(api.url); }};
  web::Console console{pool, api.clock, {test::assets_dir() / "web", "/usr/share/javascript", false, "https://mairie.example"}};
  test::OfficeData data = test::send_varied_captures(api, 240);

  // A logged-in client for an account of `role`.
  struct Client {
    DashboardRig& rig;
    std::string cookie;

    server::HttpResponse get(const std::string& path, const std::map<std::string, std::string>& query = {}) {
      server::HttpRequest r;
      r.method = "GET";
      r.path = path;
      r.query = query;
      r.client_address = "198.51.100.7";
      r.headers["host"] = "mairie.example";
      r.headers["accept-language"] = "fr-FR,fr";
      r.headers["cookie"] = web::kSessionCookie + std::string("=") + cookie;
      return rig.console.handle(r);
    }

    // A form sent from a page of the console (its CSRF token read from `page`).
    server::HttpResponse post(const std::string& path, const std::string& page, const std::string& form) {
      const auto at = page.find("name=\"csrf\" value=\"");
      REQUIRE(at != std::string::npos);
      const auto start = at + 19;
      server::HttpRequest r;
      r.method = "POST";
      r.path = path;
      r.client_address = "198.51.100.7";
      r.headers["host"] = "mairie.example";
      r.headers["origin"] = "https://mairie.example";
      r.headers["content-type"] = "application/x-www-form-urlencoded";
      r.headers["cookie"] = web::kSessionCookie + std::string("=") + cookie;
      r.body = "csrf=" + page.substr(start, page.find('"', start) - start) + "&" + form;
      return rig.console.handle(r);
    }
  };

  Client client(const std::string& name, server::Role role) {
    const auto link = server::add_user(*api.store, name, role, {"cli", "local"}, api.clock.now());
    server::set_password_with_link(*api.store, link.token, kPassword, {"", "local"}, api.clock.now());
    server::HttpRequest r;
    r.method = "POST";
    r.path = "/office/login";
    r.client_address = "198.51.100.7";
    r.headers["host"] = "mairie.example";
    r.headers["origin"] = "https://mairie.example";
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.body = "name=" + name + "&password=une+phrase+assez+longue";
    const auto answer = console.handle(r);
    REQUIRE(answer.status == 303);
    const auto cookies = web::parse_cookies(answer.headers.at("Set-Cookie").substr(0, answer.headers.at("Set-Cookie").find(';')));
    return {*this, cookies.begin()->second};
  }

  std::int64_t sent(const std::map<std::string, std::string>& filter) {
    const auto f = server::parse_filter(filter);
    std::int64_t n = 0;
    for (const auto& s : data.sent) n += test::keeps(f, s) ? 1 : 0;
    return n;
  }

  std::vector<server::AuditEntry> audit(const std::string& action) {
    server::AuditFilter f;
    f.action = action;
    return api.store->audit_entries(f, 100);
  }
};

std::int64_t sum(const json& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.at("n").get<std::int64_t>();
  return n;
}

std::int64_t count_lines(const std::string& text) {
  std::int64_t n = 0;
  for (std::size_t at = 0; (at = text.find("\r\n", at)) != std::string::npos; at += 2) ++n;
  return n;
}

}  // namespace

TEST_CASE("dashboard: a viewer sees the numbers the devices sent, per filter, and no text or contact in the JSON") {
  DashboardRig rig;
  auto viewer = rig.client("Elu", server::Role::viewer);

  const auto page = viewer.get("/office/dashboard");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("id=\"dashboard-total\">" + std::to_string(rig.data.sent.size()) + "<") != std::string::npos);
  CHECK(page.body.find("<script src=\"/static/vendor/chart.js/chart.min.js\"></script>") != std::string::npos);
  CHECK(page.body.find("data-source=\"/office/dashboard.json\"") != std::string::npos);
  CHECK(page.body.find("Tablette 2") != std::string::npos);  // per device (agent)
  CHECK(page.body.find("/office/export") == std::string::npos);  // a viewer exports nothing

  for (const std::map<std::string, std::string>& filter :
       {std::map<std::string, std::string>{}, {{"channel", "market"}}, {{"consultation", "place-jean-jaures"}, {"quartier", "gare"}},
        {{"from", rig.data.sent.front().day}, {"to", rig.data.sent.front().day}}}) {
    const auto r = viewer.get("/office/dashboard.json", filter);
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/json");
    const json j = json::parse(r.body);
    const auto expected = rig.sent(filter);
    CHECK(j.at("total") == expected);
    for (const char* dimension : {"by_day", "by_consultation", "by_neighbourhood", "by_channel", "by_device"})
      CHECK(sum(j.at(dimension)) == expected);
    CHECK(j.at("updated").get<std::string>().rfind("Mis à jour à ", 0) == 0);
  }
  const json all = json::parse(viewer.get("/office/dashboard.json").body);
  for (const auto& c : test::kComments) CHECK(all.dump().find(c.text) == std::string::npos);
  CHECK(all.dump().find("marie.dupont") == std::string::npos);

  // The page with a filter keeps it in its form, its JSON link and its export links.
  const auto filtered = viewer.get("/office/dashboard", {{"channel", "market"}});
  CHECK(filtered.body.find("data-source=\"/office/dashboard.json?channel=market\"") != std::string::npos);
  CHECK(filtered.body.find("<option value=\"market\" selected>") != std::string::npos);

  // A filter that is not one: a French sentence, no numbers.
  const auto bad = viewer.get("/office/dashboard", {{"from", "2026-13-45"}});
  CHECK(bad.status == 400);
  CHECK(bad.body.find("n’est pas une date") != std::string::npos);
  CHECK(viewer.get("/office/dashboard.json", {{"from", "2026-12-01"}, {"to", "2026-11-01"}}).status == 400);
}

TEST_CASE("dashboard: a session is needed, the JSON included") {
  DashboardRig rig;
  DashboardRig::Client nobody{rig, "not-a-session"};
  for (const char* path : {"/office/dashboard", "/office/dashboard.json", "/office/results", "/office/answers", "/office/export"}) {
    const auto r = nobody.get(path);
    CHECK(r.status == 303);
    CHECK(r.headers.at("Location") == "/office/login?expired=1");
  }
}

TEST_CASE("dashboard: results per question, and free-text answers searched a page at a time, shown as text") {
  DashboardRig rig;
  // One more comment, hostile, from the rig's own device.
  const auto hostile = rig.api.opinion(1, "<script>alert('x')</script> près de l'école");
  REQUIRE(rig.api.send_batch(rig.api.batch({{100000, core::canonical_json(hostile)}})).status == 200);
  auto viewer = rig.client("Elu", server::Role::viewer);

  const auto results = viewer.get("/office/results", {{"consultation", "place-jean-jaures"}});
  REQUIRE(results.status == 200);
  std::int64_t opinions = 1 + rig.sent({{"consultation", "place-jean-jaures"}});
  CHECK(results.body.find(std::to_string(opinions) + " avis avec ces filtres") != std::string::npos);
  CHECK(results.body.find("moyenne ") != std::string::npos);  // scales
  CHECK(results.body.find("lire et rechercher les réponses") != std::string::npos);
  CHECK(viewer.get("/office/results", {{"consultation", "nulle-part"}}).status == 404);

  std::int64_t mentions = 1;  // the hostile one
  for (const auto& s : rig.data.sent) mentions += s.mentions_ecole ? 1 : 0;
  const auto found = viewer.get("/office/answers", {{"consultation", "place-jean-jaures"}, {"question", "commentaire"}, {"search", "ECOLE"}});
  REQUIRE(found.status == 200);
  CHECK(found.body.find(std::to_string(mentions) + " réponses contiennent « ECOLE »") != std::string::npos);
  CHECK(found.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(found.body.find("<script>alert") == std::string::npos);

  // A page at a time: every comment, 50 a page.
  std::int64_t comments = 1;
  for (const auto& s : rig.data.sent) comments += s.comment.empty() ? 0 : 1;
  const auto first = viewer.get("/office/answers", {{"consultation", "place-jean-jaures"}, {"question", "commentaire"}});
  CHECK(first.body.find(std::to_string(comments) + " réponses") != std::string::npos);
  if (comments > 50) {
    CHECK(first.body.find("Page 1 sur " + std::to_string((comments + 49) / 50)) != std::string::npos);
    CHECK(first.body.find("page=2") != std::string::npos);
  }
  CHECK(viewer.get("/office/answers", {{"consultation", "place-jean-jaures"}, {"question", "satisfaction"}}).status == 404);
}

TEST_CASE("dashboard: exports stream with the filter and are audited; contacts only for an admin") {
  DashboardRig rig;
  auto coordinator = rig.client("Coordinatrice", server::Role::coordinator);
  auto viewer = rig.client("Elu", server::Role::viewer);
  auto admin = rig.client("Admin", server::Role::admin);

  const auto csv = coordinator.get("/office/export", {{"format", "csv"}, {"table", "opinions"}, {"channel", "market"}});
  REQUIRE(csv.status == 200);
  CHECK(static_cast<bool>(csv.stream));  // streamed, not built whole
  CHECK(csv.body.empty());
  CHECK(csv.headers.at("Content-Disposition").find("attachment;") == 0);
  const std::string body = server::collect_body(csv);
  CHECK(body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(body.find(';') != std::string::npos);
  CHECK(count_lines(body) == 1 + rig.sent({{"channel", "market"}, {"kind", "opinion"}}));
  CHECK(body.find("marie.dupont") == std::string::npos);

  auto exports = rig.audit("export");
  REQUIRE(exports.size() == 1);
  CHECK(exports[0].actor == "Coordinatrice");
  CHECK(exports[0].client == "198.51.100.7");
  CHECK(exports[0].target == "csv");
  CHECK(exports[0].detail.find("table=opinions") != std::string::npos);
  CHECK(exports[0].detail.find("channel=market") != std::string::npos);
  CHECK(exports[0].detail.find("contacts=none") != std::string::npos);

  for (const char* format : {"xlsx", "jsonl", "decidim"}) {
    const auto r = coordinator.get("/office/export", {{"format", format}});
    REQUIRE(r.status == 200);
    CHECK(!server::collect_body(r).empty());
  }
  CHECK(rig.audit("export").size() == 4);
  CHECK(coordinator.get("/office/export", {{"format", "pdf"}}).status == 400);

  // A viewer exports nothing; a coordinator opens no contact: refused and audited.
  CHECK(viewer.get("/office/export", {{"format", "csv"}}).status == 403);
  CHECK(coordinator.get("/office/export", {{"format", "jsonl"}, {"contacts", "open"}}).status == 403);
  CHECK(rig.audit("access.refused").size() == 2);
  CHECK(rig.audit("export").size() == 4);

  // An admin opens them: the file holds them in clear, the audit log says so.
  const auto opened = admin.get("/office/export", {{"format", "jsonl"}, {"contacts", "open"}});
  REQUIRE(opened.status == 200);
  CHECK(server::collect_body(opened).find("marie.dupont@example.org") != std::string::npos);
  const auto opening = rig.audit("contacts.open");
  REQUIRE(opening.size() == 1);
  CHECK(opening[0].actor == "Admin");
  CHECK(opening[0].detail.find("contacts=opened") != std::string::npos);
}

TEST_CASE("assemblies: created and published into the catalog, attendance in people, passes printed; bad input changes nothing") {
  DashboardRig rig;
  auto coordinator = rig.client("Coordinatrice", server::Role::coordinator);
  auto viewer = rig.client("Elu", server::Role::viewer);

  // Attendance as the store counts it (people, not scans), on the page and in its JSON.
  const auto rows = rig.api.store->attendance(std::nullopt);
  REQUIRE(!rows.empty());
  const auto page = viewer.get("/office/assemblies");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("<script src=\"/static/app/assemblies.js\"></script>") != std::string::npos);
  CHECK(page.body.find("/office/assemblies/create") == std::string::npos);  // a viewer follows, creates nothing
  const json live = json::parse(viewer.get("/office/assemblies.json").body);
  for (const auto& a : rows) {
    CHECK(live.at("attendance").at(a.assembly).at("people") == a.people);
    CHECK(page.body.find("data-assembly=\"" + a.assembly + "\"") != std::string::npos);
  }
  CHECK(live.dump().find("PASS") == std::string::npos);  // no pass, no one named

  const std::string before = server::merge_catalogs(rig.api.store->catalogs()).json;
  auto form = coordinator.get("/office/assemblies").body;
  for (const auto& [body, why] : std::vector<std::pair<std::string, std::string>>{
           {"name=&date=2026-12-03T18%3A30&place=Salle&quartier=gare", "assemblies.error.name"},
           {"name=Conseil&date=2026-13-03T18%3A30&place=Salle&quartier=gare", "date"},
           {"name=Conseil&date=2026-12-03T25%3A30&place=Salle&quartier=gare", "date"},
           {"name=Conseil&date=2026-12-03T18%3A30&place=&quartier=gare", "place"},
           {"name=Conseil&date=2026-12-03T18%3A30&place=Salle&quartier=atlantide", "quartier"},
           {"name=Conseil&date=2026-12-03T18%3A30&place=Salle&quartier=hors-commune", "quartier"}}) {
    const auto r = coordinator.post("/office/assemblies/create", form, body);
    CHECK(r.status == 400);
    CHECK(r.body.find("alert-danger") != std::string::npos);
  }
  CHECK(server::merge_catalogs(rig.api.store->catalogs()).json == before);
  CHECK(viewer.post("/office/assemblies/create", viewer.get("/office/assemblies").body,
                    "name=Conseil&date=2026-12-03T18%3A30&place=Salle&quartier=gare").status == 403);

  const auto made = coordinator.post("/office/assemblies/create", form,
                                     "name=Conseil+de+quartier+%3Cb%3EGare%3C%2Fb%3E&date=2026-12-03T18%3A30&place=Salle+Jean-Moulin&quartier=gare");
  REQUIRE(made.status == 200);
  CHECK(made.body.find("Conseil de quartier &lt;b&gt;Gare&lt;/b&gt;") != std::string::npos);
  CHECK(made.body.find("03/12/2026 18:30") != std::string::npos);
  const auto catalog = server::merge_catalogs(rig.api.store->catalogs()).catalog;
  const auto* published = catalog.find_assembly("conseil-de-quartier-b-gare-b-2026-12-03");
  REQUIRE(published != nullptr);
  CHECK(published->neighbourhood == "gare");
  CHECK(published->place == "Salle Jean-Moulin");
  CHECK(catalog.assemblies.size() == 3);  // the demo's two kept
  CHECK(catalog.consultations.size() == test::demo_catalog().consultations.size());
  // Devices get it at their next sync: the API's catalog holds it.
  server::HttpRequest get;
  get.method = "GET";
  get.path = "/api/v1/catalog";
  get.headers["authorization"] = "Bearer " + rig.api.token;
  const auto served = rig.api.api.handle(get);
  CHECK(served.body.find("conseil-de-quartier-b-gare-b-2026-12-03") != std::string::npos);
  server::AuditFilter f;
  f.action = "assembly.publish";
  const auto audited = rig.api.store->audit_entries(f, 10);
  REQUIRE(audited.size() == 1);
  CHECK(audited[0].actor == "Coordinatrice");

  // The same name and day again: another id.
  CHECK(coordinator.post("/office/assemblies/create", form,
                         "name=Conseil+de+quartier+%3Cb%3EGare%3C%2Fb%3E&date=2026-12-03T18%3A30&place=Salle&quartier=")
            .status == 200);
  CHECK(server::merge_catalogs(rig.api.store->catalogs()).catalog.find_assembly("conseil-de-quartier-b-gare-b-2026-12-03-2"));

  if (server::can_print_passes()) {
    const auto pdf = coordinator.post("/office/assemblies/passes", form, "count=3");
    REQUIRE(pdf.status == 200);
    CHECK(pdf.content_type == "application/pdf");
    CHECK(pdf.body.rfind("%PDF", 0) == 0);
    f.action = "passes.print";
    CHECK(rig.api.store->audit_entries(f, 10).size() == 1);
    CHECK(coordinator.post("/office/assemblies/passes", form, "count=0").status == 400);
    CHECK(coordinator.post("/office/assemblies/passes", form, "count=100000").status == 400);
  }
}

TEST_CASE("contributions show question labels and option labels; devices show the app version each device said") {
  DashboardRig rig;
  auto admin = rig.client("Admin", server::Role::admin);
  const auto page = admin.get("/office/captures");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("<dt class=\"col-sm-3\">Aujourd’hui, la place vous plaît-elle ?</dt>") != std::string::npos);
  CHECK(page.body.find("answers.satisfaction") == std::string::npos);
  CHECK(page.body.find(" / 5</dd>") != std::string::npos);
  CHECK(page.body.find("Réaménagement de la place Jean-Jaurès") != std::string::npos);
  CHECK(page.body.find("marie.dupont") == std::string::npos);

  // The device says its version with a request; an older one says nothing; a hostile one is ignored.
  auto catalog_request = [&](const std::string& version) {
    server::HttpRequest r;
    r.method = "GET";
    r.path = "/api/v1/catalog";
    r.headers["authorization"] = "Bearer " + rig.api.token;
    if (!version.empty()) r.headers["allervers-app-version"] = version;
    return rig.api.api.handle(r).status;
  };
  auto version_of = [&](const std::string& name) {
    for (const auto& d : rig.api.store->list_devices())
      if (d.name == name) return d.app_version;
    return std::string("?");
  };
  CHECK(version_of("Tablette 1").empty());
  CHECK(admin.get("/office/devices").body.find("<td>—</td>") != std::string::npos);
  CHECK(catalog_request("0.3.1") == 200);
  CHECK(version_of("Tablette 1") == "0.3.1");
  CHECK(catalog_request("<b>9</b>") == 200);
  CHECK(catalog_request("") == 200);
  CHECK(version_of("Tablette 1") == "0.3.1");
  CHECK(version_of("Tablette 2").empty());
  CHECK(admin.get("/office/devices").body.find("<td>0.3.1</td>") != std::string::npos);
}

namespace {
std::string multipart(const std::string& csrf_page, const std::string& filename, const std::string& content, std::string& type) {
  const auto at = csrf_page.find("name=\"csrf\" value=\"");
  const auto start = at + 19;
  const std::string csrf = csrf_page.substr(start, csrf_page.find('"', start) - start);
  type = "multipart/form-data; boundary=XyZ";
  return "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
         "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n--XyZ--\r\n";
}
}  // namespace

TEST_CASE("who we reach: a population CSV uploaded, refused whole with lines and columns named, or imported and weighed") {
  DashboardRig rig;
  auto coordinator = rig.client("Coordinatrice", server::Role::coordinator);
  auto viewer = rig.client("Elu", server::Role::viewer);
  auto upload = [&](DashboardRig::Client& who, const std::string& csv) {
    std::string type;
    const std::string page = who.get("/office/population").body;
    server::HttpRequest r;
    r.method = "POST";
    r.path = "/office/population/import";
    r.client_address = "198.51.100.7";
    r.headers["host"] = "mairie.example";
    r.headers["origin"] = "https://mairie.example";
    r.headers["cookie"] = web::kSessionCookie + std::string("=") + who.cookie;
    r.body = multipart(page.find("name=\"csrf\"") == std::string::npos ? coordinator.get("/office/population").body : page, "insee.csv", csv, type);
    r.headers["content-type"] = type;
    return rig.console.handle(r);
  };

  auto page = coordinator.get("/office/population");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("pas encore été importée") != std::string::npos);
  CHECK(page.body.find("/office/population/import") != std::string::npos);
  CHECK(viewer.get("/office/population").body.find("/office/population/import") == std::string::npos);

  const auto bad = upload(coordinator, "quartier;tranche_age;habitants\r\ncentre;18-29;120\r\ngare;18-29;douze\r\nnulle-part;30-44;5\r\n");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("Ligne 3, colonne 3 (habitants)") != std::string::npos);
  CHECK(bad.body.find("Ligne 4, colonne 1 (quartier)") != std::string::npos);
  CHECK(!rig.api.store->population_import());

  std::string csv = "quartier;tranche_age;habitants\n";
  for (const char* q : {"centre", "gare", "bois-joli", "pres-fleuris", "bords-de-loire"})
    for (const char* a : {"moins-18", "18-29", "30-44", "45-59", "60-74", "75-plus"})
      csv += std::string(q) + ";" + a + ";" + (std::string(a) == "75-plus" ? "4000" : "300") + "\n";
  CHECK(upload(viewer, csv).status == 403);
  const auto good = upload(coordinator, csv);
  REQUIRE(good.status == 200);
  CHECK(good.body.find("Population importée : 27500 habitants.") != std::string::npos);
  const auto catalog = server::merge_catalogs(rig.api.store->catalogs()).catalog;
  const auto weighed = server::participation(*rig.api.store, catalog, {});
  REQUIRE(weighed.enough);
  REQUIRE(!weighed.under_represented.empty());  // 75 and over: a third of the town
  CHECK(good.body.find(weighed.under_represented.front().label) != std::string::npos);
  CHECK(good.body.find("Groupes sous-représentés : ") != std::string::npos);
  server::AuditFilter f;
  f.action = "population.import";
  const auto audited = rig.api.store->audit_entries(f, 10);
  REQUIRE(audited.size() == 1);
  CHECK(audited[0].detail == "groups=30 people=27500");
  // A viewer reads it, filtered like the dashboard.
  CHECK(viewer.get("/office/population", {{"channel", "market"}}).status == 200);
  CHECK(viewer.get("/office/population", {{"from", "hier"}}).status == 400);
}
