// Mails about ideas, through a real local SMTP server (tests/web/tools/smtp_sink.py, Debian's
// python3-aiosmtpd) and the server's own SMTP code (libcurl): only authors who consented get a
// mail, one per state change, in their language, with the town's answer, the follow link and a
// working unsubscribe link; a relay that refuses (550) or is not there leaves the mail queued
// with its error, tried again later, and a mail accepted is never sent twice.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/idea_mail.hpp"
#include "allervers/web/public_site.hpp"
#include "smtp_sink.hpp"
#include "web_form_support.hpp"
#include "test_support.hpp"

using namespace allervers;

namespace {

using test::SmtpSink;
using test::body_text;
using test::free_port;

const core::Instant kStart{1'796'000'000'000, 60};
const char* kKiosk = "0192f000-0000-7000-8000-00000000c106";
using S = core::IdeaState;

struct Rig {
  test::TempDir dir;
  std::string url = "sqlite:" + (dir.path() / "mails.db").string();
  core::ManualClock clock{kStart};
  server::StorePool pool{[this] { return server::open_store(url); }};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  web::PublicSite site{pool, clock, {test::assets_dir() / "web", false, "https://mairie.example", "#1d4f91"}};
  web::IdeaMailer mailer{{test::assets_dir() / "web", "https://mairie.example", "Mairie de Saint-Aubin <participation@mairie.example>"}};
  core::UuidGenerator ids;
  std::int64_t seq = 0;
  server::Reviewer coordinator{{"Claire", "local"}, server::Reach::all};

