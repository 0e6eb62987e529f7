// Pictures of a vote's projects, in-process on SQLite: the coordinator uploads one per project
// with the draft (a phone's photo made smaller, its EXIF and GPS position gone, kept once by
// its SHA-256); a file that is not a picture is refused in French naming its project, while the
// pictures already chosen are kept in the form shown again; a picture removed. The console
// shows them to itself; the public pages serve a picture only once its vote is published
// (immutable), and the vote's page shows each project with its picture and alt text.
#include <catch2/catch.hpp>

#include "allervers/core/media.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/media.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/console.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/public_site.hpp"
#include "allervers/web/sessions.hpp"
#include "idea_samples.hpp"
#include "pg_instance.hpp"
#include "photo_samples.hpp"
#include "test_support.hpp"
#include "web_form_support.hpp"

using namespace allervers;

namespace {

using test::kNb;
using test::kPassword;
using test::form_escape;
using test::input_value;

struct Rig {
  explicit Rig(std::string database = {}) : url(database.empty() ? "sqlite:" + (dir.path() / "media.db").string() : std::move(database)) {
    server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), clock.now());
    const auto link = server::add_user(*store, "Claire", server::Role::coordinator, {"cli", "local"}, clock.now());
    server::set_password_with_link(*store, link.token, kPassword, {"", "local"}, clock.now());
  }
  test::TempDir dir;
  std::string url;
  core::ManualClock clock{core::Instant{1'796'000'000'000, 60}};
  server::StorePool pool{[this] { return server::open_store(url); }};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  web::Console console{pool, clock, {test::assets_dir() / "web", "/usr/share/javascript", false, "https://mairie.example"}};
  web::PublicSite site{pool, clock, {test::assets_dir() / "web", false, "https://mairie.example", "#1d4f91"}};
};

server::HttpRequest request(const std::string& method, const std::string& target) {
  server::HttpRequest r;
  r.method = method;
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    const auto f = web::parse_urlencoded(target.substr(q + 1));
    for (const auto* key : {"id", "hash"})
      if (f.has(key)) r.query[key] = f.get(key);
  }
  r.client_address = "198.51.100.4";
  r.headers["host"] = "mairie.example";
  r.headers["accept-language"] = "fr-FR,fr;q=0.9";
  return r;
}

struct Coordinator {
  explicit Coordinator(Rig& r) : rig(r) {}
  Rig& rig;
  std::string cookie, csrf;
  server::HttpResponse send(server::HttpRequest r) {
    if (!cookie.empty()) r.headers["cookie"] = web::kSessionCookie + std::string("=") + cookie;
    if (r.method == "POST") {
      r.headers["origin"] = "https://mairie.example";
      r.headers["sec-fetch-site"] = "same-origin";
    }
    auto response = rig.console.handle(r);
    if (auto it = response.headers.find("Set-Cookie"); it != response.headers.end()) {
      const auto cookies = web::parse_cookies(it->second.substr(0, it->second.find(';')));
      cookie = cookies.empty() ? "" : cookies.begin()->second;
    }
    if (const auto value = input_value(response.body, "csrf"); !value.empty()) csrf = value;
    return response;
  }
  server::HttpResponse get(const std::string& target) { return send(request("GET", target)); }
  // The form as a browser sends one with files: multipart/form-data.
  server::HttpResponse post_multipart(const std::string& path, const std::map<std::string, std::string>& fields,
                                      const std::map<std::string, std::string>& files) {
    const std::string b = "----media-boundary-7Qx";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n";
    for (const auto& [k, v] : fields) body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    for (const auto& [k, v] : files)
      body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + k + "\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + v + "\r\n";
    body += "--" + b + "--\r\n";
    auto r = request("POST", path);
    r.headers["content-type"] = "multipart/form-data; boundary=" + b;
    r.body = body;
    return send(r);
  }
  server::HttpResponse post(const std::string& path, const std::string& fields) {
    auto r = request("POST", path);
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.body = "csrf=" + form_escape(csrf) + "&" + fields;
    return send(r);
  }
};

server::HttpResponse public_get(Rig& rig, const std::string& target, const std::string& if_none_match = "") {
  auto r = request("GET", target);
  if (!if_none_match.empty()) r.headers["if-none-match"] = if_none_match;
  return rig.site.handle(r);
}

bool has(const server::HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }


std::map<std::string, std::string> draft(const std::string& p0_picture = "") {
  return {{"title", "Budget des quartiers 2027"}, {"opens", "2024-01-01"}, {"closes", "2099-12-31"},
          {"rule", "approval"}, {"min_projects", "1"}, {"max_projects", "0"}, {"min_age", "0"},
          {"envelope.", "100000"}, {"projects", "2"},
          {"p0.title", "Un abri à vélos"}, {"p0.cost", "25000"}, {"p0.quartier", "gare"},
          {"p0.picture", p0_picture}, {"p0.picture_alt", "Un abri couvert pour vingt vélos devant la gare"},
          {"p1.title", "Un parc"}, {"p1.cost", "90000"}, {"p1.quartier", "centre"}, {"action", "save"}};
}

