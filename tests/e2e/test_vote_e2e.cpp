// The vote end to end: a real allervers-server process, a vote opened by the coordinator's
// code, three devices (allervers-device) that sync it, then take 300 voters' ballots while
// offline, 20 of whom vote again on another device; after the syncs the server's count equals
// a reference count written here from the ballots the test made (not core's Tally), the 20
// duplicates are flagged with both devices and not counted, and every receipt says what
// became of its ballot.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "allervers/core/consultation.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/vote_admin.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/sync/outcomes.hpp"
#include "allervers/sync/protocol.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
using nlohmann::json;

namespace {

std::string device_binary() { return (test::binary_dir() / "device" / "allervers-device").string(); }

struct Cast {
  std::string pass, receipt, device;
  std::int64_t at_ms = 0;
  std::vector<std::string> projects;
};

}  // namespace

TEST_CASE("a vote on three devices that were offline: 300 voters, 20 again elsewhere, counted once, receipts found") {
  if (!std::filesystem::exists(device_binary())) FAIL("allervers-device was not built: " << device_binary());
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();

  // The coordinator opens a vote (budget rule, the town's envelope and one for the gare).
  const core::Instant now = core::SystemClock().now();
  const core::Vote drafted = core::parse_vote(json::parse(R"({"id": "vote-e2e", "title": {"fr": "Vote"}, "opens": "2024-01-01",
    "closes": "2099-12-31", "rule": "budget", "min_share_percent": 0, "voter_key": ")" + std::string(64, 'e') + R"(",
    "envelopes": [{"amount_eur": 100000}, {"neighbourhood": "gare", "amount_eur": 50000}],
    "projects": [{"id": "p1", "title": "P1", "cost_eur": 40000}, {"id": "p2", "title": "P2", "cost_eur": 30000},
                 {"id": "p3", "title": "P3", "cost_eur": 30000}, {"id": "p4", "title": "P4", "cost_eur": 20000},
                 {"id": "p5", "title": "P5", "cost_eur": 10000},
                 {"id": "g1", "title": "G1", "cost_eur": 30000, "neighbourhood": "gare"},
                 {"id": "g2", "title": "G2", "cost_eur": 20000, "neighbourhood": "gare"},
                 {"id": "g3", "title": "G3", "cost_eur": 20000, "neighbourhood": "gare"}]})"),
                                              {"gare"});
  core::Vote vote;
  {
    auto store = server::open_store(database);
    core::Vote fresh = drafted;
    fresh.voter_key.clear();  // the server makes the key
    vote = server::save_vote_draft(*store, fresh, now);
    server::publish_vote(*store, vote.id, server::VoteStage::open, false, now);
  }

  // Three devices, enrolled, each syncs the vote once, then goes offline.
  const std::vector<std::string> names{"Borne mairie", "Tablette marché", "Tablette école"};
  std::vector<std::string> data;
  auto device = [&](std::size_t d, std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {device_binary(), "--data", data[d]});
    return test::run(args, input);
  };
  for (std::size_t d = 0; d < names.size(); ++d) {
    data.push_back((dir.path() / ("device" + std::to_string(d))).string());
    REQUIRE(device(d, {"init", "--name", names[d]}).exit_code == 0);
    const auto r = device(d, {"enrol", sync::protocol::enrol_link(server.url(), make_enrol_code(database, names[d]))});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(device(d, {"sync"}).exit_code == 0);
    REQUIRE(storage::DeviceStore::open(data[d]).catalog().find_vote("vote-e2e"));
  }

  // 300 voters, each on one device; 20 vote again on another one, an hour earlier or later.
  std::mt19937 random(2027);
  const std::vector<std::string> town{"p1", "p2", "p3", "p4", "p5"}, gare{"g1", "g2", "g3"};
  std::map<std::string, std::int64_t> cost;
  for (const auto& p : drafted.projects) cost[p.id] = p.cost_eur;
  auto basket = [&] {
    std::vector<std::string> out;
    for (const auto* list : {&town, &gare}) {
      const std::int64_t envelope = list == &town ? 100000 : 50000;
      std::int64_t spent = 0;
      for (const auto& p : *list)
        if (random() % 2 && spent + cost[p] <= envelope) out.push_back(p), spent += cost[p];
    }
    if (out.empty()) out.push_back(town[random() % town.size()]);
    return out;
  };
  const std::int64_t base = now.utc_ms - 2 * 86'400'000;
  std::vector<Cast> casts;
  for (int i = 0; i < 300; ++i) {
    const std::string pass = passes::PassId(static_cast<std::uint64_t>(100'000 + i * 7919)).str();
    const std::size_t d = static_cast<std::size_t>(i) % 3;
    casts.push_back({pass, "", names[d], base + i * 60'000, basket()});
    if (i % 15 == 7) {  // 20 voters try again elsewhere
      const std::int64_t shift = (i % 2 ? 1 : -1) * 3'600'000;
      casts.push_back({pass, "", names[(d + 1) % 3], base + i * 60'000 + shift, basket()});
    }
  }
  REQUIRE(casts.size() == 320);
  std::set<std::string> receipts;
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (auto& c : casts) {
    do {
      c.receipt.clear();
      for (int k = 0; k < 8; ++k) c.receipt += alphabet[random() % 32];
    } while (!receipts.insert(c.receipt).second);
  }

  // Typed in on each device in one batch (allervers-device capture --file), then synced.
  for (std::size_t d = 0; d < names.size(); ++d) {
    std::string lines;
    for (const auto& c : casts) {
      if (c.device != names[d]) continue;
      json ballot{{"vote", vote.id}, {"pass", c.pass}, {"projects", c.projects}, {"receipt", c.receipt}};
      lines += json{{"kind", "ballot"}, {"captured_at", core::format_instant({c.at_ms, 60})}, {"ballot", ballot}}.dump() + "\n";
    }
    const auto r = device(d, {"capture", "--file", "-", "--channel", d == 0 ? "kiosk" : "market"}, lines);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(device(d, {"list"}).out.find(casts.front().pass) == std::string::npos);  // never the pass in clear
    const auto s = device(d, {"sync"});
    INFO(s.out << s.err);
    REQUIRE(s.exit_code == 0);
  }

  // The reference count: the earliest ballot of each pass counts (the device clocks here are
  // one machine's, so the corrected times keep the test's order).
  std::map<std::string, const Cast*> first;
  for (const auto& c : casts) {
    auto& f = first[c.pass];
    if (!f || c.at_ms < f->at_ms) f = &c;
  }
  std::map<std::string, std::int64_t> votes;
  std::map<std::string, std::int64_t> by_device;
  for (const auto& [pass, c] : first) {
    for (const auto& p : c->projects) ++votes[p];
    ++by_device[c->device];
  }
  auto winners = [&](const std::vector<std::string>& list, std::int64_t envelope) {
    std::vector<std::string> order = list;
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
      return votes[a] != votes[b] ? votes[a] > votes[b] : cost[a] < cost[b];
    });
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& p : order) {
      const bool wins = votes[p] > 0 && cost[p] <= envelope;
      if (wins) envelope -= cost[p];
      out.emplace_back(p, wins);
    }
    return out;
  };
  const auto expected_town = winners(town, 100000), expected_gare = winners(gare, 50000);

  auto store = server::open_store(database);
  const server::VoteCount count = store->count_vote(vote);
  CHECK(store->ballot_count(vote.id) == 320);
  CHECK(count.results.counted == 300);
  CHECK(count.results.duplicates == 20);
  REQUIRE(count.results.envelopes.size() == 2);
  for (const auto& [envelope, expected] : {std::pair{0, expected_town}, std::pair{1, expected_gare}}) {
    const auto& got = count.results.envelopes[static_cast<std::size_t>(envelope)].projects;
    REQUIRE(got.size() == expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      INFO(envelope << " #" << k);
      CHECK(got[k].project == expected[k].first);
      CHECK(got[k].votes == votes[expected[k].first]);
      CHECK(got[k].winner == expected[k].second);
    }
  }
  REQUIRE(count.flagged.size() == 20);
  for (const auto& f : count.flagged) {
    CHECK(f.device_name != f.kept_device_name);  // shown with both devices
    CHECK(f.kept_corrected_ms < f.corrected_ms);
  }
  for (const auto& d : count.by_device) CHECK(d.ballots == by_device[d.label]);
  std::int64_t channels = 0;
  for (const auto& c : count.by_channel) channels += c.ballots;
  CHECK(channels == 300);

  // Receipts: every first ballot's counted, every later one's not.
  int counted = 0, not_counted = 0;
  for (const auto& c : casts) {
    const auto check = store->find_receipt(c.receipt);
    const bool is_first = first[c.pass] == &c;
    CHECK(check.state == (is_first ? server::ReceiptState::counted : server::ReceiptState::not_counted));
    (is_first ? counted : not_counted) += 1;
  }
  CHECK(counted == 300);
  CHECK(not_counted == 20);

  // Down to the devices (GET /api/v1/outcomes, after each upload): once every device has synced
  // again, each answers for every receipt — its own and the other devices' — offline, as the
  // server does: counted, or flagged as a second ballot. A device whose outcomes do not hold
  // its own ballot yet (a pass cut after its upload) says it arrived at the town hall.
  const Cast* own = nullptr;
  for (const auto& c : casts)
    if (!own && c.device == names[0]) own = &c;
  REQUIRE(own);
  {
    auto held = storage::DeviceStore::open(data[0]);
    held.replace_outcomes({}, {});
    const auto before = sync::follow_ballot(held, own->receipt);
    CHECK(before.found == sync::FollowFound::here_sent);
    CHECK(before.vote == vote.id);
  }
  for (std::size_t d = 0; d < names.size(); ++d) REQUIRE(device(d, {"sync"}).exit_code == 0);
  for (std::size_t d = 0; d < names.size(); ++d) {
    auto held = storage::DeviceStore::open(data[d]);
    int said_counted = 0, said_flagged = 0;
    for (const auto& c : casts) {
      const auto answer = sync::follow_ballot(held, c.receipt.substr(0, 4) + "-" + c.receipt.substr(4));
      INFO(names[d] << " " << c.receipt);
      REQUIRE(answer.found == sync::FollowFound::known);
      CHECK(answer.vote == vote.id);
      const bool is_first = first[c.pass] == &c;
      CHECK(answer.outcome == (is_first ? sync::BallotOutcome::counted : sync::BallotOutcome::flagged));
      (answer.outcome == sync::BallotOutcome::counted ? said_counted : said_flagged) += 1;
    }
    CHECK(said_counted == 300);
    CHECK(said_flagged == 20);
    CHECK(held.setting(core::settings::outcomes_checked_ms).value_or("").size() > 0);
    // A code nobody was given, and one that is not a code.
    CHECK(sync::follow_ballot(held, "ZZZZ-ZZZZ").found == sync::FollowFound::unknown);
    CHECK(sync::follow_ballot(held, "ABC").found == sync::FollowFound::invalid_code);
    // No receipt in clear on the device but its own ballots' (the outcomes hold keys only).
    std::string outcomes;
    auto q = held.database().query("SELECT group_concat(key || body, ' ') FROM outcomes");
    if (q->step()) outcomes = q->text(0);
    REQUIRE_FALSE(outcomes.empty());
    for (const auto& c : casts) CHECK(outcomes.find(c.receipt) == std::string::npos);
  }
  server.stop();
}
