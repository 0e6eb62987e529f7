// The residents' public pages in-process: a phone-like client with a cookie jar against
// PublicSite::handle over a real SQLite store, the demo catalog and a manual clock. Answering
// the demo survey question by question (show_if, back, required), the capture stored as the
// devices' are (channel web, the public pseudo-device) and counted by the dashboard; replayed,
// altered and expired forms; the per-address limit and the burst flag; ideas with bad fields
// and bad photos (nothing half-saved); hostile text shown as text; assembly links; open data.
#include <catch2/catch.hpp>

#include <regex>

#include "allervers/server/admin.hpp"
#include "allervers/server/http.hpp"
#include "allervers/server/office/dashboard.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/photo.hpp"
#include "allervers/web/public_site.hpp"
#include "allervers/web/public_tokens.hpp"
#include "photo_samples.hpp"
#include "test_support.hpp"
#include "web_form_support.hpp"

using namespace allervers;

namespace {

using test::form_escape;
using test::input_value;

// 2026-11-30 00:53 UTC, in the demo consultations' open weeks; the town at UTC+1.
const core::Instant kStart{1'796'000'000'000, 60};

struct Rig {
  test::TempDir dir;
  std::string url = "sqlite:" + (dir.path() / "public.db").string();
  core::ManualClock clock{kStart};
  server::StorePool pool{[this] { return server::open_store(url); }};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  web::PublicSite site{pool, clock, {test::assets_dir() / "web", false, "https://mairie.example", "#1d4f91"}};

  Rig() { server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), clock.now()); }

  std::int64_t web_captures() {
    std::int64_t n = 0;
    store->for_each_capture([&](const server::CaptureRow& c) { n += c.channel == "web" ? 1 : 0; });
    return n;
  }
};

struct Phone {
  explicit Phone(Rig& r, std::string address = "203.0.113.9") : rig(r), client(std::move(address)) {}
  Rig& rig;
  std::string client;
  std::string language = "fr-FR,fr;q=0.9";
  std::map<std::string, std::string> cookies;

  server::HttpResponse send(const std::string& method, const std::string& target, const std::string& body = "",
                            const std::string& content_type = "application/x-www-form-urlencoded") {
    server::HttpRequest r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      const auto f = web::parse_urlencoded(target.substr(q + 1));
      for (const auto& key : {"lang"})
        if (f.has(key)) r.query[key] = f.get(key);
    }
    r.client_address = client;
    r.headers["host"] = "mairie.example";
    r.headers["accept-language"] = language;
    std::string jar;
    for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (!jar.empty()) r.headers["cookie"] = jar;
    if (method == "POST") {
      r.headers["content-type"] = content_type;
      r.headers["origin"] = "https://mairie.example";
      r.body = body;
    }
    auto response = rig.site.handle(r);
    if (auto it = response.headers.find("Set-Cookie"); it != response.headers.end()) {
      const auto& v = it->second;
      const auto eq = v.find('='), semi = v.find(';');
      cookies[v.substr(0, eq)] = v.substr(eq + 1, semi - eq - 1);
    }
    return response;
  }

  // Posts the survey page `html` with `answer` values ("" sends none) and `action`.
  server::HttpResponse step(const std::string& html, const std::vector<std::string>& answers, const std::string& action = "next") {
    std::string body = "state=" + form_escape(input_value(html, "state")) + "&action=" + action;
    for (const auto& a : answers) body += "&answer=" + form_escape(a);
    return send("POST", "/c/place-jean-jaures/repondre", body);
  }
};

std::string legend(const std::string& html) {
  std::smatch m;
  if (std::regex_search(html, m, std::regex("<(legend|label) class=\"(h5|form-label h5)\"[^>]*>([^<]*)"))) return m[3];
  return {};
}

