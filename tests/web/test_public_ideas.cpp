// What became of residents' ideas and votes, on the public pages, in-process: ideas stored as a
// kiosk's are (the devices' ingest), reviewed, merged and given milestones through the review
// operations the console uses; then « Suivre mon idée » by a code typed loosely, the public idea
// pages (only ideas the town made public, with their photos; nothing internal), the results of
// a vote with its winners per envelope, and a ballot's receipt (counted / not counted / unknown).
#include <catch2/catch.hpp>

#include <set>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/server/vote_admin.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/photo.hpp"
#include "allervers/web/public_site.hpp"
#include "photo_samples.hpp"
#include "test_support.hpp"

using namespace allervers;
using nlohmann::json;

namespace {

// 2026-11-30 00:53 UTC, within the demo consultations' weeks; the town at UTC+1.
const core::Instant kStart{1'796'000'000'000, 60};
const char* kKiosk = "0192f000-0000-7000-8000-00000000c105";

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

struct Rig {
  test::TempDir dir;
  std::string url = "sqlite:" + (dir.path() / "ideas.db").string();
  core::ManualClock clock{kStart};
  server::StorePool pool{[this] { return server::open_store(url); }};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  web::PublicSite site{pool, clock, {test::assets_dir() / "web", false, "https://mairie.example", "#1d4f91"}};
  core::UuidGenerator ids;
  std::int64_t seq = 0;
  server::Reviewer coordinator{{"Claire", "local"}, server::Reach::all};

  Rig() { server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), clock.now()); }

  // Captures from the kiosk through the devices' ingest; returns their ids.
  std::vector<std::string> ingest(const std::vector<core::Capture>& captures) {
    std::vector<sync::protocol::ParsedBatch::Record> records;
    std::vector<std::string> out;
    for (const auto& c : captures) {
      records.push_back({++seq, core::capture_to_json(c)});
      out.push_back(c.id.str());
    }
    server::BatchEnvelope envelope{kKiosk, "b" + std::to_string(seq), clock.now().utc_ms, 0, 0, true};
    server::IngestSummary summary;
    const auto catalog = server::merge_catalogs(store->catalogs()).catalog;
    for (const auto& r : server::ingest_records(*store, catalog, envelope, records, summary)) {
      INFO(r.code << ": " << r.reason);
      REQUIRE(r.status == sync::protocol::RecordStatus::accepted);
    }
    return out;
  }

  core::Capture capture(core::CaptureBody body) {
    core::Capture c;
    c.id = ids.next(clock.now().utc_ms);
    c.device = *core::Uuid::parse(kKiosk);
    c.consultation = "budget-participatif-2027";
    c.version = 1;
    c.channel = core::Channel::kiosk;
    c.language = "fr";
    c.captured_at = clock.now();
    c.body = std::move(body);
    return c;
  }

  std::string idea(const std::string& title, const std::string& quartier) {
    core::Idea i;
    i.title = title;
    i.description = "Une description de l’idée.";
    i.theme = "cadre-de-vie";
    i.neighbourhood = quartier;
    return ingest({capture(i)})[0];
  }

  void review(const std::string& id, core::IdeaState to, const std::string& answer = "", const std::string& notes = "") {
    core::ReviewChange change;
    change.to = to;
    change.public_answer = answer;
    change.notes = notes;
    if (to == core::IdeaState::en_etude) change.assignee = "Voirie";
    if (to == core::IdeaState::non_recevable) change.reason = store->idea_reasons().front().id;
    server::review_idea(*store, id, change, coordinator, clock.now());
  }
  void walk(const std::string& id, std::initializer_list<core::IdeaState> states, const std::string& answer = "Une réponse.") {
    for (auto s : states) review(id, s, s == core::IdeaState::faisable || s == core::IdeaState::non_faisable ? answer : "");
  }

  server::HttpResponse get(const std::string& target, const std::string& language = "fr-FR,fr;q=0.9") {
    server::HttpRequest r;
    r.method = "GET";
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      const auto f = web::parse_urlencoded(target.substr(q + 1));
      for (const auto& key : {"lang", "code", "quartier"})
        if (f.has(key)) r.query[key] = f.get(key);
    }
    r.client_address = "203.0.113.9";
    r.headers["host"] = "mairie.example";
    r.headers["accept-language"] = language;
    return site.handle(r);
  }
};

