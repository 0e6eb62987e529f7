// Telling residents, in the console (issue 12): the letter per quartier read back from the PDF
// with poppler's pdftotext (texts, accents, no idea cut across two pages, page numbers, the
// ideas not public only counted), who may print it, an unknown quartier refused in French; the
// mail outbox over a real SMTP server (aiosmtpd): statuses, attempts and the relay's error, no
// address shown but to an admin who opens one (audited, never stored), « Réessayer maintenant »
// and its refusals, roles and CSRF.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <regex>

#include "allervers/core/capture_json.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/web/idea_mail.hpp"
#include "console_fixture.hpp"
#include "smtp_sink.hpp"

using namespace allervers;

namespace {

using test::has;
using S = core::IdeaState;

struct Rig : test::ConsoleRig {
  using ConsoleRig::ConsoleRig;
  std::int64_t seq = 0;
  server::Reviewer coordinator{{"Claire", "local"}, server::Reach::all};

  // An idea as the device sends it, its contact sealed for the office when given.
  std::string idea(const std::string& title, const std::string& quartier, const std::string& contact = "") {
    core::Capture c;
    c.id = ids.next(clock.now().utc_ms);
    c.device = device;
    c.consultation = "budget-participatif-2027";
    c.version = 1;
    c.channel = core::Channel::market;
    c.language = "fr";
    c.captured_at = clock.now();
    core::Idea i;
    i.title = title;
    i.description = "Proposée au marché.";
    i.theme = "cadre-de-vie";
    i.neighbourhood = quartier;
    if (!contact.empty())
      i.contact = core::SealedContact{true, crypto::ContactSealer::from_base64(server::office_public_key(*store, clock.now()))->seal(contact)};
    c.body = i;
    std::vector<sync::protocol::ParsedBatch::Record> records{{++seq, core::capture_to_json(c)}};
    server::IngestSummary summary;
    const auto results = server::ingest_records(*store, server::merge_catalogs(store->catalogs()).catalog,
                                                {device.str(), "b" + std::to_string(seq), clock.now().utc_ms, 0, 0, true}, records, summary);
    REQUIRE(results.at(0).status == sync::protocol::RecordStatus::accepted);
    return c.id.str();
  }
  // Moves an idea along the review to `last`, with a public answer and a cost on the way.
  void review_to(const std::string& id, S last, const std::string& answer = "", std::int64_t cost = 0) {
    const std::vector<S> path = {S::recevable, S::en_etude, S::faisable, S::soumise_au_vote, S::laureate, S::en_travaux, S::realisee};
    for (const auto to : path) {
      core::ReviewChange change;
      change.to = to;
      if (to == S::en_etude) change.assignee = "Voirie";
      if (to == S::en_etude && cost) change.estimated_cost_eur = cost;
      if (to == S::faisable) change.public_answer = answer.empty() ? "Réalisable." : answer;
      server::review_idea(*store, id, change, coordinator, clock.now());
      if (to == last) return;
    }
  }
};

// The PDF's text as poppler reads it, pages separated by form feeds.
std::vector<std::string> pdf_pages(const std::string& pdf, const test::TempDir& dir) {
  const auto file = dir.path() / "lettre.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string text;
  FILE* p = ::popen(("pdftotext -enc UTF-8 " + file.string() + " -").c_str(), "r");
  REQUIRE(p);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, p)) > 0;) text.append(buffer, n);
  REQUIRE(::pclose(p) == 0);
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (std::size_t ff; (ff = text.find('\f', start)) != std::string::npos; start = ff + 1) pages.push_back(text.substr(start, ff - start));
  return pages;
}

