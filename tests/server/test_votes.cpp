// Votes on the server: a draft saved and published to devices in the catalog, ballots from
// two devices through the API, one vote per voter across devices (the first counted, the later
// flagged with both devices), the count, receipts — on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "allervers/core/consultation.hpp"
#include "allervers/passes/outcome_keys.hpp"
#include "allervers/passes/voter.hpp"
#include "allervers/server/vote_admin.hpp"
#include "pg_instance.hpp"
#include "server_fixture.hpp"

using namespace allervers;
using nlohmann::json;

namespace {

core::Vote small_vote() {
  return core::parse_vote(json::parse(R"({"id": "quartiers-2027", "title": {"fr": "Vote 2027"}, "opens": "2024-01-01",
    "closes": "2099-12-31", "rule": "budget", "min_share_percent": 0, "voter_key": ")" + std::string(64, '0') + R"(",
    "envelopes": [{"amount_eur": 100000}, {"neighbourhood": "gare", "amount_eur": 30000}],
    "projects": [{"id": "banc", "title": "Bancs", "cost_eur": 20000}, {"id": "parc", "title": "Parc", "cost_eur": 90000},
                 {"id": "abri", "title": "Abri", "cost_eur": 25000, "neighbourhood": "gare"}]})"),
                         {"gare"});
}

struct VoteRig : test::ApiRig {
  using ApiRig::ApiRig;
  core::Vote vote;
  std::map<std::string, std::int64_t> last_seq;

  std::string ballot(const core::Uuid& on, std::int64_t at_ms, const std::string& pass, std::vector<std::string> projects,
                     const std::string& receipt) {
    core::Capture c;
    c.id = ids.next(at_ms);
    c.device = on;
    c.channel = core::Channel::kiosk;
    c.captured_at = {at_ms, 60};
    c.body = core::Ballot{vote.id, std::move(projects), passes::voter_hash(vote, pass), receipt, false, false};
    return core::canonical_json(c);
  }
  void send(const core::Uuid& from, const std::string& from_token, const std::vector<std::string>& records) {
    sync::protocol::BatchRequest b;
    b.device = from;
    b.sent_at = clock.now();
    b.clock_offset_ms = 0;
    std::int64_t& seq = last_seq[from.str()];  // a device's sequence numbers never repeat
    for (const auto& r : records) b.records.push_back({++seq, r});
    auto response = api.handle(post("/api/v1/batches", sync::protocol::encode_batch(b), from_token));
    REQUIRE(response.status == 200);
    for (const auto& result : sync::protocol::decode_batch_response(response.body).results) {
      INFO(result.code << ": " << result.reason);
      CHECK(result.status == sync::protocol::RecordStatus::accepted);
    }
  }
};

