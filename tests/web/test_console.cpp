// The office console in-process: a browser-like client with a cookie jar against
// Console::handle over a real SQLite store and a manual clock. Logins and their throttle,
// set-password links, roles (403 and nothing changed), CSRF refusals, session expiry, logout,
// the audit log and its CSV, English on request, hostile names shown as text.
#include <catch2/catch.hpp>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/sessions.hpp"
#include "console_fixture.hpp"
#include "test_support.hpp"

using namespace allervers;

namespace {

using test::kPassword;
using test::form_escape;
using test::input_value;

const core::Instant kStart{1'790'000'000'000, 60};

struct Rig {
  test::TempDir dir;
  std::string url = "sqlite:" + (dir.path() / "console.db").string();
  core::ManualClock clock{kStart};
  server::StorePool pool{[this] { return server::open_store(url); }};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  web::Console console{pool, clock, {test::assets_dir() / "web", "/usr/share/javascript", false, "https://mairie.example"}};

  // An account with its password set, through the link as a person would.
  void account(const std::string& name, server::Role role) {
    const auto link = server::add_user(*store, name, role, {"cli", "local"}, clock.now());
    server::set_password_with_link(*store, link.token, kPassword, {"", "local"}, clock.now());
  }
};

// The console's own browser (console_fixture.hpp), on this file's rig.
struct Browser : test::ConsoleBrowser {
  explicit Browser(Rig& r) : ConsoleBrowser(r.console) {}
};

}  // namespace

