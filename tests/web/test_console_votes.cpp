// The console's votes in-process, on SQLite and PostgreSQL: a coordinator writes a draft (each
// bad field refused in French, nothing saved), takes the ideas « soumise au vote » as projects,
// opens it (in the catalog devices sync), ballots arrive from two devices through the API (one
// voter on both), the count on the page and in the CSV is compared with a count made here from
// the ballots, the flagged ballot shows both devices, a receipt is looked up, the vote closed,
// its results exported (CSV, XLSX) and published. A viewer sees results only; CSRF and roles
// refused; every change and export audited.
#include <catch2/catch.hpp>

#include <algorithm>

#include "allervers/core/capture_json.hpp"
#include "allervers/passes/voter.hpp"
#include "console_fixture.hpp"
#include "idea_samples.hpp"
#include "pg_instance.hpp"

using namespace allervers;

namespace {

using test::kPassword;
using test::kNb;
using test::form_escape;
using test::as_html;

struct Rig : test::ConsoleRig {
  using ConsoleRig::ConsoleRig;
  std::map<std::string, std::int64_t> last_seq;

  std::string ballot(const core::Vote& vote, const core::Uuid& on, std::int64_t at_ms, const std::string& pass,
                     std::vector<std::string> projects, const std::string& receipt) {
    core::Capture c;
    c.id = ids.next(at_ms);
    c.device = on;
    c.channel = core::Channel::kiosk;
    c.captured_at = {at_ms, 60};
    c.body = core::Ballot{vote.id, std::move(projects), passes::voter_hash(vote, pass), receipt, true, false};
    return core::canonical_json(c);
  }
  void send(const core::Uuid& from, const std::string& from_token, const std::vector<std::string>& records) {
    sync::protocol::BatchRequest b;
    b.device = from;
    b.sent_at = clock.now();
    b.clock_offset_ms = 0;
    std::int64_t& seq = last_seq[from.str()];
    for (const auto& r : records) b.records.push_back({++seq, r});
    auto response = api.handle(post("/api/v1/batches", sync::protocol::encode_batch(b), from_token));
    REQUIRE(response.status == 200);
    for (const auto& result : sync::protocol::decode_batch_response(response.body).results)
      CHECK(result.status == sync::protocol::RecordStatus::accepted);
  }

