// Ideas under review over both databases: rows made at ingest with their receipt codes, the
// whole way from reçue to réalisée, refusals that write nothing, a valuator's reach, merges
// whose receipt code finds the kept idea's outcome, milestones, the audit log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "allervers/core/receipt.hpp"
#include "allervers/passes/outcome_keys.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"
#include "office_fixture.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using core::IdeaState;
using server::IdeaError;
using server::Reach;
using server::Reviewer;

namespace {

const Reviewer kCoordinator{{"Claire", "10.0.0.5"}, Reach::all};
const Reviewer kVoirie{{"Service voirie", "10.0.0.9"}, Reach::assigned};

core::ReviewChange change(IdeaState to) {
  core::ReviewChange c;
  c.to = to;
  return c;
}

// What the store holds of every idea, as text: equal before and after means nothing changed.
std::string ideas_snapshot(server::ServerStore& store) {
  std::string out;
  for (const auto& i : store.ideas({}, 100'000))
    out += i.id + core::to_string(i.state) + i.assignee + i.public_answer + i.merged_into + std::to_string(i.updated_ms) + "\n";
  return out;
}

std::string refusal(const std::function<void()>& act) {
  try {
    act();
  } catch (const IdeaError& e) {
    return e.field() + ": " + e.what();
  }
  return "";
}

void exercise_ideas(test::ApiRig& rig) {
  auto& store = *rig.store;
  const auto data = test::send_varied_captures(rig, 90);
  const auto now = rig.clock.now();

  // Every idea sent has a row, "reçue", with the code the device showed.
  std::vector<const test::SentCapture*> ideas;
  for (const auto& s : data.sent)
    if (s.capture.idea()) ideas.push_back(&s);
  REQUIRE(ideas.size() >= 10);
  CHECK(store.idea_count({}) == static_cast<std::int64_t>(ideas.size()));
  for (const auto* s : ideas) {
    const auto row = store.idea(s->capture.id.str());
    REQUIRE(row);
    CHECK(row->receipt == core::receipt_code(s->capture.id));
    CHECK(row->state == IdeaState::recue);
    CHECK(row->title == s->capture.idea()->title);
    CHECK(row->contact_consent == (s->capture.idea()->contact && s->capture.idea()->contact->consent));
  }
  CHECK(store.shared_receipts().empty());

  const std::string a = ideas[0]->capture.id.str(), b = ideas[1]->capture.id.str(), c = ideas[2]->capture.id.str();

  // A skipped state, an unknown reason, a missing explanation: refused, nothing written.
  const std::string before = ideas_snapshot(store);
  const auto audit_before = store.audit_entries({}, 1000).size();
  auto faisable = change(IdeaState::faisable);
  faisable.public_answer = "Oui";
  CHECK(refusal([&] { server::review_idea(store, a, faisable, kCoordinator, now); }) ==
        "to: Une idée « reçue » ne peut pas devenir directement « faisable » : elle doit d’abord être « recevable » puis « en étude ».");
  auto refused = change(IdeaState::non_recevable);
  refused.reason = "pas-dans-la-liste";
  CHECK(refusal([&] { server::review_idea(store, a, refused, kCoordinator, now); }).rfind("reason: ", 0) == 0);
  CHECK(refusal([&] { server::review_idea(store, "00000000-0000-7000-8000-000000000000", change(IdeaState::recevable), kCoordinator, now); })
            .rfind("idea: ", 0) == 0);
  CHECK(ideas_snapshot(store) == before);
  CHECK(store.audit_entries({}, 1000).size() == audit_before);

  // The whole way, one step at a time; the valuator answers the idea assigned to it.
  server::review_idea(store, a, change(IdeaState::recevable), kCoordinator, now);
  auto study = change(IdeaState::en_etude);
  study.assignee = "Service voirie";
  study.estimated_cost_eur = 15'000;
  study.notes = "Voir le plan de circulation.";
  server::review_idea(store, a, study, kCoordinator, now);
  CHECK(server::may_see(kVoirie, *store.idea(a)));
  CHECK_FALSE(server::may_see(kVoirie, *store.idea(b)));
  // Out of reach reads as unknown; a valuator cannot do a coordinator's steps.
  CHECK(refusal([&] { server::review_idea(store, b, change(IdeaState::recevable), kVoirie, now); }) ==
        "idea: Cette idée n’existe pas ou ne vous est pas confiée.");
  CHECK(refusal([&] { server::merge_ideas(store, b, a, kVoirie, now); }).rfind("idea: ", 0) == 0);
  auto answer = change(IdeaState::faisable);
  CHECK(refusal([&] { server::review_idea(store, a, answer, kVoirie, now); }).rfind("public_answer: ", 0) == 0);
  answer.public_answer = "Le service peut poser deux bancs et planter trois arbres.";
  answer.estimated_cost_eur = 18'000;
  server::review_idea(store, a, answer, kVoirie, now);
  CHECK(refusal([&] { server::review_idea(store, a, change(IdeaState::soumise_au_vote), kVoirie, now); }).rfind("to: ", 0) == 0);
  for (auto s : {IdeaState::soumise_au_vote, IdeaState::laureate}) server::review_idea(store, a, change(s), kCoordinator, now);
  CHECK(refusal([&] { server::add_milestone(store, a, "2027-03-01", "Début du chantier", "", kCoordinator, now); }).rfind("milestone: ", 0) == 0);
  server::review_idea(store, a, change(IdeaState::en_travaux), kCoordinator, now);
  CHECK(server::add_milestone(store, a, "2027-03-01", "Début du chantier", "", kCoordinator, now) == 1);
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  CHECK(server::add_milestone(store, a, "2027-05-20", "Bancs posés", png, kCoordinator, now) == 2);
  CHECK(refusal([&] { server::add_milestone(store, a, "2027-05-21", "x", "GIF89a", kCoordinator, now); }).rfind("photo: ", 0) == 0);
  server::review_idea(store, a, change(IdeaState::realisee), kCoordinator, now);
  const auto done = store.idea(a);
  REQUIRE(done);
  CHECK(done->state == IdeaState::realisee);
  CHECK(done->assignee == "Service voirie");
  CHECK(done->estimated_cost_eur == 18'000);
  CHECK(done->notes == "Voir le plan de circulation.");
  CHECK(done->public_answer == answer.public_answer);
  CHECK(refusal([&] { server::review_idea(store, a, change(IdeaState::en_travaux), kCoordinator, now); }).find("réponse finale") !=
        std::string::npos);

  // Non recevable: the reason's label is the public answer.
  auto no = change(IdeaState::non_recevable);
  no.reason = "deja_prevu";
  no.reason_text = "La rue est refaite en 2027.";
  server::review_idea(store, c, no, kCoordinator, now);
  const auto c_outcome = store.ideas_by_receipt(store.idea(c)->receipt);
  REQUIRE(c_outcome.size() == 1);
  CHECK(c_outcome[0].state == IdeaState::non_recevable);
  CHECK(c_outcome[0].public_answer == "Déjà prévu ou en cours par la commune — La rue est refaite en 2027.");

  // Merging b into a: b's code finds a's outcome and milestones, b's author and capture stay.
  CHECK(refusal([&] { server::merge_ideas(store, a, a, kCoordinator, now); }).rfind("into: ", 0) == 0);
  server::merge_ideas(store, b, a, kCoordinator, now);
  CHECK(refusal([&] { server::merge_ideas(store, b, c, kCoordinator, now); }).rfind("idea: ", 0) == 0);
  CHECK(refusal([&] { server::merge_ideas(store, c, b, kCoordinator, now); }).rfind("into: ", 0) == 0);
  CHECK(refusal([&] { server::review_idea(store, b, change(IdeaState::recevable), kCoordinator, now); }).find("fusionnée") !=
        std::string::npos);
  const auto b_row = store.idea(b);
  const auto outcome = store.ideas_by_receipt(b_row->receipt);
  REQUIRE(outcome.size() == 1);
  CHECK(outcome[0].title == b_row->title);
  CHECK(outcome[0].merged_into_title == done->title);
  CHECK(outcome[0].state == IdeaState::realisee);
  CHECK(outcome[0].public_answer == answer.public_answer);
  REQUIRE(outcome[0].milestones.size() == 2);
  CHECK(outcome[0].milestones[1].photo_type == "image/png");
  CHECK(store.ideas_by_receipt("0000-0000").empty());
  CHECK(store.idea_count({}) == static_cast<std::int64_t>(ideas.size()));  // nothing lost by merging

  // What devices receive (GET /api/v1/outcomes): each idea's outcome as its code finds it, under
  // its outcome key, with the milestones' texts (not their photos), nothing internal.
  const auto all = store.idea_outcomes();
  CHECK(all.size() == ideas.size());
  // In the order the ideas arrived, ties (a batch's ideas share their arrival) by id: the
  // document's bytes, and so its ETag, do not depend on how the database returns rows.
  {
    std::vector<std::pair<std::int64_t, std::string>> arrived;
    for (const auto& row : store.ideas({}, 1000)) arrived.emplace_back(row.received_ms, row.id);
    std::sort(arrived.begin(), arrived.end());
    REQUIRE(arrived.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].receipt == store.idea(arrived[i].second)->receipt);
  }
  for (const auto& o : all) {
    const auto one = store.ideas_by_receipt(o.receipt);
    REQUIRE(one.size() == 1);
    CHECK(o.title == one[0].title);
    CHECK(o.state == one[0].state);
    CHECK(o.public_answer == one[0].public_answer);
    CHECK(o.merged_into_title == one[0].merged_into_title);
    REQUIRE(o.milestones.size() == one[0].milestones.size());
    for (std::size_t m = 0; m < o.milestones.size(); ++m) {
      CHECK(o.milestones[m].text == one[0].milestones[m].text);
      CHECK(o.milestones[m].photo.empty());
    }
  }
  auto r = rig.api.handle(test::ApiRig::get("/api/v1/outcomes", rig.token));
  REQUIRE(r.status == 200);
  const auto sent = sync::protocol::decode_outcomes(r.body);
  REQUIRE(sent.ideas.size() == ideas.size());
  const auto kept = std::find_if(sent.ideas.begin(), sent.ideas.end(),
                                 [&](const auto& e) { return e.key == passes::idea_outcome_key(b_row->receipt); });
  REQUIRE(kept != sent.ideas.end());
  CHECK(kept->state == "realisee");
  CHECK(kept->merged_into == done->title);
  CHECK(kept->answer == answer.public_answer);
  REQUIRE(kept->milestones.size() == 2);
  CHECK(kept->milestones[0].text == "Début du chantier");
  for (const auto* s : ideas) CHECK(r.body.find(core::receipt_code(s->capture.id)) == std::string::npos);  // never a code in clear
  CHECK(r.body.find("Voir le plan de circulation.") == std::string::npos);  // internal notes stay at the office
  CHECK(r.body.find("Service voirie") == std::string::npos);

  // For the vote: the ideas "faisable" not merged.
  const std::string d = ideas[3]->capture.id.str();
  server::review_idea(store, d, change(IdeaState::recevable), kCoordinator, now);
  server::review_idea(store, d, study, kCoordinator, now);
  server::review_idea(store, d, answer, kCoordinator, now);
  const auto votable = store.ideas_in_states({IdeaState::faisable, IdeaState::soumise_au_vote}, "");
  REQUIRE(votable.size() == 1);
  CHECK(votable[0].id == d);

  // Every change is in the audit log, with who and from where.
  server::AuditFilter f;
  f.action = "idea.";
  const auto lines = store.audit_entries(f, 1000);
  CHECK(lines.size() == 14);  // a: 7 changes + 2 milestones; c: 1; b: 1 merge; d: 3
  bool valuator_line = false;
  for (const auto& l : lines)
    if (l.actor == "Service voirie" && l.action == "idea.review" && l.detail.find("to=faisable") != std::string::npos &&
        l.client == "10.0.0.9")
      valuator_line = true;
  CHECK(valuator_line);
}

// GET /api/v1/outcomes is built again only when the count of changes to its five tables has
// moved (schema step 17). The count moves at every write to them, from any connection (another
// server, a command); a write the document does not show leaves it byte for byte (a 304); one
// it shows is in the next answer.
void outcomes_follow_every_change(const std::string& url) {
  test::ApiRig rig(url);
  auto& store = *rig.store;
  const auto data = test::send_varied_captures(rig, 30);
  std::string etag, body;
  auto fetch = [&] {
    const auto r = rig.api.handle(test::ApiRig::get("/api/v1/outcomes", rig.token, etag));
    if (r.status == 200) {
      body = r.body;
      etag = r.headers.at("ETag");
    }
    return r.status;
  };
  REQUIRE(fetch() == 200);
  CHECK(fetch() == 304);
  const std::string first = body;

  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  auto db = sqlite ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
  const std::vector<std::string> writes = {
      "INSERT INTO ideas(id, receipt, consultation, neighbourhood, theme, title, description, received_ms, contact_consent, state, "
      "reason, reason_text, assignee, notes, public_answer, updated_ms) "
      "VALUES('idee-essai', 'ABCD-EFGH', 'c', '', '', 'Un banc', '', 1, 0, 'recue', '', '', '', '', '', 1)",
      "UPDATE ideas SET title = 'Deux bancs' WHERE id = 'idee-essai'",
      "INSERT INTO idea_milestones(idea, n, day, text, photo_type, photo, added_ms) VALUES('idee-essai', 1, '2027-01-02', 'Posé', '', '', 1)",
      "UPDATE idea_milestones SET text = 'Posés' WHERE idea = 'idee-essai'",
      "DELETE FROM idea_milestones WHERE idea = 'idee-essai'",
      "DELETE FROM ideas WHERE id = 'idee-essai'",
      "INSERT INTO idea_reasons(id, label, position) VALUES('essai', 'Essai', 99)",
      "UPDATE idea_reasons SET label = 'Un essai' WHERE id = 'essai'",
      "DELETE FROM idea_reasons WHERE id = 'essai'",
      "INSERT INTO votes(id, json, stage, created_ms, updated_ms) VALUES('vote-essai', '{}', 'draft', 1, 1)",
      "UPDATE votes SET updated_ms = 2 WHERE id = 'vote-essai'",
      "INSERT INTO ballots(capture, vote, voter, receipt, device, channel, paper, corrected_ms, projects) "
      "VALUES('bulletin-essai', 'vote-essai', 'v', 'r', 'd', 'kiosk', 0, 1, '[]')",
      "UPDATE ballots SET receipt = 'r2' WHERE capture = 'bulletin-essai'",
      "DELETE FROM ballots WHERE capture = 'bulletin-essai'",
      "DELETE FROM votes WHERE id = 'vote-essai'"};
  for (const auto& sql : writes) {
    INFO(sql);
    const auto before = store.document_changes("outcomes");
    db->exec(sql);
    CHECK(store.document_changes("outcomes") > before);
  }
  // All undone: built again, the same bytes, so the device's copy still holds.
  CHECK(fetch() == 304);
  CHECK(body == first);

  // Written by another connection, as another server would: in the next answer.
  const auto idea = std::find_if(data.sent.begin(), data.sent.end(), [](const auto& s) { return s.capture.idea() != nullptr; });
  REQUIRE(idea != data.sent.end());
  const std::string id = idea->capture.id.str();
  db->exec("UPDATE ideas SET title = 'Un titre changé ailleurs' WHERE id = $1", {id});
  CHECK(fetch() == 200);
  CHECK(body.find("Un titre changé ailleurs") != std::string::npos);
  CHECK(fetch() == 304);
  // Through the office's own functions: a review, then a merge.
  auto no = change(IdeaState::non_recevable);
  no.reason = "deja_prevu";
  server::review_idea(store, id, no, kCoordinator, rig.clock.now());
  CHECK(fetch() == 200);
  CHECK(body.find("non_recevable") != std::string::npos);
  CHECK(fetch() == 304);
  // A new idea at ingest: its outcome key is there at once.
  core::Capture fresh = idea->capture;
  fresh.id = rig.ids.next(rig.clock.now().utc_ms);
  fresh.device = rig.device;
  const auto sent = rig.send_batch(rig.batch({{1000, core::canonical_json(fresh)}}));
  REQUIRE(sent.status == 200);
  CHECK(fetch() == 200);
  CHECK(body.find(passes::idea_outcome_key(core::receipt_code(fresh.id))) != std::string::npos);
  CHECK(fetch() == 304);
}

// The documents every device fetches go gzipped to a device that takes gzip (Accept-Encoding):
// the same bytes once inflated, an ETag of their own, and a 304 for either ETag.
void documents_go_gzipped(const std::string& url) {
  test::ApiRig rig(url);
  (void)test::send_varied_captures(rig, 30);
  for (const char* path : {"/api/v1/outcomes", "/api/v1/catalog", "/api/v1/passes"}) {
    INFO(path);
    const auto plain = rig.api.handle(test::ApiRig::get(path, rig.token));
    REQUIRE(plain.status == 200);
    CHECK(plain.headers.count("Content-Encoding") == 0);
    CHECK(plain.headers.at("Vary") == "Accept-Encoding");
    auto asking = [&](const std::string& accept) {
      auto r = test::ApiRig::get(path, rig.token);
      r.headers["accept-encoding"] = accept;
      return r;
    };
    const auto zipped = rig.api.handle(asking("deflate, gzip;q=0.8, br"));
    REQUIRE(zipped.status == 200);
    if (plain.body.size() < sync::tuning::gzip_min_bytes) {  // too short to be worth it
      CHECK(zipped.body == plain.body);
      CHECK(zipped.headers.count("Content-Encoding") == 0);
      continue;
    }
    CHECK(zipped.headers.at("Content-Encoding") == "gzip");
    CHECK(zipped.headers.at("Vary") == "Accept-Encoding");
    CHECK(zipped.body.size() * 2 < plain.body.size());
    CHECK(sync::protocol::gzip_decompress(zipped.body, std::size_t{1} << 26) == plain.body);
    const std::string gz_etag = zipped.headers.at("ETag");
    CHECK(gz_etag != plain.headers.at("ETag"));
    for (const std::string& held : {gz_etag, plain.headers.at("ETag")}) {  // either is the document held
      auto again = asking("gzip");
      again.headers["if-none-match"] = held;
      const auto r = rig.api.handle(again);
      CHECK(r.status == 304);
      CHECK(r.body.empty());
      CHECK(r.headers.at("ETag") == gz_etag);
    }
    for (const char* refused : {"gzip;q=0", "identity", "br, deflate", "GZIP; Q=0.000", "x-gzip", "", "gzip;q=0, *",
                                "*;q=0", "gzip;q=abc", "gzip;q="}) {
      INFO(refused);
      const auto r = rig.api.handle(asking(refused));
      CHECK(r.headers.count("Content-Encoding") == 0);
      CHECK(r.body == plain.body);
      CHECK(r.headers.at("ETag") == plain.headers.at("ETag"));
    }
    for (const char* taken : {"GZIP", "*", "br;q=1, *;q=0.1", " gzip ; q=1.0 ", "*;q=0, gzip", "gzip;level=1"}) {
      INFO(taken);
      const auto r = rig.api.handle(asking(taken));
      CHECK(r.headers.count("Content-Encoding") == 1);
      CHECK(r.body == zipped.body);
    }
  }
}

}  // namespace

TEST_CASE("ideas: devices asking together for a changed outcomes document get one build between them") {
  test::TempDir dir;
  test::ApiRig rig("sqlite:" + (dir.path() / "together.db").string());
  const auto data = test::send_varied_captures(rig, 30);
  const auto idea = std::find_if(data.sent.begin(), data.sent.end(), [](const auto& s) { return s.capture.idea() != nullptr; });
  REQUIRE(idea != data.sent.end());
  for (int round = 0; round < 3; ++round) {
    INFO(round);
    const auto before = rig.api.documents_built();
    std::atomic<int> answered{0};
    std::mutex seen;
    std::set<std::string> etags;
    std::vector<std::thread> devices;
    for (int d = 0; d < 8; ++d)
      devices.emplace_back([&] {
        const auto r = rig.api.handle(test::ApiRig::get("/api/v1/outcomes", rig.token));
        if (r.status != 200) return;
        ++answered;
        std::lock_guard lock(seen);
        etags.insert(r.headers.at("ETag"));
      });
    for (auto& t : devices) t.join();
    CHECK(answered == 8);
    CHECK(etags.size() == 1);
    CHECK(rig.api.documents_built() - before == 1);
    // A new idea: the next ones build once more.
    core::Capture fresh = idea->capture;
    fresh.id = rig.ids.next(rig.clock.now().utc_ms);
    fresh.device = rig.device;
    const auto sent = rig.send_batch(rig.batch({{1000 + round, core::canonical_json(fresh)}}));
    REQUIRE(sent.status == 200);
  }
}

TEST_CASE("ideas: the documents devices fetch go gzipped to those that take it, on SQLite and PostgreSQL") {
  test::TempDir dir;
  documents_go_gzipped("sqlite:" + (dir.path() / "z.db").string());
  test::PgInstance pg;
  documents_go_gzipped(pg.create_database("gzipped"));
}

TEST_CASE("ideas: review, reach, merges, milestones and receipts on SQLite") {
  test::TempDir dir;
  test::ApiRig rig("sqlite:" + (dir.path() / "s.db").string());
  exercise_ideas(rig);
}

TEST_CASE("ideas: review, reach, merges, milestones and receipts on PostgreSQL") {
  test::PgInstance pg;
  test::ApiRig rig(pg.create_database("ideas"));
  exercise_ideas(rig);
}

TEST_CASE("ideas: ideas stored before the review existed get their rows when the server starts") {
  test::TempDir dir;
  const std::string url = "sqlite:" + (dir.path() / "s.db").string();
  std::vector<std::string> ids;
  {
    test::ApiRig rig(url);
    for (const auto& s : test::send_varied_captures(rig, 40).sent)
      if (s.capture.idea()) ids.push_back(s.capture.id.str());
  }
  REQUIRE(!ids.empty());
  // Once derived, the store does not look again (schema step 16): a second opening reads no capture.
  server::sql::open_sqlite(url.substr(7))->exec("DELETE FROM ideas");
  CHECK(server::open_store(url)->idea_count({}) == 0);
  // As a database from before that step: no row says it was done. Opening derives them, once.
  server::sql::open_sqlite(url.substr(7))->exec("DELETE FROM derivations");
  auto store = server::open_store(url);  // migrate() derives the missing rows
  CHECK(store->idea_count({}) == static_cast<std::int64_t>(ids.size()));
  for (const auto& id : ids) CHECK(store->idea(id)->receipt == core::receipt_code(*core::Uuid::parse(id)));
  CHECK(store->derive_missing_ideas() == 0);
}

TEST_CASE("ideas: a valuator reaches only its assigned ideas, and nothing else of the console") {
  using server::Permission;
  using server::Role;
  CHECK(server::reach(Role::valuator, Permission::review_ideas) == Reach::assigned);
  CHECK(server::reach(Role::coordinator, Permission::review_ideas) == Reach::all);
  CHECK(server::reach(Role::viewer, Permission::review_ideas) == Reach::none);
  for (auto p : {Permission::read_captures, Permission::export_captures, Permission::open_contacts, Permission::manage_devices,
                 Permission::manage_users, Permission::read_audit, Permission::follow_attendance})
    CHECK(server::reach(Role::valuator, p) == Reach::none);
  CHECK(server::role_named("valuator") == Role::valuator);
  CHECK(std::string(server::to_string(Role::valuator)) == "valuator");
}

TEST_CASE("ideas: the outcomes document follows every change to what it shows, on SQLite and PostgreSQL") {
  test::TempDir dir;
  outcomes_follow_every_change("sqlite:" + (dir.path() / "o.db").string());
  test::PgInstance pg;
  outcomes_follow_every_change(pg.create_database("outcomes"));
}