TEST_CASE("console: a person sets a password from the link, logs in, sees home, logs out") {
  Rig rig;
  const auto link = server::add_user(*rig.store, "Marie", server::Role::admin, {"cli", "local"}, rig.clock.now());
  Browser b{rig};
  auto r = b.send("GET", "/office/");
  CHECK(r.status == 303);
  CHECK(r.headers.at("Location") == "/office/login?expired=1");

  r = b.send("GET", "/office/set-password?token=" + link.token);
  CHECK(r.status == 200);
  CHECK(r.body.find("<html lang=\"fr\" dir=\"ltr\">") != std::string::npos);
  CHECK(input_value(r.body, "token") == link.token);
  r = b.send("POST", "/office/set-password", "token=" + link.token + "&password=" + form_escape(kPassword) + "&confirm=autre");
  CHECK(r.status == 400);
  CHECK(r.body.find("Les deux mots de passe diffèrent.") != std::string::npos);
  r = b.send("POST", "/office/set-password", "token=" + link.token + "&password=court&confirm=court");
  CHECK(r.status == 400);
  CHECK(r.body.find("au moins 12 caractères") != std::string::npos);
  r = b.send("POST", "/office/set-password", "token=" + link.token + "&password=" + form_escape(kPassword) + "&confirm=" + form_escape(kPassword));
  CHECK(r.status == 303);
  // Once only.
  r = b.send("GET", "/office/set-password?token=" + link.token);
  CHECK(r.status == 404);
  CHECK(r.body.find("déjà utilisé ou expiré") != std::string::npos);

  r = b.login("Marie", "pas le bon mot de passe");
  CHECK(r.status == 401);
  CHECK(r.body.find("Nom ou mot de passe incorrect.") != std::string::npos);
  CHECK(b.cookie.empty());
  r = b.login("Marie");
  CHECK(r.status == 303);
  CHECK(r.headers.at("Set-Cookie").find("HttpOnly; SameSite=Strict") != std::string::npos);
  REQUIRE_FALSE(b.cookie.empty());
  r = b.send("GET", "/office/");
  CHECK(r.status == 200);
  CHECK(r.headers.at("Cache-Control") == "no-store");
  CHECK(r.headers.at("Content-Security-Policy").find("unsafe-inline") == std::string::npos);
  CHECK(r.body.find("Connecté : Marie (administrateur)") != std::string::npos);
  CHECK(r.body.find("href=\"/office/users\"") != std::string::npos);
  CHECK_FALSE(b.csrf.empty());

  r = b.send("POST", "/office/logout", "csrf=" + b.csrf);
  CHECK(r.status == 303);
  CHECK(r.headers.at("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(b.cookie.empty());
  r = b.send("GET", "/office/");
  CHECK(r.status == 303);

  std::vector<std::string> actions;
  for (const auto& e : rig.store->audit_entries({}, 100)) actions.insert(actions.begin(), e.action);
  CHECK(actions == std::vector<std::string>{"user.add", "user.set_password", "login.failed", "login", "logout"});
}

TEST_CASE("console: what a role may not do is refused (403) and changes nothing") {
  Rig rig;
  rig.account("Lecteur", server::Role::viewer);
  rig.account("Coordinatrice", server::Role::coordinator);
  for (const char* name : {"Lecteur", "Coordinatrice"}) {
    INFO(name);
    Browser b{rig};
    REQUIRE(b.login(name).status == 303);
    auto r = b.send("GET", "/office/");
    CHECK(r.status == 200);
    CHECK(r.body.find("href=\"/office/users\"") == std::string::npos);  // not in its navigation
    CHECK(r.body.find("href=\"/office/audit\"") == std::string::npos);
    for (const char* page : {"/office/users", "/office/audit", "/office/audit.csv"}) {
      r = b.send("GET", page);
      CHECK(r.status == 403);
      CHECK(r.body.find("Votre rôle ne permet pas cette action. Rien n’a été modifié.") != std::string::npos);
    }
    r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=Intrus&role=admin");
    CHECK(r.status == 403);
    CHECK_FALSE(rig.store->user_by_name("Intrus"));
  }
  auto f = server::AuditFilter{};
  f.action = "access.refused";
  CHECK(rig.store->audit_entries(f, 100).size() == 8);
}

TEST_CASE("console: a change without the session's CSRF token, or from another site, is refused") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  b.send("GET", "/office/users");
  REQUIRE_FALSE(b.csrf.empty());

  auto r = b.send("POST", "/office/users/add", "name=Sans+jeton&role=viewer");
  CHECK(r.status == 403);
  CHECK(r.body.find("Ce formulaire a expiré ou ne vient pas de cette console. Rien n’a été modifié") != std::string::npos);
  r = b.send("POST", "/office/users/add", "csrf=faux&name=Faux+jeton&role=viewer");
  CHECK(r.status == 403);
  r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=Autre+site&role=viewer", {{"origin", "https://evil.example"}});
  CHECK(r.status == 403);
  r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=Autre+site&role=viewer", {{"sec-fetch-site", "cross-site"}});
  CHECK(r.status == 403);
  // A login posted from another site is refused too (login CSRF).
  Browser other{rig};
  CHECK(other.send("POST", "/office/login", "name=Admin&password=" + form_escape(kPassword), {{"origin", "https://evil.example"}}).status == 403);
  CHECK(rig.store->users().size() == 1);

  // The token in the header (fetch()) is as good as the form field.
  r = b.send("POST", "/office/users/add", "name=Par+en-t%C3%AAte&role=viewer", {{"x-csrf-token", b.csrf}});
  CHECK(r.status == 200);
  CHECK(rig.store->user_by_name("Par en-tête"));
  auto f = server::AuditFilter{};
  f.action = "csrf.refused";
  CHECK(rig.store->audit_entries(f, 100).size() == 4);
}

TEST_CASE("console: admins add accounts (one-time link shown) and disable them after a confirmation") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  b.send("GET", "/office/users");
  auto r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=" + form_escape("<script>alert(1)</script>") + "&role=coordinator");
  CHECK(r.status == 200);
  CHECK(r.body.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(r.body.find("https://mairie.example/office/set-password?token=") != std::string::npos);
  r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=Admin&role=viewer");
  CHECK(r.status == 400);
  CHECK(r.body.find("Un compte porte déjà ce nom.") != std::string::npos);
  r = b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=X&role=root");
  CHECK(r.status == 400);
  CHECK_FALSE(rig.store->user_by_name("X"));

  const std::string hostile = form_escape("<script>alert(1)</script>");
  r = b.send("POST", "/office/users/disable", "csrf=" + b.csrf + "&name=" + hostile);
  CHECK(r.status == 200);  // the confirmation step
  CHECK(rig.store->user_by_name("<script>alert(1)</script>")->active());
  CHECK(input_value(r.body, "confirmed") == "yes");
  r = b.send("POST", "/office/users/disable", "csrf=" + b.csrf + "&name=" + hostile + "&confirmed=yes");
  CHECK(r.status == 200);
  CHECK_FALSE(rig.store->user_by_name("<script>alert(1)</script>")->active());
  r = b.send("POST", "/office/users/disable", "csrf=" + b.csrf + "&name=Personne&confirmed=yes");
  CHECK(r.status == 400);
  CHECK(r.body.find("Aucun compte actif ne porte ce nom.") != std::string::npos);
}

TEST_CASE("console: sessions end after idle time and after a working day whatever happens") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  rig.clock.advance_ms(web::kSessionIdleMs - 1000);
  CHECK(b.send("GET", "/office/").status == 200);
  rig.clock.advance_ms(web::kSessionIdleMs + 1);
  auto r = b.send("GET", "/office/");
  CHECK(r.status == 303);
  CHECK(r.headers.at("Location") == "/office/login?expired=1");
  r = b.send("GET", "/office/login?expired=1");
  CHECK(r.body.find("Votre session a expiré. Reconnectez-vous.") != std::string::npos);
  // An expired session's form changes nothing.
  CHECK(b.send("POST", "/office/users/add", "csrf=" + b.csrf + "&name=Tard&role=viewer").status == 303);
  CHECK_FALSE(rig.store->user_by_name("Tard"));

  REQUIRE(b.login("Admin").status == 303);
  for (std::int64_t t = 0; t < web::kSessionMaxMs - web::kSessionIdleMs; t += web::kSessionIdleMs / 2) {
    rig.clock.advance_ms(web::kSessionIdleMs / 2);
    REQUIRE(b.send("GET", "/office/").status == 200);
  }
  rig.clock.advance_ms(web::kSessionIdleMs);
  CHECK(b.send("GET", "/office/").status == 303);
}