// Answers the demo survey to its end; returns the last response.
server::HttpResponse answer_survey(Phone& phone, bool more_trees = true, const std::string& comment = "Plus de bancs, merci") {
  auto page = phone.send("GET", "/c/place-jean-jaures");
  REQUIRE(page.status == 200);
  auto r = phone.step(page.body, {}, "start");
  REQUIRE(legend(r.body).find("fréquence") != std::string::npos);
  r = phone.step(r.body, {"chaque-semaine"});
  r = phone.step(r.body, {"marche", "enfants"});
  r = phone.step(r.body, {"4"});
  r = phone.step(r.body, {more_trees ? "true" : "false"});
  if (!more_trees) r = phone.step(r.body, {"Assez d'ombre déjà"});
  r = phone.step(r.body, {"ombre", "bancs"});
  r = phone.step(r.body, {"3"});
  r = phone.step(r.body, {"gare"});
  r = phone.step(r.body, {"30-44"});
  return phone.step(r.body, {comment});
}

std::string multipart(const std::map<std::string, std::string>& fields, const std::string& photo, const std::string& boundary = "XyZb0und") {
  std::string body;
  for (const auto& [k, v] : fields) body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"" + (photo.empty() ? "" : "photo.jpg") +
          "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + photo + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

server::HttpResponse post_idea(Phone& phone, std::map<std::string, std::string> fields, const std::string& photo = "") {
  const auto form = phone.send("GET", "/c/budget-participatif-2027/idee");
  REQUIRE(form.status == 200);
  fields["state"] = input_value(form.body, "state");
  return phone.send("POST", "/c/budget-participatif-2027/idee", multipart(fields, photo), "multipart/form-data; boundary=XyZb0und");
}

const std::map<std::string, std::string> kGoodIdea = {{"title", "Un jardin partagé"},
                                                      {"description", "Des bacs potagers derrière l'école des Prés-Fleuris."},
                                                      {"theme", "nature"},
                                                      {"neighbourhood", "pres-fleuris"},
                                                      {"place", ""},
                                                      {"cost", "12 000"}};

}  // namespace

TEST_CASE("the home page lists the open consultations, in French, English or Arabic (right to left)", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto r = phone.send("GET", "/");
  CHECK(r.status == 200);
  CHECK(r.body.find("<html lang=\"fr\" dir=\"ltr\">") != std::string::npos);
  CHECK(r.body.find("Réaménagement de la place Jean-Jaurès") != std::string::npos);
  CHECK(r.body.find("href=\"/c/budget-participatif-2027/idee\"") != std::string::npos);
  CHECK(r.body.find("Ouverte jusqu’au 31 janvier 2027") != std::string::npos);  // the day in words, not 2027-01-31
  CHECK(r.headers["Content-Security-Policy"].find("script-src 'self'") != std::string::npos);
  r = phone.send("GET", "/?lang=ar");
  CHECK(r.body.find("<html lang=\"ar\" dir=\"rtl\">") != std::string::npos);
  CHECK(r.body.find("أبدي رأيي") != std::string::npos);
  CHECK(r.body.find("مفتوحة حتى 31 يناير 2027") != std::string::npos);
  CHECK(r.body.find("2027-01-31") == std::string::npos);
  // The choice is kept for the next page.
  r = phone.send("GET", "/c/place-jean-jaures");
  CHECK(r.body.find("dir=\"rtl\"") != std::string::npos);
  Phone english(rig);
  english.language = "en-GB,en;q=0.8";
  const auto english_home = english.send("GET", "/").body;
  CHECK(english_home.find("Redesigning Jean-Jaurès square") != std::string::npos);
  CHECK(english_home.find("Open until January 31, 2027") != std::string::npos);
  CHECK(phone.send("GET", "/nowhere").status == 404);
  CHECK(phone.send("GET", "/c/closed-or-unknown").status == 404);
}