void run_suite(const std::string& url) {
  VoteRig rig(url);
  auto& store = *rig.store;
  const auto now = rig.clock.now();

  // A draft is not on devices; opened, it is, with its key.
  rig.vote = server::save_vote_draft(store, small_vote(), now);
  CHECK(store.vote("quartiers-2027")->stage == server::VoteStage::draft);
  CHECK(server::merge_catalogs(store.catalogs()).catalog.find_vote("quartiers-2027") == nullptr);
  server::publish_vote(store, "quartiers-2027", server::VoteStage::open, false, now);
  const auto published = server::merge_catalogs(store.catalogs()).catalog;
  REQUIRE(published.find_vote("quartiers-2027"));
  CHECK(published.find_vote("quartiers-2027")->voter_key == rig.vote.voter_key);
  CHECK(published.find_vote("budget-2027-vote"));  // the demo catalog's vote is still there
  // Its projects can no longer change.
  CHECK_THROWS_AS(server::save_vote_draft(store, rig.vote, now), server::StoreError);

  // Two devices, offline: the pass P2 votes on both, earlier on the second one.
  const auto [second, second_token] = rig.enrol("Borne mairie");
  const std::int64_t t = now.utc_ms - 3'600'000;
  rig.send(rig.device, rig.token,
           {rig.ballot(rig.device, t, "P1P1P1P1P1", {"parc"}, "AAAA0001"),
            rig.ballot(rig.device, t + 5000, "P2P2P2P2P2", {"parc"}, "AAAA0002"),
            rig.ballot(rig.device, t + 6000, "P3P3P3P3P3", {"abri"}, "AAAA0003")});
  rig.send(second, second_token,
           {rig.ballot(second, t + 1000, "P2P2P2P2P2", {"banc", "abri"}, "BBBB0001"),
            rig.ballot(second, t + 2000, "P4P4P4P4P4", {"banc"}, "BBBB0002")});
  CHECK(store.ballot_count("quartiers-2027") == 5);

  const server::VoteCount count = store.count_vote(rig.vote);
  CHECK(count.results.counted == 4);
  CHECK(count.results.duplicates == 1);
  REQUIRE(count.flagged.size() == 1);
  CHECK(count.flagged[0].receipt == "AAAA0002");  // the later one, on the first tablet
  CHECK(count.flagged[0].device_name == "Tablette 1");
  CHECK(count.flagged[0].kept_device_name == "Borne mairie");
  // Counted: P1 parc, P2 banc+abri (second device), P3 abri, P4 banc.
  const auto& town = count.results.envelopes[0].projects;
  CHECK(town[0].project == "banc");
  CHECK(town[0].votes == 2);
  CHECK(town[0].winner);
  CHECK(town[1].project == "parc");
  CHECK(town[1].votes == 1);
  CHECK_FALSE(town[1].winner);  // 20,000 + 90,000 > 100,000
  CHECK(count.results.envelopes[1].projects[0].votes == 2);
  CHECK(count.results.envelopes[1].ballots == 2);
  REQUIRE(count.by_device.size() == 2);
  std::int64_t on_devices = 0;
  for (const auto& d : count.by_device) on_devices += d.ballots;
  CHECK(on_devices == 4);
  REQUIRE(count.by_channel.size() == 1);
  CHECK(count.by_channel[0].key == "kiosk");

  // Receipts: counted, not counted, unknown; typed in lower case with a dash.
  CHECK(store.find_receipt("bbbb-0001").state == server::ReceiptState::counted);
  CHECK(store.find_receipt("AAAA-0002").state == server::ReceiptState::not_counted);
  CHECK(store.find_receipt("ZZZZ-ZZZZ").state == server::ReceiptState::unknown);
  CHECK(store.find_receipt("not a code").state == server::ReceiptState::unknown);
  CHECK(server::receipt_to_json(store.find_receipt("AAAA0001"))["state"] == "counted");

  // Devices receive each receipt's outcome under its key (GET /api/v1/outcomes): the counted
  // and the flagged, never a code, a voter or a time in clear; the same document again is a 304.
  {
    const auto key = [&](const std::string& r) { return passes::ballot_outcome_key(rig.vote.voter_key, r); };
    auto r = rig.api.handle(test::ApiRig::get("/api/v1/outcomes", rig.token));
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto outcomes = sync::protocol::decode_outcomes(r.body);
    const sync::protocol::BallotOutcomes* ours = nullptr;
    for (const auto& b : outcomes.ballots)
      if (b.vote == "quartiers-2027") ours = &b;
    REQUIRE(ours);
    std::vector<std::string> counted{key("AAAA0001"), key("AAAA0003"), key("BBBB0001"), key("BBBB0002")};
    std::sort(counted.begin(), counted.end());
    CHECK(ours->counted == counted);
    CHECK(ours->flagged == std::vector<std::string>{key("AAAA0002")});
    for (const auto* clear : {"AAAA0001", "AAAA-0001", "BBBB0001", "P1P1P1P1P1", rig.vote.voter_key.c_str()})
      CHECK(r.body.find(clear) == std::string::npos);
    CHECK(r.body.find(passes::voter_hash(rig.vote, "P1P1P1P1P1")) == std::string::npos);
    auto again = rig.api.handle(test::ApiRig::get("/api/v1/outcomes", rig.token, r.headers["ETag"]));
    CHECK(again.status == 304);
    CHECK(rig.api.handle(test::ApiRig::get("/api/v1/outcomes", "")).status == 401);
    CHECK(rig.api.handle(test::ApiRig::post("/api/v1/outcomes", "{}", rig.token)).status == 405);
  }

  // The same batch again changes nothing.
  rig.send(rig.device, rig.token, {rig.ballot(rig.device, t + 9000, "P5P5P5P5P5", {"banc"}, "AAAA0005")});
  CHECK(store.count_vote(rig.vote).results.counted == 5);

  // Closing with results publishes them to devices.
  server::publish_vote(store, "quartiers-2027", server::VoteStage::closed, true, now);
  const auto closed = server::merge_catalogs(store.catalogs()).catalog;
  const core::Vote* v = closed.find_vote("quartiers-2027");
  REQUIRE(v);
  CHECK(v->state == core::VoteState::closed);
  REQUIRE(v->results);
  CHECK(v->results->counted == 5);
  CHECK(store.vote("quartiers-2027")->results_published_ms == now.utc_ms);
  CHECK_THROWS_AS(server::publish_vote(store, "quartiers-2027", server::VoteStage::open, true, now), server::StoreError);
}

}  // namespace

TEST_CASE("votes on SQLite: published, ballots counted once per voter, receipts") {
  test::TempDir dir;
  run_suite((dir.path() / "server.db").string());
}

TEST_CASE("votes on PostgreSQL: published, ballots counted once per voter, receipts") {
  test::PgInstance pg;
  run_suite(pg.create_database("votes"));
}