TEST_CASE("console: logins are throttled per account and per address, in the database") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  Browser b{rig};
  for (int i = 0; i < web::kFreeLoginFailures + 1; ++i) CHECK(b.login("Admin", "mauvais mot de passe").status == 401);
  // Now even the right password waits.
  auto r = b.login("Admin");
  CHECK(r.status == 429);
  CHECK(r.headers.at("Retry-After") == "1");
  CHECK(r.body.find("Trop d’essais. Réessayez dans 1 s.") != std::string::npos);
  // Another address guessing the same account waits too (per account) …
  Browser elsewhere{rig};
  elsewhere.client = "203.0.113.9";
  CHECK(elsewhere.login("Admin").status == 429);
  // … and this address guessing another account too (per address).
  rig.account("Autre", server::Role::viewer);
  CHECK(b.login("Autre").status == 429);
  // A second console process over the same database agrees.
  web::Console second{rig.pool, rig.clock, {test::assets_dir() / "web", "/usr/share/javascript", false, ""}};
  server::HttpRequest direct;
  direct.method = "POST";
  direct.path = "/office/login";
  direct.client_address = "198.51.100.4";
  direct.headers["content-type"] = "application/x-www-form-urlencoded";
  direct.body = "name=Admin&password=" + form_escape(kPassword);
  CHECK(second.handle(direct).status == 429);

  rig.clock.advance_ms(web::kFirstLoginDelayMs);
  CHECK(b.login("Admin", "encore faux").status == 401);
  r = b.login("Admin");
  CHECK(r.status == 429);
  CHECK(r.headers.at("Retry-After") == "2");  // the delay doubled
  rig.clock.advance_ms(2 * web::kFirstLoginDelayMs);
  CHECK(b.login("Admin").status == 303);
  // Failures long ago are forgotten: this address starts again with its free failures.
  rig.clock.advance_ms(web::kLoginFailureMemoryMs + 1);
  for (int i = 0; i < web::kFreeLoginFailures; ++i) CHECK(b.login("Autre", "faux").status == 401);
  CHECK(b.login("Autre").status == 303);
}