// pdftotext breaks lines where the letter does: joined back into one line of words, the
// no-break spaces read as spaces (a PDF may map them to the space's glyph).
std::string flat(std::string text) {
  for (const std::string nb : {"\u00a0", "\u202f"})
    for (auto at = text.find(nb); at != std::string::npos; at = text.find(nb, at)) text.replace(at, nb.size(), " ");
  for (auto& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace

TEST_CASE("the letter per quartier: ideas and what became of them, accents intact, no idea cut, pages numbered", "[web][letter]") {
  test::TempDir dir;
  Rig rig((dir.path() / "letters.db").string());
  rig.account("Claire", server::Role::coordinator);
  rig.account("Victor", server::Role::viewer);
  rig.account("Voirie", server::Role::valuator);
  test::ConsoleBrowser claire{rig}, victor{rig}, voirie{rig};
  REQUIRE(claire.login("Claire").status == 303);
  REQUIRE(victor.login("Victor").status == 303);
  REQUIRE(voirie.login("Voirie").status == 303);

  // 30 ideas at the Gare with long answers (several pages), one built with milestones, two not public.
  const std::string long_answer =
      "Les services techniques ont étudié l’emplacement : le trottoir est assez large, l’éclairage existe déjà ; "
      "la pose se fera au printemps, après l’avis du conseil de quartier. Coût validé par la direction des finances.";
  std::vector<std::pair<std::string, std::string>> titles;  // each idea's title and the last words of its block
  for (int i = 0; i < 30; ++i) {
    const std::string title = "Réaménager l’aire de jeux n° " + std::to_string(i) + " — côté école, cœur du quartier";
    const auto id = rig.idea(title, "gare");
    rig.review_to(id, i % 3 == 0 ? S::en_etude : i % 3 == 1 ? S::faisable : S::laureate, long_answer, 15000 + i);
    titles.emplace_back(title, i % 3 == 0 ? "sa faisabilité et son coût." : "direction des finances.");
  }
  const auto built = rig.idea("Des bancs à l’ombre près de la gare", "gare");
  rig.review_to(built, S::en_travaux, "Trois bancs en chêne.", 4200);
  server::Reviewer all{{"Claire", "local"}, server::Reach::all};
  server::add_milestone(*rig.store, built, "2027-03-01", "Commande passée à l’atelier municipal", "", all, rig.clock.now());
  server::add_milestone(*rig.store, built, "2027-04-15", "Pose des deux premiers bancs", "", all, rig.clock.now());
  rig.idea("Une idée encore à lire", "gare");  // reçue: counted, not named
  const auto refused = rig.idea("Une idée hors règlement", "gare");
  core::ReviewChange no;
  no.to = S::non_recevable;
  no.reason = "imprecise";
  server::review_idea(*rig.store, refused, no, rig.coordinator, rig.clock.now());
  rig.review_to(rig.idea("Une idée du centre-ville", "centre"), S::recevable);

  // Who may: coordinators (and admins); a viewer and a valuator are refused.
  CHECK(victor.get("/office/letters").status == 403);
  CHECK(victor.get("/office/letter.pdf", {{"quartier", "gare"}}).status == 403);
  CHECK(voirie.get("/office/letter.pdf", {{"quartier", "gare"}}).status == 403);
  auto r = claire.get("/office/letters");
  REQUIRE(r.status == 200);
  CHECK(has(r, "href=\"/office/letter.pdf?quartier=gare\""));
  CHECK(has(r, "<td>Quartier de la Gare</td><td class=\"text-end\">33</td><td class=\"text-end\">31</td>"));
  CHECK_FALSE(has(r, "J’habite hors de la commune</td>"));  // not a quartier an idea goes to

  r = claire.get("/office/letter.pdf", {{"quartier", "gare"}});
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/pdf");
  CHECK(r.headers["Content-Disposition"] == "attachment; filename=\"lettre-idees-gare.pdf\"");
  REQUIRE(r.body.rfind("%PDF-", 0) == 0);
  CHECK(rig.audits("letter.print") == 1);
  const auto pages = pdf_pages(r.body, dir);
  REQUIRE(pages.size() >= 3);
  const std::string all_text = flat([&] {
    std::string t;
    for (const auto& p : pages) t += p + " ";
    return t;
  }());
  CHECK(all_text.find("Vos idées — Quartier de la Gare : ce qu’elles sont devenues") != std::string::npos);
  CHECK(all_text.find("33 idées proposées dans le quartier") != std::string::npos);
  CHECK(all_text.find("reçue : 1, non recevable : 1, en étude : 10, faisable : 10, lauréate : 10, en travaux : 1.") != std::string::npos);
  CHECK(all_text.find("Une idée encore à lire") == std::string::npos);  // not public: not named
  CHECK(all_text.find("Une idée hors règlement") == std::string::npos);
  CHECK(all_text.find("Une idée du centre-ville") == std::string::npos);  // another quartier
  CHECK(all_text.find("Coût estimé : 4 200 €") != std::string::npos);
  CHECK(all_text.find("1er mars 2027 — Commande passée à l’atelier municipal") != std::string::npos);
  CHECK(all_text.find("15 avril 2027 — Pose des deux premiers bancs") != std::string::npos);
  CHECK(all_text.find("Réponse de la mairie : Trois bancs en chêne.") != std::string::npos);
  // Each idea whole on one page: its title and its answer's last words on the same page.
  for (const auto& [title, last_words] : titles) {
    int found = 0;
    for (const auto& page : pages) {
      const std::string text = flat(page);
      const auto at = text.find(title);
      if (at == std::string::npos) continue;
      ++found;
      INFO(title);
      CHECK(text.find(last_words, at) != std::string::npos);
    }
    CHECK(found == 1);
  }
  for (std::size_t i = 0; i < pages.size(); ++i)
    CHECK(flat(pages[i]).find("Page " + std::to_string(i + 1) + " sur " + std::to_string(pages.size())) != std::string::npos);

  // A consultation chosen; English asked; an unknown quartier or consultation refused in French.
  r = claire.get("/office/letter.pdf", {{"quartier", "gare"}, {"consultation", "budget-participatif-2027"}, {"lang", "en"}});
  REQUIRE(r.status == 200);
  CHECK(flat(pdf_pages(r.body, dir).at(0)).find("Your ideas — Station district: what became of them") != std::string::npos);
  r = claire.get("/office/letter.pdf", {{"quartier", "lune"}});
  CHECK(r.status == 400);
  CHECK(has(r, "Le quartier «" + test::kNb + "lune" + test::kNb + "» n’existe pas dans le catalogue de la ville (quartiers" + test::kNb +
                   ": centre, gare"));
  CHECK(claire.get("/office/letter.pdf", {{"quartier", "gare"}, {"consultation", "nulle-part"}}).status == 400);
  CHECK(claire.get("/office/letter.pdf", {{"quartier", "hors-commune"}}).status == 400);
  CHECK(rig.audits("letter.print") == 2);

  // A quartier with no idea: a one-page letter that says so.
  r = claire.get("/office/letter.pdf", {{"quartier", "bords-de-loire"}});
  REQUIRE(r.status == 200);
  const auto empty = pdf_pages(r.body, dir);
  CHECK(empty.size() == 1);
  CHECK(flat(empty.at(0)).find("Aucune idée n’a encore été proposée dans ce quartier.") != std::string::npos);
}

TEST_CASE("the mail outbox: statuses and errors from a real relay, addresses sealed but for an admin's audited opening, retry now", "[web][mail]") {
  test::SmtpSink sink;
  test::TempDir dir;
  Rig rig((dir.path() / "outbox.db").string());
  rig.account("Claire", server::Role::coordinator);
  rig.account("Ada", server::Role::admin);
  rig.account("Victor", server::Role::viewer);
  test::ConsoleBrowser claire{rig}, ada{rig}, victor{rig};
  REQUIRE(claire.login("Claire").status == 303);
  REQUIRE(ada.login("Ada").status == 303);
  REQUIRE(victor.login("Victor").status == 303);

  auto r = claire.get("/office/mails");
  REQUIRE(r.status == 200);
  CHECK(has(r, "Aucun courriel pour l’instant"));

  const auto ok = rig.idea("Un abri à vélos", "gare", "camille@example.fr");
  const auto refused = rig.idea("Des bancs", "centre", "refuse.moi@example.fr");
  rig.idea("Sans adresse", "centre");
  for (const auto& id : {ok, refused}) rig.review_to(id, S::recevable);
  web::IdeaMailer mailer{{test::assets_dir() / "web", "https://mairie.example", "Mairie <participation@mairie.example>"}};
  auto smtp = sink.transport();
  const auto pass = mailer.send_due(*rig.store, *smtp, rig.clock.now());
  CHECK(pass.sent == 1);
  CHECK(pass.failed == 1);
  CHECK(sink.messages().size() == 1);

  // The coordinator: both mails, their status, the relay's 550, no address anywhere.
  r = claire.get("/office/mails");
  REQUIRE(r.status == 200);
  CHECK(has(r, "1 en attente (dont 1 en échec), 1 envoyés, 0 arrêtés"));
  CHECK(has(r, "<tr data-status=\"sent\">"));
  CHECK(has(r, "<tr data-status=\"failing\">"));
  CHECK(has(r, "en échec, nouvel essai le "));
  CHECK(has(r, "550"));
  CHECK(has(r, "Un abri à vélos"));
  CHECK_FALSE(has(r, "camille@"));
  CHECK_FALSE(has(r, "refuse.moi@"));
  CHECK_FALSE(has(r, "action=\"/office/mails/contact\""));  // no opening offered
  CHECK(has(r, "scellée"));
  CHECK(claire.post("/office/mails/contact", {{"capture", refused}, {"state", "recevable"}}).status == 403);
  CHECK(victor.get("/office/mails").status == 403);
  CHECK(victor.post("/office/mails/retry", {{"capture", refused}, {"state", "recevable"}}).status == 403);

  // Retry now: made due at once, audited; a mail sent is never sent again; an unknown one 404.
  const auto before = rig.store->idea_mail(refused, "recevable");
  REQUIRE(before);
  CHECK(before->next_try_ms > rig.clock.now().utc_ms);
  CHECK(claire.send("POST", "/office/mails/retry", "capture=" + refused + "&state=recevable").status == 403);  // no CSRF token
  r = claire.post("/office/mails/retry", {{"capture", refused}, {"state", "recevable"}});
  CHECK(r.status == 303);
  CHECK(r.headers["Location"] == "/office/mails?done=retry");
  CHECK(rig.store->idea_mail(refused, "recevable")->next_try_ms == rig.clock.now().utc_ms);
  CHECK(rig.audits("mail.retry") == 1);
  CHECK(has(claire.get("/office/mails", {{"done", "retry"}}), "Le courriel sera réessayé"));
  CHECK(claire.post("/office/mails/retry", {{"capture", ok}, {"state", "recevable"}}).status == 409);
  CHECK(claire.post("/office/mails/retry", {{"capture", ok}, {"state", "laureate"}}).status == 404);
  CHECK(mailer.send_due(*rig.store, *smtp, rig.clock.now()).failed == 1);  // tried at once: refused again
  CHECK(rig.store->idea_mail(refused, "recevable")->attempts == 2);

  // The admin may open one address: shown on that page only, audited without the address.
  r = ada.get("/office/mails");
  CHECK(has(r, "action=\"/office/mails/contact\""));
  CHECK_FALSE(has(r, "refuse.moi@"));
  r = ada.post("/office/mails/contact", {{"capture", refused}, {"state", "recevable"}});
  REQUIRE(r.status == 200);
  CHECK(has(r, "<span class=\"mail-address\">refuse.moi@example.fr</span>"));
  CHECK_FALSE(has(r, "camille@"));
  CHECK(r.headers["Cache-Control"].find("no-store") != std::string::npos);
  server::AuditFilter f;
  f.action = "contacts.open";
  const auto opened = rig.store->audit_entries(f, 10);
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].actor == "Ada");
  CHECK(opened[0].detail.find("@") == std::string::npos);
  CHECK_FALSE(has(ada.get("/office/mails"), "refuse.moi@"));  // not kept
}