TEST_CASE("a survey answered on a phone is a capture of channel web, counted by the dashboard", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto r = answer_survey(phone, /*more_trees=*/false);
  REQUIRE(r.status == 303);
  CHECK(r.headers["Location"] == "/c/place-jean-jaures/merci");
  CHECK(phone.cookies.count("av_done_place-jean-jaures") == 1);
  CHECK(phone.send("GET", "/c/place-jean-jaures/merci").body.find("Merci pour votre avis") != std::string::npos);

  std::vector<server::CaptureRow> rows;
  rig.store->for_each_capture([&](const server::CaptureRow& c) { rows.push_back(c); });
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].channel == "web");
  CHECK(rows[0].device == web::kWebDevice);
  CHECK(rows[0].kind == "opinion");
  CHECK(rows[0].neighbourhood == "gare");
  CHECK(rows[0].body.find("\"arbres-pourquoi\":\"Assez d'ombre déjà\"") != std::string::npos);

  const auto catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const auto counts = server::capture_counts(*rig.store, catalog, {});
  CHECK(counts.total == 1);
  REQUIRE(counts.by_channel.size() == 1);
  CHECK(counts.by_channel[0].key == "web");
  CHECK(counts.by_channel[0].label == "Site public");
  REQUIRE(counts.by_device.size() == 1);
  CHECK(counts.by_device[0].label == "Site public (web)");

  // The same browser is told it answered already (and may still answer for someone else).
  CHECK(phone.send("GET", "/c/place-jean-jaures").body.find("déjà répondu depuis ce navigateur") != std::string::npos);
}

TEST_CASE("answering: show_if skips a question, back returns, a required question left empty is asked again", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto r = phone.step(phone.send("GET", "/c/place-jean-jaures").body, {}, "start");
  CHECK(r.body.find("Question 1 sur 10") != std::string::npos);
  auto again = phone.step(r.body, {});
  CHECK(again.status == 400);
  CHECK(again.body.find("Cette question demande une réponse.") != std::string::npos);
  CHECK(legend(again.body) == legend(r.body));
  r = phone.step(again.body, {"not-an-option"});
  CHECK(r.status == 400);
  CHECK(r.body.find("Choisissez une des réponses proposées.") != std::string::npos);
  r = phone.step(r.body, {"parfois"});
  r = phone.step(r.body, {});  // usages is optional
  r = phone.step(r.body, {"9"});
  CHECK(r.status == 400);  // a smiley is 1 to 5: core's rule
  r = phone.step(r.body, {"2"});
  r = phone.step(r.body, {"true"});
  // "arbres-pourquoi" is shown only for "no": the next question is the priorities.
  CHECK(r.body.find("Question 6 sur 10") != std::string::npos);
  r = phone.step(r.body, {}, "back");
  CHECK(r.body.find("Question 4 sur 10") != std::string::npos);
  CHECK(r.body.find("value=\"true\" checked") != std::string::npos);  // the answer given is kept
  CHECK(rig.web_captures() == 0);
}

TEST_CASE("a form sent twice, altered or too old stores nothing more", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto page = phone.send("GET", "/c/place-jean-jaures");
  auto r = phone.step(page.body, {}, "start");
  for (const char* a : {"parfois"}) r = phone.step(r.body, {a});
  const std::string mid_page = r.body;

  // Altered: one character of the signed state changed.
  std::string state = input_value(mid_page, "state");
  state[5] = state[5] == 'A' ? 'B' : 'A';
  auto bad = phone.send("POST", "/c/place-jean-jaures/repondre", "action=next&answer=marche&state=" + form_escape(state));
  CHECK(bad.status == 400);
  CHECK(bad.body.find("n’est pas valable") != std::string::npos);

  // Replayed: the finished survey's last page sent again.
  Phone other(rig, "198.51.100.20");
  auto last = other.send("GET", "/c/place-jean-jaures");
  last = other.step(last.body, {}, "start");
  for (const auto& a : std::vector<std::vector<std::string>>{{"parfois"}, {}, {"3"}, {"true"}, {"bancs"}, {"2"}, {}, {}})
    last = other.step(last.body, a);
  const std::string final_page = last.body;
  CHECK(other.step(final_page, {}).status == 303);
  CHECK(rig.web_captures() == 1);
  auto replay = other.step(final_page, {});
  CHECK(replay.status == 409);
  CHECK(replay.body.find("déjà été envoyé") != std::string::npos);
  CHECK(rig.web_captures() == 1);

  // Too old: three hours and a minute later.
  rig.clock.advance_ms(181LL * 60 * 1000);
  auto old = phone.step(mid_page, {"marche"});
  CHECK(old.status == 400);
  CHECK(old.body.find("a expiré") != std::string::npos);
  CHECK(rig.web_captures() == 1);
}