TEST_CASE("console: the audit log, filtered, and its CSV export (audited, formulas neutralised)") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  server::add_user(*rig.store, "=HYPERLINK(\"x\")", server::Role::viewer, {"cli", "local"}, rig.clock.now());
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  auto r = b.send("GET", "/office/audit?action=user.");
  CHECK(r.status == 200);
  CHECK(r.body.find("<code>user.add</code>") != std::string::npos);
  CHECK(r.body.find("<code>login</code>") == std::string::npos);
  CHECK(r.body.find("href=\"/office/audit.csv?actor=&amp;action=user.\"") != std::string::npos);
  r = b.send("GET", "/office/audit.csv?action=user.add");
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/csv; charset=utf-8");
  CHECK(r.body.rfind("\xEF\xBB\xBFid;at_town_time;", 0) == 0);
  CHECK(r.body.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);
  CHECK(r.body.find(";login;") == std::string::npos);
  auto f = server::AuditFilter{};
  f.action = "audit.export";
  CHECK(rig.store->audit_entries(f, 10).size() == 1);
}

TEST_CASE("console: English when the browser prefers it, unknown pages and methods answered") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  Browser b{rig};
  b.language = "en-GB,en;q=0.9,fr;q=0.5";
  auto r = b.send("GET", "/office/login");
  CHECK(r.body.find("<html lang=\"en\" dir=\"ltr\">") != std::string::npos);
  CHECK(r.body.find("Account name") != std::string::npos);
  r = b.send("GET", "/office/nowhere");
  CHECK(r.status == 404);
  CHECK(r.headers.count("Content-Security-Policy"));
  CHECK(b.send("DELETE", "/office/login").status == 405);
  // A form too large for the login is refused with a sentence, not a crash.
  r = b.send("POST", "/office/login", "name=" + std::string(5000, 'a') + "&password=x");
  CHECK(r.status == 400);
  CHECK(r.body.find("too long or malformed") != std::string::npos);
}

TEST_CASE("console: admins make enrolment codes with their QR code, others may not") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  rig.account("Coordinatrice", server::Role::coordinator);
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  auto r = b.send("GET", "/office/devices");
  CHECK(r.status == 200);
  CHECK(r.body.find("Aucun appareil inscrit") != std::string::npos);
  r = b.send("POST", "/office/devices/enrol", "csrf=" + b.csrf + "&name=");
  CHECK(r.status == 400);
  r = b.send("POST", "/office/devices/enrol", "csrf=" + b.csrf + "&name=Tablette+9");
  CHECK(r.status == 200);
  const auto at = r.body.find("src=\"/office/devices/enrol-qr.svg?code=");
  REQUIRE(at != std::string::npos);
  const auto start = r.body.find('"', at) + 1;
  const std::string qr = r.body.substr(start, r.body.find('"', start) - start);
  r = b.send("GET", qr);
  CHECK(r.status == 200);
  CHECK(r.content_type == "image/svg+xml");
  CHECK(r.body.rfind("<svg xmlns=", 0) == 0);
  CHECK(r.body.find("<script") == std::string::npos);
  auto f = server::AuditFilter{};
  f.action = "device.";
  CHECK(rig.store->audit_entries(f, 10).size() == 1);
  r = b.send("POST", "/office/devices/revoke", "csrf=" + b.csrf + "&device=nope&confirmed=yes");
  CHECK(r.status == 400);

  Browser c{rig};
  REQUIRE(c.login("Coordinatrice").status == 303);
  CHECK(c.send("GET", "/office/devices").status == 403);
  CHECK(c.send("GET", qr).status == 403);
  CHECK(c.send("POST", "/office/devices/enrol", "csrf=" + c.csrf + "&name=Intruse").status == 403);
  CHECK(rig.store->audit_entries(f, 10).size() == 1);
}