using S = core::IdeaState;

}  // namespace

TEST_CASE("« Suivre mon idée »: a loosely typed code shows the state, the town's answer and the milestones with photos", "[web][public][ideas]") {
  Rig rig;
  const auto built = rig.idea("Un abri à vélos près de la gare", "gare");
  const auto joined = rig.idea("Un garage à vélos à la gare", "gare");
  const auto fresh = rig.idea("Des bancs au marché", "centre");
  rig.walk(built, {S::recevable, S::en_etude, S::faisable}, "Réalisable pour 25 000 €, près de l’entrée nord.");
  rig.review(built, S::soumise_au_vote);
  rig.review(built, S::laureate);
  rig.review(built, S::en_travaux);
  server::merge_ideas(*rig.store, joined, built, rig.coordinator, rig.clock.now());
  const auto photo = web::process_photo(test::jpeg_with_gps_exif(64, 48));
  server::add_milestone(*rig.store, built, "2027-03-01", "Début des travaux.", photo.jpeg, rig.coordinator, rig.clock.now());
  server::add_milestone(*rig.store, built, "2027-04-12", "L’abri est posé.", "", rig.coordinator, rig.clock.now());

  const std::string code = core::receipt_code(*core::Uuid::parse(built));
  std::string loose = code;
  for (auto& ch : loose) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  loose.erase(loose.find('-'), 1);
  auto r = rig.get("/suivi?code=%20" + loose + "%20");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "Un abri à vélos près de la gare"));
  CHECK(has(r.body, "en travaux"));
  CHECK(has(r.body, "Réalisable pour 25 000 €, près de l’entrée nord."));
  CHECK(has(r.body, "<time datetime=\"2027-03-01\">1er mars 2027</time>"));
  CHECK(has(r.body, "12 avril 2027"));
  CHECK(has(r.body, "L’abri est posé."));
  CHECK(has(r.body, "src=\"/idees/" + built + "/jalons/1\""));
  CHECK_FALSE(has(r.body, "/jalons/2\""));  // the second milestone has no photo
  CHECK(r.headers.count("Content-Security-Policy") == 1);
  CHECK_FALSE(has(r.body, "Voirie"));  // who studies it is internal
  auto photo_response = rig.get("/idees/" + built + "/jalons/1");
  CHECK(photo_response.status == 200);
  CHECK(photo_response.content_type == "image/jpeg");
  CHECK(photo_response.body == photo.jpeg);
  CHECK(rig.get("/idees/" + built + "/jalons/2").status == 404);

  // The merged idea's code leads to the kept idea's outcome, under its own title.
  r = rig.get("/suivi?code=" + core::receipt_code(*core::Uuid::parse(joined)));
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "Un garage à vélos à la gare"));
  CHECK(has(r.body, "rejoint une idée semblable, « Un abri à vélos près de la gare »"));
  CHECK(has(r.body, "L’abri est posé."));

  // A fresh idea: reçue, with no public page yet.
  r = rig.get("/suivi?code=" + core::receipt_code(*core::Uuid::parse(fresh)));
  CHECK(has(r.body, "reçue"));
  CHECK_FALSE(has(r.body, "/idees/" + fresh));

  // Unknown and malformed codes are answered in a sentence, the form shown again.
  r = rig.get("/suivi?code=ZZZZ-ZZZZ");
  CHECK(r.status == 404);
  CHECK(has(r.body, "Aucune idée n’a le code ZZZZ-ZZZZ"));
  r = rig.get("/suivi?code=%3Cscript%3E");
  CHECK(r.status == 400);
  CHECK(has(r.body, "value=\"&lt;script&gt;\""));
  CHECK(rig.get("/suivi").status == 200);

  // In Arabic, right to left.
  r = rig.get("/suivi?lang=ar&code=" + code);
  CHECK(has(r.body, "dir=\"rtl\""));
  CHECK(has(r.body, "قيد الإنجاز"));
}

