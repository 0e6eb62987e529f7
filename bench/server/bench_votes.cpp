// bench_votes: a participatory-budget vote's count on a town-sized vote — 100,000 ballots by
// default, from 20 devices, 12 projects in a town-wide and a quartier envelope, 5 % of the
// voters voting again on another device (flagged, never counted) — on SQLite, and on
// PostgreSQL with --postgresql: how fast the ballots load through the store's ingest (the very
// path a device's batch takes, its `ballots` rows included), and how long count_vote takes
// (min, median, max over the runs), against the target of one second for 100,000 ballots.
//
//   bench_votes [--ballots N] [--runs N] [--postgresql]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "allervers/core/capture_json.hpp"
#include "allervers/passes/voter.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/vote_admin.hpp"
#include "pg_instance.hpp"
#include "test_support.hpp"

using namespace allervers;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

core::Vote the_vote() {
  core::Vote v;
  v.id = "budget-bench";
  v.title = core::LocalizedText("Budget participatif (banc d'essai)");
  v.opens = "2024-01-01";
  v.closes = "2099-12-31";
  v.rule = core::VoteRule::budget;
  v.envelopes = {{"", 300000}, {"gare", 80000}};
  for (int i = 0; i < 12; ++i) {
    core::Project p;
    p.id = "projet-" + std::to_string(i);
    p.title = core::LocalizedText("Projet " + std::to_string(i));
    p.cost_eur = 20000 + 5000 * i;
    p.neighbourhood = i % 4 == 0 ? "gare" : "";
    v.projects.push_back(p);
  }
  return v;
}

void run(const std::string& backend, const std::string& url, int ballots, int runs) {
  auto store = server::open_store(url);
  const core::Instant now = core::SystemClock().now();
  server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), now);
  const core::Vote vote = server::save_vote_draft(*store, the_vote(), now);
  server::publish_vote(*store, vote.id, server::VoteStage::open, false, now);

  // The ballots: voter n's basket drawn from a fixed seed; every 20th voter votes again elsewhere.
  constexpr int kDevices = 20, kBatch = 1000;
  std::mt19937 rng(2027);
  core::UuidGenerator ids{11};
  std::vector<core::Uuid> devices;
  for (int d = 0; d < kDevices; ++d) devices.push_back(ids.next(now.utc_ms));
  std::vector<std::vector<server::CaptureRow>> per_device(kDevices);
  const std::int64_t t0 = now.utc_ms - 86'400'000;
  int made = 0;
  for (int voter = 0; made < ballots; ++voter) {
    const std::string pass = "PASS" + std::to_string(voter);
    const std::string hash = passes::voter_hash(vote, pass);
    for (int again = 0; again < (voter % 20 == 0 ? 2 : 1) && made < ballots; ++again, ++made) {
      const int d = (voter + again * 7) % kDevices;
      std::vector<std::string> basket;
      std::int64_t town = 0, gare = 0;
      for (int tries = 0; tries < 4; ++tries) {
        const auto& p = vote.projects[rng() % vote.projects.size()];
        std::int64_t& spent = p.neighbourhood.empty() ? town : gare;
        const std::int64_t limit = p.neighbourhood.empty() ? 300000 : 80000;
        if (std::find(basket.begin(), basket.end(), p.id) != basket.end() || spent + p.cost_eur > limit) continue;
        spent += p.cost_eur;
        basket.push_back(p.id);
      }
      if (basket.empty()) basket.push_back(vote.projects[1].id);
      const std::int64_t at = t0 + voter * 500 + again * 60'000;
      core::Capture c;
      c.id = ids.next(at);
      c.device = devices[static_cast<std::size_t>(d)];
      c.channel = core::Channel::kiosk;
      c.captured_at = {at, 60};
      char receipt[9];
      std::snprintf(receipt, sizeof receipt, "%08X", static_cast<unsigned>(made));  // hex digits are Crockford's too
      c.body = core::Ballot{vote.id, basket, hash, receipt, true, false};
      server::CaptureRow row;
      row.id = c.id.str();
      row.device = c.device.str();
      row.seq = static_cast<std::int64_t>(per_device[static_cast<std::size_t>(d)].size()) + 1;
      row.kind = "ballot";
      row.channel = "kiosk";
      row.language = "fr";
      row.captured_ms = row.corrected_ms = at;
      row.captured_offset_min = 60;
      row.received_ms = now.utc_ms;
      row.body = core::canonical_json(c);
      per_device[static_cast<std::size_t>(d)].push_back(std::move(row));
    }
  }
  const auto load0 = Clock::now();
  int batch_no = 0;
  for (int d = 0; d < kDevices; ++d) {
    auto& rows = per_device[static_cast<std::size_t>(d)];
    for (std::size_t i = 0; i < rows.size(); i += kBatch) {
      server::IngestBatch b;
      b.envelope = {devices[static_cast<std::size_t>(d)].str(), "bench-" + std::to_string(++batch_no), now.utc_ms, 0, 0, true};
      b.captures.assign(rows.begin() + static_cast<std::ptrdiff_t>(i), rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + kBatch)));
      store->ingest(b);
    }
  }
  const double load_s = seconds_since(load0);
  const std::int64_t held = store->ballot_count(vote.id);

  std::vector<double> times;
  server::VoteCount count;
  for (int r = 0; r < runs; ++r) {
    const auto c0 = Clock::now();
    count = store->count_vote(vote);
    times.push_back(seconds_since(c0));
  }
  std::sort(times.begin(), times.end());
  std::printf("%s: %lld ballots loaded in %.1f s (%.0f ballots/s, batches of %d through ingest)\n", backend.c_str(),
              static_cast<long long>(held), load_s, static_cast<double>(held) / load_s, kBatch);
  std::printf("%s: count_vote over %lld ballots: min %.3f s, median %.3f s, max %.3f s (%d runs); counted %lld, flagged %lld\n",
              backend.c_str(), static_cast<long long>(held), times.front(), times[times.size() / 2], times.back(), runs,
              static_cast<long long>(count.results.counted), static_cast<long long>(count.results.duplicates));
}

}  // namespace

int main(int argc, char** argv) {
  int ballots = 100000, runs = 5;
  bool postgresql = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--ballots" && i + 1 < argc) ballots = std::stoi(argv[++i]);
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::stoi(argv[++i]));
    else if (a == "--postgresql") postgresql = true;
    else {
      std::fprintf(stderr, "usage: bench_votes [--ballots N] [--runs N] [--postgresql]\n");
      return 2;
    }
  }
  test::TempDir dir;
  run("SQLite", (dir.path() / "votes.db").string(), ballots, runs);
  if (postgresql) {
    test::PgInstance pg(true);
    run("PostgreSQL", pg.create_database("votes"), ballots, runs);
  }
  return 0;
}