TEST_CASE("console: admins make machine clients' tokens (shown once) and revoke them after a confirmation") {
  Rig rig;
  rig.account("Admin", server::Role::admin);
  rig.account("Coordinatrice", server::Role::coordinator);
  Browser b{rig};
  REQUIRE(b.login("Admin").status == 303);
  auto r = b.send("GET", "/office/tokens");
  CHECK(r.status == 200);
  CHECK(r.body.find("Aucun jeton") != std::string::npos);
  CHECK(b.send("POST", "/office/tokens/add", "csrf=" + b.csrf + "&name=").status == 400);
  r = b.send("POST", "/office/tokens/add", "csrf=" + b.csrf + "&name=" + form_escape("Écran <mairie>"));
  CHECK(r.status == 200);
  const auto at = r.body.find("id=\"new-token\">");
  REQUIRE(at != std::string::npos);
  const auto start = at + 15;
  const std::string token = r.body.substr(start, r.body.find('<', start) - start);
  CHECK(token.size() >= 32);
  CHECK(r.body.find("Écran &lt;mairie&gt;") != std::string::npos);
  const auto held = rig.store->office_by_token(server::hash_secret(token));
  REQUIRE(held);
  CHECK(held->scope == server::kAttendanceScope);
  CHECK(b.send("GET", "/office/tokens").body.find(token) == std::string::npos);  // shown once

  const std::string id = held->token_hash.substr(0, 16);
  r = b.send("POST", "/office/tokens/revoke", "csrf=" + b.csrf + "&token=" + id);
  CHECK(r.status == 200);  // the confirmation step
  CHECK(rig.store->office_by_token(server::hash_secret(token)));
  Browser c{rig};
  REQUIRE(c.login("Coordinatrice").status == 303);
  CHECK(c.send("GET", "/office/tokens").status == 403);
  CHECK(c.send("POST", "/office/tokens/revoke", "csrf=" + c.csrf + "&token=" + id + "&confirmed=yes").status == 403);
  CHECK(rig.store->office_by_token(server::hash_secret(token)));
  r = b.send("POST", "/office/tokens/revoke", "csrf=" + b.csrf + "&token=" + id + "&confirmed=yes");
  CHECK(r.status == 200);
  CHECK_FALSE(rig.store->office_by_token(server::hash_secret(token)));
  CHECK(b.send("POST", "/office/tokens/revoke", "csrf=" + b.csrf + "&token=" + id + "&confirmed=yes").status == 400);
  auto f = server::AuditFilter{};
  f.action = "token.";
  CHECK(rig.store->audit_entries(f, 10).size() == 2);
}

// --- ideas under review ----------------------------------------------------------------------

namespace {

// Ideas stored as ingest stores them (their review rows made in the same transaction).
std::vector<std::string> store_ideas(Rig& rig, const std::vector<std::pair<std::string, std::string>>& titles_and_quartiers) {
  core::UuidGenerator ids(11);
  const core::Uuid device = ids.next(kStart.utc_ms);
  server::IngestBatch batch;
  batch.envelope = {device.str(), "b1", kStart.utc_ms, 0, 0, true};
  std::vector<std::string> out;
  std::int64_t seq = 0;
  for (const auto& [title, quartier] : titles_and_quartiers) {
    core::Capture c;
    c.id = ids.next(kStart.utc_ms);
    c.device = device;
    c.consultation = "budget-participatif-2027";
    c.version = 1;
    c.captured_at = kStart;
    core::Idea idea;
    idea.title = title;
    idea.description = "Une description.\nSur deux lignes.";
    idea.theme = "cadre-de-vie";
    idea.neighbourhood = quartier;
    c.body = idea;
    server::CaptureRow row;
    row.id = c.id.str();
    row.device = device.str();
    row.seq = ++seq;
    row.kind = "idea";
    row.consultation = c.consultation;
    row.version = 1;
    row.channel = "market";
    row.language = "fr";
    row.captured_ms = row.corrected_ms = row.received_ms = kStart.utc_ms;
    row.batch = "b1";
    row.body = core::canonical_json(c);
    batch.captures.push_back(row);
    out.push_back(row.id);
  }
  rig.store->ingest(batch);
  return out;
}

std::string csrf_form(Browser& b, const std::string& rest) { return "csrf=" + form_escape(b.csrf) + "&" + rest; }

}  // namespace