TEST_CASE("submissions are limited per address, bursts are flagged and still counted", "[web][public]") {
  Rig rig;
  Phone phone(rig, "192.0.2.77");
  for (int i = 0; i < 6; ++i) {
    REQUIRE(post_idea(phone, kGoodIdea).status == 303);
    rig.clock.advance_ms(20 * 1000);
  }
  CHECK(rig.web_captures() == 6);
  // The 6th within ten minutes is flagged, for the coordinator to look at: kept and counted.
  CHECK(rig.store->flagged_count() == 1);
  const auto flags = rig.store->capture_flags(10);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].reason == "burst_address");

  for (int i = 6; i < web::public_limits::per_address; ++i) REQUIRE(post_idea(phone, kGoodIdea).status == 303);
  auto refused = post_idea(phone, kGoodIdea);
  CHECK(refused.status == 429);
  CHECK(refused.body.find("Réessayez plus tard") != std::string::npos);
  CHECK(rig.web_captures() == web::public_limits::per_address);
  // Another address is not concerned; an hour later this one may send again.
  Phone neighbour(rig, "192.0.2.78");
  CHECK(post_idea(neighbour, kGoodIdea).status == 303);
  rig.clock.advance_ms(61LL * 60 * 1000);
  CHECK(post_idea(phone, kGoodIdea).status == 303);
}