  // An idea stored as a device sends it, then moved to « soumise au vote » with its cost.
  void idea_put_to_vote(const std::string& title, const std::string& quartier, std::int64_t cost) {
    test::idea_put_to_vote(*store, ids, clock.now(), title, quartier, cost);
  }
};

using Browser = test::ConsoleBrowser;
using test::has;

// A draft with three projects: two town-wide, one at the Gare (its own envelope).
std::map<std::string, std::string> good_draft() {
  return {{"title", "Budget des quartiers 2027"},
          {"summary", "Choisissez les projets."},
          {"opens", "2024-01-01"},
          {"closes", "2099-12-31"},
          {"rule", "budget"},
          {"min_share", "0"},
          {"min_projects", "1"},
          {"max_projects", "0"},
          {"min_age", "16"},
          {"envelope.", "100 000 €"},
          {"envelope.gare", "30000"},
          {"projects", "3"},
          {"p0.title", "Des bancs"},
          {"p0.cost", "20 000"},
          {"p0.quartier", ""},
          {"p1.title", "Un parc"},
          {"p1.cost", "90000"},
          {"p1.quartier", "centre"},
          {"p2.title", "Un abri à vélos"},
          {"p2.cost", "25000"},
          {"p2.quartier", "gare"},
          {"action", "save"}};
}

void run_suite(const std::string& url) {
  Rig rig(url);
  rig.account("Claire", server::Role::coordinator);
  rig.account("Victor", server::Role::viewer);
  Browser claire{rig}, victor{rig};
  REQUIRE(claire.login("Claire").status == 303);
  REQUIRE(victor.login("Victor").status == 303);

  // --- roles: a viewer neither creates nor changes -------------------------------------------
  auto r = victor.send("GET", "/office/votes");
  CHECK(r.status == 200);
  CHECK_FALSE(has(r, "/office/vote/new"));
  CHECK(victor.send("GET", "/office/vote/new").status == 403);
  CHECK(victor.post("/office/vote/save", good_draft()).status == 403);
  CHECK(rig.store->votes().empty());

  r = claire.send("GET", "/office/votes");
  CHECK(r.status == 200);
  CHECK(has(r, "href=\"/office/votes\""));  // in the navigation
  r = claire.send("GET", "/office/vote/new");
  REQUIRE(r.status == 200);
  CHECK(has(r, "name=\"envelope.gare\""));

  // --- CSRF: refused, nothing saved ----------------------------------------------------------
  {
    std::string body;
    for (const auto& [k, v] : good_draft()) body += form_escape(k) + "=" + form_escape(v) + "&";
    CHECK(claire.send("POST", "/office/vote/save", body).status == 403);
    CHECK(claire.send("POST", "/office/vote/save", body + "csrf=" + claire.csrf, {{"origin", "https://evil.example"}}).status == 403);
    CHECK(rig.store->votes().empty());
  }

  // --- bad fields: each named in French, nothing saved ---------------------------------------
  struct Bad {
    std::map<std::string, std::string> change;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {{{"p1.cost", "douze mille"}},
       "Projet 2 («" + kNb + "Un parc" + kNb + "»)" + kNb + ": le coût «" + kNb + "douze mille" + kNb + "» n’est pas un nombre entier d’euros."},
      {{{"opens", "2027-06-01"}, {"closes", "2027-01-31"}}, "Dates" + kNb + ": la clôture (31/01/2027) précède l’ouverture (01/06/2027)."},
      {{{"closes", "bientôt"}}, "Clôture" + kNb + ": indiquez une date"},
      {{{"rule", "approval"}, {"min_projects", "3"}, {"max_projects", "2"}}, "le minimum (3) dépasse le maximum (2)."},
      {{{"envelope.", ""}, {"envelope.gare", ""}}, "Enveloppes" + kNb + ": indiquez au moins un montant"},
      {{{"envelope.", ""}}, "Projet 1 («" + kNb + "Des bancs" + kNb + "»)" + kNb + ": aucune enveloppe pour «" + kNb + "Toute la ville"},
      {{{"envelope.gare", "-5"}}, "Enveloppe «" + kNb + "Quartier de la Gare" + kNb + "»" + kNb + ": «" + kNb + "-5" + kNb + "» n’est pas un montant en euros."},
      {{{"p0.title", ""}}, "Projet 1" + kNb + ": le titre manque"},
      {{{"min_share", "150"}}, "Part minimale de l’enveloppe"},
      {{{"title", " "}}, "Titre" + kNb + ": obligatoire"},
  };
  for (const auto& b : bad) {
    auto fields = good_draft();
    for (const auto& [k, v] : b.change) fields[k] = v;
    INFO(b.says);
    r = claire.post("/office/vote/save", fields);
    CHECK(r.status == 400);
    CHECK(has(r, as_html(b.says)));
    if (!b.change.count("title")) CHECK(has(r, "value=\"Budget des quartiers 2027\""));  // what was typed is kept

  }
  CHECK(rig.store->votes().empty());
  CHECK(rig.audits("vote.create") == 0);

  // --- « ajouter un projet » and « reprendre les idées » re-render, save nothing ---------------
  auto fields = good_draft();
  fields["action"] = "add_project";
  r = claire.post("/office/vote/save", fields);
  CHECK(r.status == 200);
  CHECK(has(r, "name=\"p3.title\""));
  rig.idea_put_to_vote("Une fontaine au centre", "centre", 15000);
  fields["action"] = "from_ideas";
  r = claire.post("/office/vote/save", fields);
  CHECK(r.status == 200);
  CHECK(has(r, "value=\"Une fontaine au centre\""));
  CHECK(has(r, "value=\"15000\""));
  fields["projects"] = "4";  // the row as the page now holds it
  fields["p3.title"] = "Une fontaine au centre";
  fields["p3.cost"] = "15000";
  r = claire.post("/office/vote/save", fields);  // taken once only
  CHECK(has(r, "Aucune nouvelle idée"));
  CHECK(rig.store->votes().empty());

  // --- saved, then opened --------------------------------------------------------------------
  fields = good_draft();
  fields["projects"] = "4";
  fields["p3.title"] = "Une fontaine au centre";
  fields["p3.cost"] = "15000";
  fields["p3.quartier"] = "centre";
  r = claire.post("/office/vote/save", fields);
  REQUIRE(r.status == 303);
  const auto votes = rig.store->votes();
  REQUIRE(votes.size() == 1);
  const std::string id = votes[0].vote.id;
  CHECK(id == "budget-des-quartiers-2027");
  CHECK(votes[0].stage == server::VoteStage::draft);
  CHECK(votes[0].vote.projects.size() == 4);
  CHECK(votes[0].vote.projects[0].cost_eur == 20000);
  CHECK(votes[0].vote.envelopes[0].amount_eur == 100000);
  CHECK(rig.audits("vote.create") == 1);
  CHECK(server::merge_catalogs(rig.store->catalogs()).catalog.find_vote(id) == nullptr);  // a draft is not on devices

  // Edited: the fountain removed (its row ticked), the ids kept.
  r = claire.send("GET", "/office/vote?id=" + id);
  REQUIRE(r.status == 200);
  CHECK(has(r, "name=\"p3.title\" maxlength=\"160\" value=\"Une fontaine au centre\""));
  fields["id"] = id;
  fields["p0.id"] = votes[0].vote.projects[0].id;
  fields["p1.id"] = votes[0].vote.projects[1].id;
  fields["p2.id"] = votes[0].vote.projects[2].id;
  fields["p3.id"] = votes[0].vote.projects[3].id;
  fields["p3.remove"] = "1";
  REQUIRE(claire.post("/office/vote/save", fields).status == 303);
  const core::Vote draft = rig.store->vote(id)->vote;
  CHECK(draft.projects.size() == 3);
  CHECK(rig.audits("vote.edit") == 1);

  CHECK(victor.post("/office/vote/open", {{"id", id}}).status == 403);
  REQUIRE(claire.post("/office/vote/open", {{"id", id}}).status == 303);
  CHECK(rig.store->vote(id)->stage == server::VoteStage::open);
  const core::Vote* published = nullptr;
  const auto catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  published = catalog.find_vote(id);
  REQUIRE(published);
  CHECK(published->state == core::VoteState::open);
  CHECK(rig.audits("vote.open") == 1);
  // The draft's address kept from before ("done=saved") shows the vote as it is now: open.
  r = claire.send("GET", "/office/vote?id=" + id + "&done=saved");
  CHECK_FALSE(has(r, "Brouillon enregistré"));
  CHECK(has(r, "<p class=\"lead\">ouvert · "));
  CHECK(has(claire.send("GET", "/office/vote?id=" + id + "&done=opened"), "Vote ouvert"));
  // Open: its projects no longer change; opening twice is refused.
  CHECK(claire.post("/office/vote/save", fields).status == 409);
  CHECK(claire.post("/office/vote/open", {{"id", id}}).status == 409);
  CHECK(rig.audits("vote.open") == 1);

  // --- ballots from two devices; P2 votes on both ------------------------------------------
  const core::Vote vote = rig.store->vote(id)->vote;
  const std::string banc = vote.projects[0].id, parc = vote.projects[1].id, abri = vote.projects[2].id;
  const auto [second, second_token] = rig.enrol("Borne <mairie>");
  const std::int64_t t = rig.clock.now().utc_ms - 3'600'000;
  struct Cast {
    const core::Uuid* device;
    std::int64_t at;
    std::string pass;
    std::vector<std::string> projects;
    std::string receipt;
  };
  const std::vector<Cast> cast = {
      {&rig.device, t, "P1P1P1P1P1", {parc}, "AAAA0001"},        {&rig.device, t + 5000, "P2P2P2P2P2", {parc}, "AAAA0002"},
      {&rig.device, t + 6000, "P3P3P3P3P3", {abri}, "AAAA0003"}, {&second, t + 1000, "P2P2P2P2P2", {banc, abri}, "BBBB0001"},
      {&second, t + 2000, "P4P4P4P4P4", {banc}, "BBBB0002"},     {&second, t + 3000, "P5P5P5P5P5", {banc, abri}, "BBBB0003"},
  };
  std::vector<std::string> first, other;
  for (const auto& c : cast) (c.device == &rig.device ? first : other).push_back(rig.ballot(vote, *c.device, c.at, c.pass, c.projects, c.receipt));
  rig.send(rig.device, rig.token, first);
  rig.send(second, second_token, other);

  // The independent count: each pass's earliest ballot, its projects' votes.
  std::map<std::string, const Cast*> earliest;
  for (const auto& c : cast)
    if (!earliest.count(c.pass) || earliest[c.pass]->at > c.at) earliest[c.pass] = &c;
  std::map<std::string, std::int64_t> expected;
  for (const auto& [pass, c] : earliest)
    for (const auto& project : c->projects) ++expected[project];
  CHECK(expected[banc] == 3);  // the checks below compare with this map, not with these numbers

  // The viewer sees the count and participation, not the flagged ballots, forms or exports.
  r = victor.send("GET", "/office/vote?id=" + id);
  REQUIRE(r.status == 200);
  CHECK(has(r, "Bulletins comptés" + kNb + ": <strong>" + std::to_string(earliest.size()) + "</strong>"));
  CHECK(has(r, "Borne &lt;mairie&gt;"));
  CHECK_FALSE(has(r, "Bulletins signalés"));
  CHECK_FALSE(has(r, "/office/vote/close"));
  CHECK_FALSE(has(r, "/office/vote/export"));
  CHECK(victor.send("GET", "/office/vote/export?format=csv&id=" + id).status == 403);

  r = claire.send("GET", "/office/vote?id=" + id);
  REQUIRE(r.status == 200);
  CHECK(has(r, "Bulletins signalés"));
  CHECK(has(r, "<code>AAAA-0002</code></td><td>Tablette 1</td>"));  // the later ballot, with both devices
  CHECK(has(r, "<td>Borne &lt;mairie&gt;</td>"));
  // The tie at the Gare? abri has 3 there (P2, P3, P5): alone. Town-wide banc 3, parc 1: no tie.
  r = claire.send("GET", "/office/vote?id=" + id + "&receipt=aaaa-0002");
  CHECK(has(r, "non compté"));
  r = claire.send("GET", "/office/vote?id=" + id + "&receipt=bbbb%200001");
  CHECK(has(r, "correspond à un bulletin compté"));
  r = claire.send("GET", "/office/vote?id=" + id + "&receipt=ZZZZ-ZZZZ");
  CHECK(has(r, "est inconnu ici"));

  // --- the CSV: the page's count as a file, compared with the count made here ---------------
  r = claire.send("GET", "/office/vote/export?format=csv&id=" + id);
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "text/csv; charset=utf-8");
  REQUIRE(r.body.rfind("\xEF\xBB\xBF", 0) == 0);
  std::map<std::string, std::int64_t> in_csv;
  std::istringstream lines(r.body.substr(3));
  std::string line;
  std::getline(lines, line);
  CHECK(line.rfind("Enveloppe;Montant de l’enveloppe (€);Rang;Projet;Identifiant;Coût (€);Voix;Lauréat", 0) == 0);
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ';');) cells.push_back(cell);
    REQUIRE(cells.size() == 8);
    in_csv[cells[4]] = std::stoll(cells[6]);
  }
  for (const auto& p : vote.projects) {
    INFO(p.id);
    CHECK(in_csv[p.id] == expected[p.id]);
  }
  r = claire.send("GET", "/office/vote/export?format=xlsx&id=" + id);
  REQUIRE(r.status == 200);
  CHECK(r.body.rfind("PK", 0) == 0);
  CHECK(claire.send("GET", "/office/vote/export?format=pdf&id=" + id).status == 400);
  CHECK(rig.audits("vote.export") == 2);

  // --- closed, results published to devices --------------------------------------------------
  CHECK(claire.post("/office/vote/publish", {{"id", id}}).status == 409);  // not closed yet
  REQUIRE(claire.post("/office/vote/close", {{"id", id}}).status == 303);
  CHECK(rig.audits("vote.close") == 1);
  REQUIRE(claire.post("/office/vote/publish", {{"id", id}}).status == 303);
  CHECK(rig.audits("vote.results.publish") == 1);
  const auto record = rig.store->vote(id);
  CHECK(record->results_published_ms > 0);
  const auto closed = server::merge_catalogs(rig.store->catalogs()).catalog;
  REQUIRE(closed.find_vote(id));
  REQUIRE(closed.find_vote(id)->results);
  CHECK(closed.find_vote(id)->results->counted == static_cast<std::int64_t>(earliest.size()));
  r = victor.send("GET", "/office/vote?id=" + id);
  CHECK(has(r, "Résultats publiés le"));
  CHECK(victor.send("GET", "/office/vote?id=nothing").status == 404);
}

}  // namespace