TEST_CASE("console: a coordinator reviews ideas step by step; a skipped state is refused in French and changes nothing") {
  Rig rig;
  server::publish_catalog(*rig.store, test::read_file(test::assets_dir() / "demo/catalog.json"), rig.clock.now());
  rig.account("Claire", server::Role::coordinator);
  const auto ids = store_ideas(rig, {{"Des bancs <script>alert(1)</script>", "centre"}, {"Plus de bancs place du marché", "centre"}, {"Un abri à vélos", "gare"}});
  Browser b{rig};
  REQUIRE(b.login("Claire").status == 303);
  auto r = b.send("GET", "/office/ideas");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("href=\"/office/ideas\"") != std::string::npos);  // in the navigation
  CHECK(r.body.find("&lt;script&gt;") != std::string::npos);           // hostile titles as text
  CHECK(r.body.find("<script>alert") == std::string::npos);
  CHECK(r.body.find(core::receipt_code(*core::Uuid::parse(ids[2]))) != std::string::npos);
  CHECK(r.body.find("3 idées affichées sur 3") != std::string::npos);
  r = b.send("GET", "/office/ideas?quartier=gare");
  CHECK(r.body.find("1 idées affichées sur 1") != std::string::npos);

  r = b.send("GET", "/office/idea?id=" + ids[2]);
  REQUIRE(r.status == 200);
  CHECK(r.body.find("Un abri à vélos") != std::string::npos);
  CHECK(r.body.find("Quartier de la Gare") != std::string::npos);  // the catalog's words, not the id "gare"
  // Skipping "recevable" and "en étude": refused with the sentence, nothing written.
  const auto audit_before = rig.store->audit_entries({}, 1000).size();
  r = b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[2] + "&to=faisable&public_answer=Oui"));
  CHECK(r.status == 400);
  CHECK(r.body.find("ne peut pas devenir directement « faisable » : elle doit d’abord être « recevable » puis « en étude »") !=
        std::string::npos);
  CHECK(r.body.find(">Oui</textarea>") != std::string::npos);  // what was typed stays
  CHECK(rig.store->idea(ids[2])->state == core::IdeaState::recue);
  CHECK(rig.store->audit_entries({}, 1000).size() == audit_before);
  // Without the CSRF token: refused.
  CHECK(b.send("POST", "/office/idea/review", "id=" + ids[2] + "&to=recevable").status == 403);
  // The way, one step at a time.
  r = b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[2] + "&to=recevable"));
  CHECK(r.status == 303);
  r = b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[2] + "&to=en_etude&cost=12%20000"));
  CHECK(r.status == 400);
  CHECK(r.body.find("Indiquez le service ou l’évaluateur") != std::string::npos);
  r = b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[2] + "&to=en_etude&assignee=Voirie&cost=12%20000&notes=" + form_escape("À voir avec la gare")));
  CHECK(r.status == 303);
  r = b.send("GET", "/office/idea?id=" + ids[2] + "&done=1");
  CHECK(r.body.find("Modification enregistrée") != std::string::npos);
  CHECK(r.body.find("12\u202f000\u00a0€") != std::string::npos);
  CHECK(r.body.find("À voir avec la gare") != std::string::npos);
  // Non recevable for the first, with a reason from the town's list.
  CHECK(b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[0] + "&to=non_recevable&reason=inconnu")).status == 400);
  CHECK(b.send("POST", "/office/idea/review", csrf_form(b, "id=" + ids[0] + "&to=non_recevable&reason=imprecise")).status == 303);
  // Merging the second into the third by its receipt code.
  r = b.send("POST", "/office/idea/merge", csrf_form(b, "id=" + ids[1] + "&into=" + form_escape("zzzz-zzzz")));
  CHECK(r.status == 400);
  CHECK(r.body.find("Aucune idée n’a le code ZZZZ-ZZZZ") != std::string::npos);
  const std::string kept_code = core::receipt_code(*core::Uuid::parse(ids[2]));
  CHECK(b.send("POST", "/office/idea/merge", csrf_form(b, "id=" + ids[1] + "&into=" + form_escape(kept_code))).status == 303);
  CHECK(rig.store->idea(ids[1])->merged_into == ids[2]);
  r = b.send("GET", "/office/idea?id=" + ids[1]);
  CHECK(r.body.find("Fusionnée avec l’idée " + kept_code) != std::string::npos);
  CHECK(r.body.find("action=\"/office/idea/review\"") == std::string::npos);  // a merged idea is not reviewed
  server::AuditFilter f;
  f.action = "idea.";
  CHECK(rig.store->audit_entries(f, 100).size() == 4);
}