TEST_CASE("public idea pages: only ideas the town made public, with their photo; nothing internal", "[web][public][ideas]") {
  Rig rig;
  const auto shown = rig.idea("Une fontaine place Jean-Jaurès", "centre");
  const auto waiting = rig.idea("Une idée pas encore lue", "centre");
  const auto refused = rig.idea("Une idée hors sujet", "gare");
  const auto merged = rig.idea("Une autre fontaine", "centre");
  const auto photo = web::process_photo(test::jpeg_with_gps_exif(64, 48));
  rig.store->save_idea_photo({shown, "image/jpeg", photo.jpeg, photo.width, photo.height}, kStart.utc_ms);
  rig.store->save_idea_photo({waiting, "image/jpeg", photo.jpeg, photo.width, photo.height}, kStart.utc_ms);
  rig.review(shown, S::recevable);
  rig.review(shown, S::en_etude, "", "NOTE-INTERNE à ne pas publier");
  rig.review(refused, S::non_recevable);
  server::merge_ideas(*rig.store, merged, shown, rig.coordinator, rig.clock.now());

  auto r = rig.get("/idees");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "Une fontaine place Jean-Jaurès"));
  CHECK(has(r.body, "href=\"/idees/" + shown + "\""));
  CHECK_FALSE(has(r.body, "Une idée pas encore lue"));
  CHECK_FALSE(has(r.body, "Une idée hors sujet"));
  CHECK_FALSE(has(r.body, "Une autre fontaine"));
  CHECK(has(r.body, "1 idées"));
  CHECK(has(rig.get("/idees?quartier=gare").body, "0 idées"));

  r = rig.get("/idees/" + shown);
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "en étude"));
  CHECK(has(r.body, "src=\"/idees/" + shown + "/photo\""));
  CHECK(has(r.body, "2 habitants ont proposé cette idée."));
  CHECK_FALSE(has(r.body, "NOTE-INTERNE"));
  CHECK_FALSE(has(r.body, "Voirie"));
  CHECK(rig.get("/idees/" + shown + "/photo").body == photo.jpeg);

  for (const auto& hidden : {waiting, refused, merged}) {
    CHECK(rig.get("/idees/" + hidden).status == 404);
    CHECK(rig.get("/idees/" + hidden + "/photo").status == 404);
  }
  CHECK(rig.get("/idees/not-a-uuid").status == 404);
}

TEST_CASE("an idea's thank-you page shows its receipt code and a link to follow it; a made-up code is not echoed", "[web][public][ideas]") {
  Rig rig;
  const auto id = rig.idea("Une boîte à livres", "centre");
  const auto code = core::receipt_code(*core::Uuid::parse(id));
  auto r = rig.get("/c/budget-participatif-2027/idee/merci?code=" + code);
  REQUIRE(r.status == 200);
  CHECK(has(r.body, ">" + code + "</p>"));
  CHECK(has(r.body, "href=\"/suivi?code=" + code + "\""));
  r = rig.get("/c/budget-participatif-2027/idee/merci?code=ZZZZ-ZZZZ");
  CHECK_FALSE(has(r.body, "ZZZZ-ZZZZ"));
  // The home page links to following ideas and to the votes.
  r = rig.get("/");
  CHECK(has(r.body, "href=\"/suivi\""));
  CHECK(has(r.body, "href=\"/idees\""));
  CHECK(has(r.body, "href=\"/votes\""));
}