TEST_CASE("an idea with wrong fields is shown again with a French sentence beside each, nothing saved", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto r = post_idea(phone, {{"title", "<script>alert(1)</script>"}, {"description", "court"}, {"theme", ""}, {"neighbourhood", "hors-commune"},
                             {"place", "<img src=x onerror=alert(2)>"}, {"cost", "douze"}});
  CHECK(r.status == 400);
  CHECK(r.body.find("Ce texte est trop court.") != std::string::npos);
  CHECK(r.body.find("Choisissez un quartier de la commune.") != std::string::npos);
  CHECK(r.body.find("Écrivez un nombre entier d’euros") != std::string::npos);
  // Hostile text comes back as text.
  CHECK(r.body.find("<script>alert(1)") == std::string::npos);
  CHECK(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(r.body.find("<img src=x") == std::string::npos);
  CHECK(rig.web_captures() == 0);

  // Stored as typed, hostile text included (the pages escape it wherever it is shown).
  auto hostile = kGoodIdea;
  hostile["title"] = "<img src=x onerror=alert(3)>";
  CHECK(post_idea(phone, hostile).status == 303);
  CHECK(rig.web_captures() == 1);
}

TEST_CASE("an idea's photo: re-encoded without its GPS; a non-image or a bomb is refused and nothing is saved", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  auto r = post_idea(phone, kGoodIdea, test::jpeg_with_gps_exif(900, 600));
  REQUIRE(r.status == 303);
  std::string id;
  rig.store->for_each_capture([&](const server::CaptureRow& c) { id = c.id; });
  const auto photo = rig.store->idea_photo(id);
  REQUIRE(photo);
  CHECK(photo->content_type == "image/jpeg");
  CHECK(photo->width == 900);
  CHECK(photo->data.find("Exif") == std::string::npos);
  CHECK(photo->data.find("GPS") == std::string::npos);

  auto not_image = post_idea(phone, kGoodIdea, "%PDF-1.7 not a photo at all");
  CHECK(not_image.status == 400);
  CHECK(not_image.body.find("n’est pas une photo") != std::string::npos);
  auto bomb = post_idea(phone, kGoodIdea, test::png_bomb_header(50'000, 50'000));
  CHECK(bomb.status == 400);
  CHECK(bomb.body.find("beaucoup trop grande") != std::string::npos);
  CHECK(rig.web_captures() == 1);

  // Over 10 MB: the engine asks for the 413 page from the request's head, before the body.
  server::HttpRequest head;
  head.method = "POST";
  head.path = "/c/budget-participatif-2027/idee";
  head.headers["content-length"] = std::to_string(50 * 1024 * 1024);
  CHECK(web::PublicSite::max_body(head) < 50u * 1024 * 1024);
  const auto too_big = rig.site.too_large(head);
  CHECK(too_big.status == 413);
  CHECK(too_big.body.find("La photo dépasse 10 Mo") != std::string::npos);
}

TEST_CASE("an assembly's QR link attributes answers to it until it expires", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  const std::string link = rig.site.assembly_link(*rig.store, "https://mairie.example/", "conseil-centre-2026-12", rig.clock.now(),
                                                  3600 * 1000);
  REQUIRE(link.rfind("https://mairie.example/a/", 0) == 0);
  CHECK_THROWS(rig.site.assembly_link(*rig.store, "https://mairie.example", "no-such-assembly", rig.clock.now()));
  const std::string path = link.substr(std::string("https://mairie.example").size());
  auto r = phone.send("GET", path);
  CHECK(r.status == 303);
  CHECK(phone.cookies.count("av_assembly") == 1);
  CHECK(phone.send("GET", "/").body.find("Conseil de quartier Centre-ville") != std::string::npos);
  CHECK(post_idea(phone, kGoodIdea).status == 303);
  // Expired: refused with a sentence, and no longer shown.
  rig.clock.advance_ms(61LL * 60 * 1000);
  Phone late(rig);
  CHECK(late.send("GET", path).status == 410);
  CHECK(phone.send("GET", "/").body.find("Conseil de quartier Centre-ville") == std::string::npos);
  // Altered: refused.
  std::string forged = path;
  forged[5] = forged[5] == 'a' ? 'b' : 'a';
  CHECK(late.send("GET", forged).status == 410);
}

TEST_CASE("open data: participation by consultation, quartier, channel and day, small cells left out", "[web][public]") {
  Rig rig;
  for (int i = 0; i < web::public_limits::open_data_min_cell; ++i) {
    Phone phone(rig, "203.0.113." + std::to_string(i + 1));
    REQUIRE(answer_survey(phone).status == 303);
  }
  Phone lone(rig, "203.0.113.200");
  auto idea = kGoodIdea;
  REQUIRE(post_idea(lone, idea).status == 303);  // one idea in its cell: not published
  auto csv = lone.send("GET", "/donnees/participation.csv");
  CHECK(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.find("place-jean-jaures,gare,web,2026-11-30," + std::to_string(web::public_limits::open_data_min_cell)) !=
        std::string::npos);
  CHECK(csv.body.find("budget-participatif-2027") == std::string::npos);
  CHECK(csv.headers["Link"].find("licence-ouverte") != std::string::npos);
  auto json = nlohmann::json::parse(lone.send("GET", "/donnees/participation.json").body);
  CHECK(json["licence"] == "Licence Ouverte / Open Licence version 2.0");
  CHECK(json["lignes"].size() == 1);
}

TEST_CASE("form tokens: signed for one purpose, refused when altered, cut or made for another", "[web][public]") {
  const auto signer = *web::TokenSigner::from_key_text(web::TokenSigner::make_key_text());
  const auto other = *web::TokenSigner::from_key_text(web::TokenSigner::make_key_text());
  const nlohmann::json payload = {{"c", "place"}, {"id", "x"}};
  const std::string token = signer.sign(web::token_purposes::form, payload);
  CHECK(signer.open(web::token_purposes::form, token) == payload);
  CHECK_FALSE(signer.open(web::token_purposes::assembly, token));
  CHECK_FALSE(other.open(web::token_purposes::form, token));
  CHECK_FALSE(signer.open(web::token_purposes::form, token.substr(0, token.size() - 1)));
  CHECK_FALSE(signer.open(web::token_purposes::form, "A" + token));
  CHECK_FALSE(signer.open(web::token_purposes::form, ""));
  CHECK_FALSE(web::TokenSigner::from_key_text("not a key"));
}

TEST_CASE("behind the town's proxy, each resident is limited by the address the proxy saw", "[web][public]") {
  Rig rig;
  web::PublicSite proxied{rig.pool, rig.clock, {test::assets_dir() / "web", true, "https://mairie.example", "#1d4f91"}};
  // As the HTTP engine hands requests over with `serve --trusted-proxy 127.0.0.1`; `trusted`
  // empty: no proxy named, the header is nobody's word.
  auto post = [&](const std::string& forwarded, std::vector<std::string> trusted = {"127.0.0.1"}) {
    server::HttpRequest r;
    r.method = "GET";
    r.path = "/c/budget-participatif-2027/idee";
    r.client_address = server::client_address_of("127.0.0.1", forwarded, trusted);
    const auto form = proxied.handle(r);
    r.method = "POST";
    r.path = "/c/budget-participatif-2027/idee";
    r.headers["content-type"] = "multipart/form-data; boundary=XyZb0und";
    r.headers["x-forwarded-for"] = forwarded;
    auto fields = kGoodIdea;
    fields["state"] = input_value(form.body, "state");
    r.body = multipart(fields, "");
    return proxied.handle(r).status;
  };
  for (int i = 0; i < web::public_limits::per_address; ++i) REQUIRE(post("10.9.9.9, 203.0.113.50") == 303);
  CHECK(post("203.0.113.50") == 429);
  // Another resident behind the same proxy (what X-Forwarded-For says first is the client's own claim).
  CHECK(post("203.0.113.50, 203.0.113.51") == 303);
  // Without a trusted proxy the page never reads the header itself: every request here is
  // 127.0.0.1's, whatever it claims, and that address has its own count.
  for (int i = 0; i < web::public_limits::per_address; ++i) REQUIRE(post("198.51.100." + std::to_string(i), {}) == 303);
  CHECK(post("198.51.100.200", {}) == 429);
}

TEST_CASE("the web form only for a consultation offered on the web; an idea's quartiers are its consultation's", "[web][public]") {
  Rig rig;
  Phone phone(rig);
  // The demo names no channels: both have their forms here.
  const std::string before = phone.send("GET", "/c/place-jean-jaures").body;
  REQUIRE(before.find("action=\"/c/place-jean-jaures/repondre\"") != std::string::npos);

  // Published again: the place's survey at the market and on kiosks only; the budget's ideas on
  // the web for two quartiers.
  auto doc = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo/catalog.json"));
  for (auto& c : doc["consultations"]) {
    c["version"] = 2;
    if (c["id"] == "place-jean-jaures") c["channels"] = {"market", "kiosk"};
    else {
      c["channels"] = {"web", "kiosk"};
      c["neighbourhoods"] = {"gare", "centre"};
    }
  }
  server::publish_catalog(*rig.store, doc.dump(), rig.clock.now());

  auto r = phone.send("GET", "/c/place-jean-jaures");
  CHECK(r.status == 200);
  CHECK(r.body.find("/repondre") == std::string::npos);
  CHECK(r.body.find("Cette consultation ne se fait pas en ligne") != std::string::npos);
  r = phone.send("GET", "/");
  CHECK(r.body.find("href=\"/c/place-jean-jaures\"") == std::string::npos);  // no « Donner mon avis »
  CHECK(r.body.find("href=\"/c/budget-participatif-2027/idee\"") != std::string::npos);
  // A form fetched before: refused as the consultation is offered now, nothing stored.
  r = phone.step(before, {}, "start");
  CHECK(r.status == 404);
  CHECK(r.body.find("Pas de formulaire en ligne") != std::string::npos);
  CHECK(rig.web_captures() == 0);

  // The idea form offers the consultation's quartiers only; another is refused, nothing saved.
  r = phone.send("GET", "/c/budget-participatif-2027/idee");
  CHECK(r.status == 200);
  CHECK(r.body.find("value=\"gare\"") != std::string::npos);
  CHECK(r.body.find("value=\"centre\"") != std::string::npos);
  CHECK(r.body.find("value=\"pres-fleuris\"") == std::string::npos);
  r = post_idea(phone, kGoodIdea);  // pres-fleuris
  CHECK(r.status == 400);
  CHECK(rig.web_captures() == 0);
  auto in_gare = kGoodIdea;
  in_gare["neighbourhood"] = "gare";
  CHECK(post_idea(phone, in_gare).status == 303);
  CHECK(rig.web_captures() == 1);

  // The budget's page, offered on the web, keeps its idea button; the place's idea page is none.
  CHECK(phone.send("GET", "/c/budget-participatif-2027").body.find("/c/budget-participatif-2027/idee") != std::string::npos);
}