TEST_CASE("console: a valuator sees and answers only the ideas assigned to it; a viewer sees none") {
  Rig rig;
  rig.account("Voirie", server::Role::valuator);
  rig.account("Lecteur", server::Role::viewer);
  const auto ids = store_ideas(rig, {{"Un passage piéton", "centre"}, {"Une fontaine", "gare"}});
  const server::Reviewer coordinator{{"Claire", "local"}, server::Reach::all};
  for (const auto& id : ids) server::review_idea(*rig.store, id, [] { core::ReviewChange c; c.to = core::IdeaState::recevable; return c; }(), coordinator, kStart);
  core::ReviewChange study;
  study.to = core::IdeaState::en_etude;
  study.assignee = "Voirie";
  server::review_idea(*rig.store, ids[0], study, coordinator, kStart);
  study.assignee = "Espaces verts";
  server::review_idea(*rig.store, ids[1], study, coordinator, kStart);

  Browser v{rig};
  REQUIRE(v.login("Voirie").status == 303);
  auto r = v.send("GET", "/office/ideas");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("Un passage piéton") != std::string::npos);
  CHECK(r.body.find("Une fontaine") == std::string::npos);
  CHECK(r.body.find("/office/captures") == std::string::npos);  // nothing else of the console
  CHECK(v.send("GET", "/office/captures").status == 403);
  CHECK(v.send("GET", "/office/idea?id=" + ids[1]).status == 404);  // out of reach reads as unknown
  r = v.send("GET", "/office/idea?id=" + ids[0]);
  REQUIRE(r.status == 200);
  CHECK(r.body.find("action=\"/office/idea/merge\"") == std::string::npos);
  CHECK(v.send("POST", "/office/idea/review", csrf_form(v, "id=" + ids[1] + "&to=faisable&public_answer=Oui")).status == 404);
  CHECK(v.send("POST", "/office/idea/merge", csrf_form(v, "id=" + ids[0] + "&into=" + core::receipt_code(*core::Uuid::parse(ids[1])))).status == 400);
  r = v.send("POST", "/office/idea/review", csrf_form(v, "id=" + ids[0] + "&to=faisable"));
  CHECK(r.status == 400);
  CHECK(r.body.find("L’explication publique (montrée aux habitants) est obligatoire.") != std::string::npos);
  CHECK(v.send("POST", "/office/idea/review", csrf_form(v, "id=" + ids[0] + "&to=faisable&public_answer=" + form_escape("Réalisable en 2027."))).status == 303);
  CHECK(rig.store->idea(ids[0])->state == core::IdeaState::faisable);
  CHECK(rig.store->idea(ids[1])->state == core::IdeaState::en_etude);

  Browser viewer{rig};
  REQUIRE(viewer.login("Lecteur").status == 303);
  CHECK(viewer.send("GET", "/office/ideas").status == 403);
  CHECK(viewer.send("GET", "/office/idea?id=" + ids[0]).status == 403);
}