  Rig() { server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), clock.now()); }

  // An idea from the kiosk, with a contact sealed for the office when given.
  std::string idea(const std::string& title, const std::string& contact, const std::string& language = "fr") {
    core::Capture c;
    c.id = ids.next(clock.now().utc_ms);
    c.device = *core::Uuid::parse(kKiosk);
    c.consultation = "budget-participatif-2027";
    c.version = 1;
    c.channel = core::Channel::kiosk;
    c.language = language;
    c.captured_at = clock.now();
    core::Idea i;
    i.title = title;
    i.description = "Une description de l’idée.";
    i.theme = "cadre-de-vie";
    i.neighbourhood = "centre";
    if (!contact.empty()) {
      const auto sealer = crypto::ContactSealer::from_base64(server::office_public_key(*store, clock.now()));
      i.contact = core::SealedContact{true, sealer->seal(contact)};
    }
    c.body = i;
    std::vector<sync::protocol::ParsedBatch::Record> records{{++seq, core::capture_to_json(c)}};
    server::IngestSummary summary;
    const auto results = server::ingest_records(*store, server::merge_catalogs(store->catalogs()).catalog,
                                                {kKiosk, "b" + std::to_string(seq), clock.now().utc_ms, 0, 0, true}, records, summary);
    REQUIRE(results.at(0).status == sync::protocol::RecordStatus::accepted);
    return c.id.str();
  }
  void review(const std::string& id, S to, const std::string& answer = "") {
    core::ReviewChange change;
    change.to = to;
    change.public_answer = answer;
    if (to == S::en_etude) change.assignee = "Voirie";
    server::review_idea(*store, id, change, coordinator, clock.now());
  }
  web::MailPass send(web::MailTransport& transport) { return mailer.send_due(*store, transport, clock.now()); }

  server::HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "") {
    server::HttpRequest r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      const auto f = web::parse_urlencoded(target.substr(q + 1));
      if (f.has("t")) r.query["t"] = f.get("t");
    }
    r.client_address = "203.0.113.9";
    r.headers["host"] = "mairie.example";
    if (method == "POST") {
      r.headers["content-type"] = "application/x-www-form-urlencoded";
      r.body = body;
    }
    return site.handle(r);
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mails about ideas reach only the authors who consented, once per change, and stop when asked", "[web][mail]") {
  SmtpSink sink;
  Rig rig;
  auto smtp = sink.transport();

  const auto told = rig.idea("Un abri à vélos", "Camille.Martin@Exemple.FR");
  const auto silent = rig.idea("Des bancs", "");  // no contact: no consent
  const auto english = rig.idea("A bike shelter", "alex@example.org", "en");
  const auto by_phone = rig.idea("Une fontaine", "06 12 34 56 78");
  const auto merged = rig.idea("Un garage à vélos", "dominique@example.fr");
  server::merge_ideas(*rig.store, merged, told, rig.coordinator, rig.clock.now());

  for (const auto& id : {told, silent, english, by_phone}) rig.review(id, S::recevable);
  auto pass = rig.send(*smtp);
  CHECK(pass.sent == 3);     // told, its merged author, english
  CHECK(pass.stopped == 1);  // a phone number gets no mail
  auto mails = sink.messages();
  REQUIRE(mails.size() == 3);
  std::string all;
  for (const auto& m : mails) all += m;
  CHECK(has(all, "X-Envelope-To: Camille.Martin@exemple.fr"));
  CHECK(has(all, "X-Envelope-To: dominique@example.fr"));
  CHECK(has(all, "X-Envelope-To: alex@example.org"));
  CHECK_FALSE(has(all, "06 12 34 56 78"));

  // The French mail: the state, the follow link with the code, an unsubscribe link.
  std::string french;
  for (const auto& m : mails)
    if (has(m, "Camille")) french = m;
  CHECK(has(french, "Subject: =?UTF-8?B?"));
  CHECK(has(french, "From: Mairie de Saint-Aubin <participation@mairie.example>"));
  CHECK(has(french, "List-Unsubscribe: <https://mairie.example/desabonnement?t="));
  const std::string text = body_text(french);
  CHECK(has(text, "Votre idée « Un abri à vélos » est maintenant : recevable."));
  const std::string code = core::receipt_code(*core::Uuid::parse(told));
  CHECK(has(text, "https://mairie.example/suivi?code=" + code));
  std::string english_text;
  for (const auto& m : mails)
    if (has(m, "alex@")) english_text = body_text(m);
  CHECK(has(english_text, "Your idea “A bike shelter” is now: admissible."));

  // Nothing more is sent for the same change; the next change sends one more each.
  CHECK(rig.send(*smtp).sent == 0);
  rig.review(told, S::en_etude);
  CHECK(rig.send(*smtp).sent == 2);
  CHECK(sink.messages().size() == 5);

  // Unsubscribing from the link: a page with a button (GET changes nothing), then stopped.
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("https://mairie\\.example(/desabonnement\\?t=[A-Za-z0-9_.~-]+)")));
  auto r = rig.request("GET", m[1]);
  CHECK(r.status == 200);
  CHECK(has(r.body, "Un abri à vélos"));
  CHECK_FALSE(rig.store->idea_mails_stopped(told));
  const std::string token = m[1].str().substr(std::string("/desabonnement?t=").size());
  r = rig.request("POST", "/desabonnement", "t=" + token);
  CHECK(r.status == 200);
  CHECK(has(r.body, "vous ne recevrez plus de courriel"));
  CHECK(rig.store->idea_mails_stopped(told));
  CHECK(rig.request("GET", "/desabonnement?t=" + token.substr(0, token.size() - 2) + "xx").status == 400);
  server::AuditFilter f;
  f.action = "mail.unsubscribe";
  CHECK(rig.store->audit_entries(f, 10).size() == 1);

  core::ReviewChange faisable;
  faisable.to = S::faisable;
  faisable.public_answer = "Réalisable pour 25 000 €.";
  server::review_idea(*rig.store, told, faisable, rig.coordinator, rig.clock.now());
  CHECK(rig.send(*smtp).sent == 1);  // only the merged author now
  mails = sink.messages();
  REQUIRE(mails.size() == 6);
  CHECK(has(mails.back(), "dominique@"));
  CHECK(has(body_text(mails.back()), "Réalisable pour 25 000 €."));
}