TEST_CASE("console votes on SQLite: draft refused in French, opened, counted as the ballots say, exported, published") {
  test::TempDir dir;
  run_suite((dir.path() / "votes.db").string());
}

TEST_CASE("console votes on PostgreSQL: the same") {
  test::PgInstance pg;
  run_suite(pg.create_database("console_votes"));
}

TEST_CASE("console votes: a tie is explained in a sentence") {
  test::TempDir dir;
  Rig rig((dir.path() / "tie.db").string());
  rig.account("Claire", server::Role::coordinator);
  Browser claire{rig};
  REQUIRE(claire.login("Claire").status == 303);
  claire.send("GET", "/office/vote/new");
  auto fields = good_draft();
  fields["envelope.gare"] = "";
  fields["p2.quartier"] = "";
  fields["p1.cost"] = "20000";  // bancs and parc cost the same: the list's order decides
  REQUIRE(claire.post("/office/vote/save", fields).status == 303);
  const std::string id = rig.store->votes()[0].vote.id;
  REQUIRE(claire.post("/office/vote/open", {{"id", id}}).status == 303);
  const core::Vote vote = rig.store->vote(id)->vote;
  const std::int64_t t = rig.clock.now().utc_ms - 60'000;
  rig.send(rig.device, rig.token,
           {rig.ballot(vote, rig.device, t, "AAAAAAAAAA", {vote.projects[1].id}, "CCCC0001"),
            rig.ballot(vote, rig.device, t + 1, "BBBBBBBBBB", {vote.projects[0].id}, "CCCC0002"),
            rig.ballot(vote, rig.device, t + 2, "CCCCCCCCCC", {vote.projects[2].id}, "CCCC0003")});
  const auto r = claire.send("GET", "/office/vote?id=" + id);
  CHECK(has(r, as_html("«" + kNb + "Des bancs" + kNb + "» et «" + kNb + "Un parc" + kNb + "» ont chacun 1 voix et le même coût" + kNb +
                       ": «" + kNb + "Des bancs" + kNb + "» passe devant parce qu’il vient avant dans la liste des projets.")));
}