void upload_and_publish(const std::string& database) {
  Rig rig(database);
  Coordinator claire{rig};
  REQUIRE(claire.get("/office/login").status == 200);
  REQUIRE(claire.post("/office/login", "name=Claire&password=" + form_escape(kPassword)).status == 303);
  REQUIRE(claire.get("/office/vote/new").status == 200);

  // A phone's photo for the first project, a PDF for the second: the second is refused by
  // name, in French; the first is kept already and the form shown again holds it.
  const std::string photo = test::jpeg_with_gps_exif(2400, 1800);
  auto refused = claire.post_multipart("/office/vote/save", draft(), {{"p0.picture_file", photo}, {"p1.picture_file", "%PDF-1.7\n1 0 obj"}});
  CHECK(refused.status == 400);
  CHECK(has(refused, "Projet 2 («" + kNb + "Un parc" + kNb + "»)" + kNb + ": Ce fichier n’est pas une photo"));
  const std::string hash = input_value(refused.body, "p0.picture");
  REQUIRE(core::is_media_hash(hash));
  CHECK(has(refused, "src=\"/office/media?hash=" + hash + "\""));
  CHECK(rig.store->votes().empty());  // nothing saved

  // What the server kept is not what was sent: smaller, re-encoded, without EXIF or GPS.
  const auto kept = rig.store->media(hash);
  REQUIRE(kept);
  CHECK(kept->hash == crypto::sha256_hex(kept->data));
  CHECK(kept->content_type == "image/jpeg");
  CHECK(kept->width == 1600);
  CHECK(kept->data.find("GPS") == std::string::npos);
  CHECK(kept->data != photo);
  const auto own = claire.get("/office/media?hash=" + hash);
  CHECK(own.status == 200);
  CHECK(own.body == kept->data);

  // Sent again without files: saved, the project naming its picture and its alt text.
  auto saved = claire.post_multipart("/office/vote/save", draft(hash), {});
  REQUIRE(saved.status == 303);
  const auto votes = rig.store->votes();
  REQUIRE(votes.size() == 1);
  const auto& vote = votes[0].vote;
  CHECK(vote.projects[0].picture == hash);
  CHECK(vote.projects[0].picture_alt.in("fr") == "Un abri couvert pour vingt vélos devant la gare");
  CHECK(vote.projects[1].picture.empty());

  // A draft's picture is the office's own: not on the public pages.
  CHECK(public_get(rig, "/media/" + hash).status == 404);

  // A name that is not a picture held here is refused (a forged form), nothing saved.
  auto forged = draft(std::string(64, 'c'));
  forged["id"] = vote.id;
  CHECK(claire.post_multipart("/office/vote/save", forged, {}).status == 400);
  CHECK(rig.store->vote(vote.id)->vote.projects[0].picture == hash);

  // Opened: the vote is published, and its pictures with it — immutable, named by content.
  REQUIRE(claire.post("/office/vote/open", "id=" + form_escape(vote.id)).status == 303);
  const auto served = public_get(rig, "/media/" + hash);
  REQUIRE(served.status == 200);
  CHECK(served.content_type == "image/jpeg");
  CHECK(served.body == kept->data);
  CHECK(served.headers.at("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(served.headers.at("X-Content-Type-Options") == "nosniff");
  CHECK(public_get(rig, "/media/" + hash, "\"" + hash + "\"").status == 304);
  // A file held but named by nothing published stays private; a malformed name is not found.
  const auto other = server::keep_media(*rig.store, test::jpeg_with_gps_exif(300, 200), rig.clock.now().utc_ms);
  CHECK(public_get(rig, "/media/" + other.hash).status == 404);
  CHECK(public_get(rig, "/media/..%2F..%2Fetc%2Fpasswd").status == 404);

  // The vote's public page: each project, its picture with its alt text; the one without
  // picture has no image (and no empty one).
  const auto page = public_get(rig, "/votes/" + vote.id);
  REQUIRE(page.status == 200);
  CHECK(has(page, "<img src=\"/media/" + hash + "\" alt=\"Un abri couvert pour vingt vélos devant la gare\""));
  CHECK(has(page, "Un parc"));
  std::size_t images = 0;
  for (auto at = page.body.find("<img"); at != std::string::npos; at = page.body.find("<img", at + 1)) ++images;
  CHECK(images == 1);
}

}  // namespace

TEST_CASE("a project's picture: uploaded with the draft, made safe, kept once, public with its vote only (SQLite)", "[web][media]") {
  upload_and_publish("");
}

TEST_CASE("a project's picture: uploaded with the draft, made safe, kept once, public with its vote only (PostgreSQL)", "[web][media]") {
  test::PgInstance pg;
  upload_and_publish(pg.create_database("media"));
}

TEST_CASE("a project's picture removed from a draft, and one without alt text said as the project's picture", "[web][media]") {
  Rig rig;
  Coordinator claire{rig};
  REQUIRE(claire.get("/office/login").status == 200);
  REQUIRE(claire.post("/office/login", "name=Claire&password=" + form_escape(kPassword)).status == 303);
  REQUIRE(claire.get("/office/vote/new").status == 200);
  auto fields = draft();
  fields.erase("p0.picture_alt");
  REQUIRE(claire.post_multipart("/office/vote/save", fields, {{"p0.picture_file", test::jpeg_with_gps_exif(640, 480)}}).status == 303);
  const auto vote = rig.store->votes().at(0).vote;
  const std::string hash = vote.projects[0].picture;
  REQUIRE(core::is_media_hash(hash));
  CHECK(vote.projects[0].picture_alt.empty());
  REQUIRE(claire.post("/office/vote/open", "id=" + form_escape(vote.id)).status == 303);
  CHECK(has(public_get(rig, "/votes/" + vote.id), "alt=\"Image du projet «" + kNb + "Un abri à vélos" + kNb + "»\""));

  // Another draft: chosen, then removed before saving.
  REQUIRE(claire.get("/office/vote/new").status == 200);
  auto second = draft(hash);
  second["title"] = "Budget des écoles";
  second["p0.picture_remove"] = "1";
  REQUIRE(claire.post_multipart("/office/vote/save", second, {}).status == 303);
  for (const auto& r : rig.store->votes())
    if (r.vote.title.in("fr") == "Budget des écoles") CHECK(r.vote.projects[0].picture.empty());
}

TEST_CASE("a project made of an idea: its picture on the idea's public page once the vote is published", "[web][media]") {
  Rig rig;
  core::UuidGenerator ids{7};
  const std::string idea = test::idea_put_to_vote(*rig.store, ids, rig.clock.now(), "Un abri pour les vélos de la gare", "gare", 25000);
  Coordinator claire{rig};
  REQUIRE(claire.get("/office/login").status == 200);
  REQUIRE(claire.post("/office/login", "name=Claire&password=" + form_escape(kPassword)).status == 303);
  REQUIRE(claire.get("/office/vote/new").status == 200);
  // « Reprendre les idées soumises au vote »: the row knows its idea.
  auto fields = draft();
  fields["projects"] = "0";
  for (const auto* key : {"p0.title", "p0.cost", "p0.quartier", "p0.picture", "p0.picture_alt", "p1.title", "p1.cost", "p1.quartier"})
    fields.erase(key);
  fields["action"] = "from_ideas";
  const auto rows = claire.post_multipart("/office/vote/save", fields, {});
  REQUIRE(rows.status == 200);
  REQUIRE(input_value(rows.body, "p0.idea") == idea);
  fields["projects"] = "1";
  fields["action"] = "save";
  fields["p0.idea"] = idea;
  CHECK(has(rows, "value=\"Un abri pour les vélos de la gare\""));
  fields["p0.title"] = "Un abri pour les vélos de la gare";
  fields["p0.cost"] = "25000";
  fields["p0.quartier"] = "gare";
  fields["p0.picture_alt"] = "Un abri couvert devant la gare";
  const auto saved = claire.post_multipart("/office/vote/save", fields, {{"p0.picture_file", test::jpeg_with_gps_exif(800, 600)}});
  REQUIRE(saved.status == 303);
  const auto vote = rig.store->votes().at(0).vote;
  REQUIRE(vote.projects.at(0).idea == idea);
  // A draft: the idea's page shows no picture yet.
  CHECK_FALSE(has(public_get(rig, "/idees/" + idea), "project-picture"));
  REQUIRE(claire.post("/office/vote/open", "id=" + form_escape(vote.id)).status == 303);
  const auto page = public_get(rig, "/idees/" + idea);
  REQUIRE(page.status == 200);
  CHECK(has(page, "src=\"/media/" + vote.projects[0].picture + "\" alt=\"Un abri couvert devant la gare\""));
  CHECK(has(page, "href=\"/votes/" + vote.id + "\""));
  // A forged idea id in the form is refused, naming the project.
  REQUIRE(claire.get("/office/vote/new").status == 200);
  fields["p0.idea"] = "01890a5d-ac96-774b-bcce-b302099a8057";
  fields["title"] = "Un autre vote";
  fields["p0.picture"] = vote.projects[0].picture;
  const auto forged = claire.post_multipart("/office/vote/save", fields, {});
  CHECK(forged.status == 400);
  CHECK(has(forged, "l’idée dont il vient n’est plus sur le serveur"));
}