TEST_CASE("vote results: winners per envelope, votes per project, participation; a ballot's receipt checked", "[web][public][votes]") {
  Rig rig;
  const auto now = rig.clock.now();
  const auto vote = server::save_vote_draft(*rig.store, core::parse_vote(json::parse(R"({"id": "quartiers-2027",
    "title": {"fr": "Vote des quartiers 2027", "en": "Neighbourhood vote 2027"}, "opens": "2024-01-01", "closes": "2099-12-31",
    "rule": "budget", "min_share_percent": 0, "voter_key": ")" + std::string(64, '0') + R"(",
    "envelopes": [{"amount_eur": 100000}, {"neighbourhood": "gare", "amount_eur": 30000}],
    "projects": [{"id": "banc", "title": {"fr": "Des bancs partout"}, "cost_eur": 20000},
                 {"id": "parc", "title": {"fr": "Un parc"}, "cost_eur": 90000},
                 {"id": "abri", "title": {"fr": "Un abri à vélos"}, "cost_eur": 25000, "neighbourhood": "gare"}]})"),
                                                                                     {"gare"}),
                                              now);
  server::publish_vote(*rig.store, vote.id, server::VoteStage::open, false, now);
  CHECK(has(rig.get("/votes/quartiers-2027").body, "les résultats seront publiés après sa clôture"));

  auto ballot = [&](char voter, std::vector<std::string> projects, const std::string& receipt) {
    return rig.capture(core::Ballot{vote.id, std::move(projects), std::string(64, voter), receipt, false, false});
  };
  rig.ingest({ballot('1', {"banc", "abri"}, "AAAA0001"), ballot('2', {"banc"}, "AAAA0002"), ballot('3', {"parc"}, "AAAA0003"),
              ballot('1', {"parc"}, "AAAA0004")});
  server::publish_vote(*rig.store, vote.id, server::VoteStage::closed, true, now);

  auto r = rig.get("/votes");
  CHECK(has(r.body, "Vote des quartiers 2027"));
  CHECK(has(r.body, "Résultats publiés"));
  r = rig.get("/votes/quartiers-2027");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "3 bulletins comptés"));
  CHECK(has(r.body, "Toute la ville"));
  CHECK(has(r.body, "<li dir=\"auto\"><strong>Des bancs partout</strong> — 2 voix</li>"));
  CHECK(has(r.body, "<li dir=\"auto\"><strong>Un abri à vélos</strong> — 1 voix</li>"));
  CHECK(has(r.body, "100\u202f000\u00a0€"));
  CHECK_FALSE(has(r.body, vote.voter_key));
  CHECK(rig.get("/votes/nope").status == 404);

  CHECK(has(rig.get("/votes/recu?code=aaaa-0001").body, "Le bulletin AAAA-0001 est compté (Vote des quartiers 2027)."));
  CHECK(has(rig.get("/votes/recu?code=AAAA0004").body, "n’est pas compté"));
  CHECK(has(rig.get("/votes/recu?code=ZZZZ-ZZZZ").body, "Aucun bulletin n’a le code ZZZZ-ZZZZ"));
  CHECK(has(rig.get("/votes/recu?lang=ar").body, "dir=\"rtl\""));
}

TEST_CASE("a kiosk's own burst is flagged at ingest like the public pages' bursts, kept and counted", "[web][public][kiosk]") {
  Rig rig;
  // A queue of residents: one idea every 2 minutes for 40 minutes, never more than 10 in 10 minutes.
  std::vector<core::Capture> calm;
  for (int i = 0; i < 20; ++i) {
    core::Idea idea{"Idée calme " + std::to_string(i), "Une description de l’idée.", "cadre-de-vie", "centre", "", std::nullopt, std::nullopt};
    auto c = rig.capture(idea);
    c.captured_at.utc_ms = kStart.utc_ms - 3'600'000 + i * 120'000;
    calm.push_back(c);
  }
  rig.ingest(calm);
  CHECK(rig.store->flagged_count() == 0);
  // Then 14 in five minutes, synced later in one batch: flagged from the 11th, all kept.
  // The i-th idea of one sitting, every 20 s from 10 minutes before the start.
  auto burst_idea = [&](int i) {
    core::Idea idea{"Idée en rafale " + std::to_string(i), "Une description de l’idée.", "cadre-de-vie", "centre", "", std::nullopt, std::nullopt};
    auto c = rig.capture(idea);
    c.captured_at.utc_ms = kStart.utc_ms - 600'000 + i * 20'000;
    return c;
  };
  std::vector<core::Capture> burst;
  for (int i = 0; i < 14; ++i) burst.push_back(burst_idea(i));
  const auto ids = rig.ingest(burst);
  CHECK(rig.store->flagged_count() == 4);
  std::set<std::string> flagged;
  for (const auto& f : rig.store->capture_flags(100)) {
    CHECK(f.reason == "burst_device");
    flagged.insert(f.capture);
  }
  CHECK(flagged == std::set<std::string>{ids[10], ids[11], ids[12], ids[13]});
  // Two more of the same sitting in a later batch: the captures held count, both are flagged.
  rig.ingest({burst_idea(14), burst_idea(15)});
  CHECK(rig.store->flagged_count() == 6);
  std::int64_t kiosk = 0;
  rig.store->for_each_capture([&](const server::CaptureRow& c) { kiosk += c.channel == "kiosk" ? 1 : 0; });
  CHECK(kiosk == 36);
}