TEST_CASE("a relay that refuses or is not there leaves the mail queued with its error, tried later, sent once", "[web][mail]") {
  Rig rig;
  const auto id = rig.idea("Un abri à vélos", "refuse@example.fr");
  const auto other = rig.idea("Des bancs", "camille@example.fr");
  rig.review(id, S::recevable);
  rig.review(other, S::recevable);

  // Nobody listening: connection refused.
  web::SmtpSettings nowhere;
  nowhere.host = "127.0.0.1";
  nowhere.port = free_port();
  auto down = web::smtp_transport(nowhere);
  auto pass = rig.send(*down);
  CHECK(pass.failed == 2);
  auto queued = rig.store->idea_mails(10);
  REQUIRE(queued.size() == 2);
  for (const auto& q : queued) {
    CHECK(q.status == server::MailStatus::queued);
    CHECK(q.attempts == 1);
    CHECK_FALSE(q.last_error.empty());
    CHECK(q.next_try_ms == kStart.utc_ms + web::retry_delay_ms(0));
  }
  CHECK(rig.send(*down).failed == 0);  // not due yet

  // The relay is back, and refuses one recipient (550): that one stays queued, with the answer.
  SmtpSink sink;
  auto smtp = sink.transport();
  rig.clock.advance_ms(60'000);
  pass = rig.send(*smtp);
  CHECK(pass.sent == 1);
  CHECK(pass.failed == 1);
  CHECK(sink.messages().size() == 1);
  for (const auto& q : rig.store->idea_mails(10)) {
    if (q.capture == id) {
      CHECK(q.status == server::MailStatus::queued);
      CHECK(q.attempts == 2);
      CHECK(has(q.last_error, "550"));
      CHECK(q.next_try_ms == rig.clock.now().utc_ms + web::retry_delay_ms(1));
    } else {
      CHECK(q.status == server::MailStatus::sent);
    }
  }
  server::AuditFilter f;
  f.action = "mail.";
  CHECK(rig.store->audit_entries(f, 100).size() == 4);  // 3 failures, 1 sent
  // Later passes never send the accepted one again.
  rig.clock.advance_ms(7LL * 3600 * 1000);
  CHECK(rig.send(*smtp).sent == 0);
  CHECK(sink.messages().size() == 1);
  CHECK(web::retry_delay_ms(0) == 60'000);
  CHECK(web::retry_delay_ms(3) == 480'000);
  CHECK(web::retry_delay_ms(40) == web::mail_tuning::max_retry_ms);
}

TEST_CASE("200 ideas from kiosks, reviewed to every state: each consenting author gets one mail per change, nobody else; every code is followed", "[web][mail][e2e]") {
  SmtpSink sink;
  Rig rig;
  auto smtp = sink.transport();
  const auto sealer = crypto::ContactSealer::from_base64(server::office_public_key(*rig.store, rig.clock.now()));

  // 200 ideas in 4 batches of 50, as kiosks sync them; two authors in three consented.
  constexpr int kIdeas = 200;
  std::vector<std::string> ids;
  const auto catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  for (int b = 0; b < 4; ++b) {
    std::vector<sync::protocol::ParsedBatch::Record> records;
    for (int k = 0; k < 50; ++k) {
      const int i = b * 50 + k;
      core::Capture c;
      c.id = rig.ids.next(rig.clock.now().utc_ms);
      c.device = *core::Uuid::parse(kKiosk);
      c.consultation = "budget-participatif-2027";
      c.version = 1;
      c.channel = core::Channel::door_to_door;
      c.language = "fr";
      c.captured_at = {rig.clock.now().utc_ms - (kIdeas - i) * 60'000LL, 60};
      core::Idea idea{"Idée n° " + std::to_string(i), "Une description de l’idée.", "cadre-de-vie", "centre", "", std::nullopt, std::nullopt};
      if (i % 3 != 0) idea.contact = core::SealedContact{true, sealer->seal("habitant" + std::to_string(i) + "@example.fr")};
      c.body = idea;
      records.push_back({++rig.seq, core::capture_to_json(c)});
      ids.push_back(c.id.str());
    }
    server::IngestSummary summary;
    server::ingest_records(*rig.store, catalog, {kKiosk, "b" + std::to_string(b), rig.clock.now().utc_ms, 0, 0, true}, records, summary);
    REQUIRE(summary.accepted == 50);
  }

  // Each idea's fate by i % 10; the 9s are merged into the idea before them (an 8) first.
  const std::vector<std::vector<S>> fates = {
      {},
      {S::non_recevable},
      {S::recevable},
      {S::recevable, S::en_etude},
      {S::recevable, S::en_etude, S::faisable},
      {S::recevable, S::en_etude, S::non_faisable},
      {S::recevable, S::en_etude, S::faisable, S::soumise_au_vote},
      {S::recevable, S::en_etude, S::faisable, S::soumise_au_vote, S::laureate},
      {S::recevable, S::en_etude, S::faisable, S::soumise_au_vote, S::laureate, S::en_travaux},
      {}};
  for (int i = 9; i < kIdeas; i += 10) server::merge_ideas(*rig.store, ids[static_cast<std::size_t>(i)], ids[static_cast<std::size_t>(i - 1)], rig.coordinator, rig.clock.now());
  std::map<std::string, std::size_t> expected;  // address → mails
  for (int i = 0; i < kIdeas; ++i) {
    const auto& fate = fates[static_cast<std::size_t>(i % 10)];
    for (const auto to : fate) {
      core::ReviewChange change;
      change.to = to;
      if (to == S::non_recevable) change.reason = "imprecise";
      if (to == S::en_etude) change.assignee = "Voirie";
      if (to == S::faisable || to == S::non_faisable) change.public_answer = "Réponse pour l’idée " + std::to_string(i) + ".";
      server::review_idea(*rig.store, ids[static_cast<std::size_t>(i)], change, rig.coordinator, rig.clock.now());
    }
    const std::size_t told = i % 10 == 9 ? fates[8].size() : fate.size();
    if (i % 3 != 0 && told > 0) expected["habitant" + std::to_string(i) + "@example.fr"] = told;
  }
  std::size_t total = 0;
  for (const auto& [address, n] : expected) total += n;

  while (rig.send(*smtp).sent > 0) {
  }
  const auto mails = sink.messages();
  CHECK(mails.size() == total);
  std::map<std::string, std::size_t> received;
  for (const auto& m : mails) {
    const auto start = m.find("X-Envelope-To: ") + 15;
    received[m.substr(start, m.find("\r\n", start) - start)]++;
  }
  CHECK(received == expected);
  for (const auto& q : rig.store->idea_mails(10'000)) CHECK(q.status == server::MailStatus::sent);

  // Every code finds its idea on the public page.
  int followed = 0;
  for (int i = 0; i < kIdeas; ++i) {
    server::HttpRequest r;
    r.method = "GET";
    r.path = "/suivi";
    r.query["code"] = core::receipt_code(*core::Uuid::parse(ids[static_cast<std::size_t>(i)]));
    r.client_address = "203.0.113.9";
    r.headers["host"] = "mairie.example";
    const auto response = rig.site.handle(r);
    followed += response.status == 200 && has(response.body, "Idée n° " + std::to_string(i) + "<") ? 1 : 0;
  }
  CHECK(followed == kIdeas);
}

TEST_CASE("an idea from the web form: the author's address kept only with the box ticked, sealed, and mailed; without consent nothing", "[web][mail]") {
  SmtpSink sink;
  Rig rig;
  auto smtp = sink.transport();

  // The form as a phone sends it: its signed state read from the page first.
  auto post = [&](const std::string& title, const std::string& email, bool consent) {
    const auto page = rig.request("GET", "/c/budget-participatif-2027/idee");
    REQUIRE(page.status == 200);
    std::string body = "state=" + test::form_escape(test::input_value(page.body, "state")) + "&title=" + test::form_escape(title) +
                       "&description=" + test::form_escape("Des arceaux couverts devant la médiathèque.") +
                       "&theme=mobilites&neighbourhood=gare&place=&cost=&email=" + test::form_escape(email);
    if (consent) body += "&consent=yes";
    return rig.request("POST", "/c/budget-participatif-2027/idee", body);
  };
  auto web_ideas = [&] {
    server::IdeaFilter all;
    return rig.store->ideas(all, 100);
  };
  const auto form = rig.request("GET", "/c/budget-participatif-2027/idee");
  CHECK(has(form.body, "name=\"email\" type=\"email\""));
  CHECK(has(form.body, "type=\"checkbox\" id=\"idea-consent\" name=\"consent\" value=\"yes\" aria-describedby"));  // never ticked for them

  // Refusals keep what was typed and store nothing.
  auto r = post("Un abri à vélos", "camille@example.fr", false);
  CHECK(r.status == 400);
  CHECK(has(r.body, "Cochez la case pour que la mairie puisse vous écrire, ou effacez l’adresse."));
  CHECK(has(r.body, "value=\"camille@example.fr\""));
  r = post("Un abri à vélos", "", true);
  CHECK(r.status == 400);
  CHECK(has(r.body, "Saisissez votre adresse électronique, ou décochez la case."));
  CHECK(has(r.body, "id=\"idea-consent\" name=\"consent\" value=\"yes\" checked"));
  r = post("Un abri à vélos", "06 12 34 56 78", true);
  CHECK(r.status == 400);
  CHECK(has(r.body, "Ce n’est pas une adresse électronique"));
  CHECK(web_ideas().empty());

  // With consent: stored sealed (nothing in clear in the capture), the idea says the author consented.
  REQUIRE(post("Un abri à vélos", "Camille.Martin@Exemple.FR", true).status == 303);
  REQUIRE(post("Des bancs", "", false).status == 303);  // no address, no box: an idea like any other
  const auto ideas = web_ideas();
  REQUIRE(ideas.size() == 2);
  const auto& told = ideas[0].title == "Un abri à vélos" ? ideas[0] : ideas[1];
  const auto& silent = ideas[0].title == "Un abri à vélos" ? ideas[1] : ideas[0];
  CHECK(told.contact_consent);
  CHECK_FALSE(silent.contact_consent);
  const auto stored = rig.store->capture_body_and_language(told.id);
  REQUIRE(stored);
  CHECK_FALSE(has(stored->first, "Camille"));
  CHECK_FALSE(has(stored->first, "xemple"));
  const auto sealed = nlohmann::json::parse(stored->first)["idea"]["contact"];
  CHECK(sealed["consent"] == true);
  CHECK(server::office_keys(*rig.store, rig.clock.now()).open(sealed["sealed"].get<std::string>()) == "Camille.Martin@exemple.fr");
  CHECK_FALSE(has(rig.store->capture_body_and_language(silent.id)->first, "contact"));

  // Both reviewed: only the one who consented gets a mail.
  rig.review(told.id, S::recevable);
  rig.review(silent.id, S::recevable);
  const auto pass = rig.send(*smtp);
  CHECK(pass.sent == 1);
  CHECK(pass.stopped == 0);
  const auto mails = sink.messages();
  REQUIRE(mails.size() == 1);
  CHECK(has(mails[0], "X-Envelope-To: Camille.Martin@exemple.fr"));
  CHECK(has(body_text(mails[0]), "Votre idée « Un abri à vélos » est maintenant : recevable."));
  CHECK(rig.store->idea_mails(10).size() == 1);
}
