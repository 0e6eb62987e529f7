// Capture commit latency and bulk throughput on this machine's disk, and a ballot's save beside
// an opinion's. Prints figures; never fails.
// Usage: bench_capture [DIR] [SINGLE_COUNT] [BULK_COUNT] [SIDE_BY_SIDE_COUNT]   (DIR defaults to a folder under /tmp)
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "allervers/core/capture_json.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/storage/device_store.hpp"
#include "demo_captures.hpp"

using namespace allervers;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kGroup = 512;  // the group size bulk entry uses

std::string opinion_line(int n) {
  return R"({"kind":"opinion","consultation":"place-jean-jaures","channel":"market","answers":{"frequence":"parfois","satisfaction":)" +
         std::to_string(1 + n % 5) + R"(,"arbres":true,"priorites":["ombre","bancs"],"stationnement":)" +
         std::to_string(1 + n % 5) + R"(,"commentaire":"Réponse n° )" + std::to_string(n) + R"( : plus d’ombre l’été."}})";
}

// A ballot as the vote booth makes it: its own voter (a keyed hash: 64 hex) and receipt code.
std::string ballot_line(int n) {
  char voter[65];
  std::snprintf(voter, sizeof voter, "%064x", n);
  static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string receipt;
  for (int i = 0, v = n; i < 8; ++i, v /= 32) receipt += kCrockford[v % 32];
  return std::string(R"({"kind":"ballot","channel":"market","ballot":{"vote":"budget-2027-vote",)") +
         R"("projects":["aire-de-jeux","boite-a-livres","abri-velos-gare"],"voter":")" + voter + R"(","receipt":")" + receipt +
         R"(","age_confirmed":true}})";
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The disk's own floor: fsync after appending 4 KiB, as a WAL commit does once.
void fsync_baseline(const std::filesystem::path& file, int count) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return;
  const std::string page(4096, 'x');
  std::vector<double> latencies;
  for (int i = 0; i < count; ++i) {
    if (::write(fd, page.data(), page.size()) < 0) break;
    const auto start = Clock::now();
    ::fsync(fd);
    latencies.push_back(ms_since(start));
  }
  ::close(fd);
  if (latencies.empty()) return;
  std::printf("disk floor: fsync after a 4 KiB append, %d times: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", count,
              percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path base = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "allervers-bench";
  const int single = argc > 2 ? std::atoi(argv[2]) : 10'000;
  const int bulk = argc > 3 ? std::atoi(argv[3]) : 100'000;
  const int side = argc > 4 ? std::atoi(argv[4]) : 2'000;
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  utsname u{};
  uname(&u);
  std::printf("machine: %s %s, %ld cores, SQLite %s, folder %s\n", u.sysname, u.machine, sysconf(_SC_NPROCESSORS_ONLN),
              sqlite3_libversion(), base.c_str());

  fsync_baseline(base / "fsync.bin", single);
  core::Catalog catalog = test::demo_catalog();
  for (auto& vote : catalog.votes) {  // open whatever day the benchmark runs
    vote.opens = "2000-01-01";
    vote.closes = "2999-12-31";
  }
  const core::SystemClock clock;
  core::UuidGenerator ids;

  // 1. Single captures, each its own durable transaction (what the touch app does).
  {
    auto store = storage::DeviceStore::create(base / "single", "bench", clock.now());
    store.save_catalog(catalog);
    core::CaptureDefaults defaults{store.identity().device, clock.now(), core::Channel::market, "fr", &ids};
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(single));
    for (int i = 0; i < single; ++i) {
      defaults.now = clock.now();
      auto parsed = core::capture_from_json_text(opinion_line(i), defaults);
      parsed.capture->version = 1;
      auto result = core::validate(*parsed.capture, store.catalog(), defaults.now);
      const auto start = Clock::now();
      store.add(result.valid());
      latencies.push_back(ms_since(start));
    }
    std::printf("single capture commit (synchronous=FULL, WAL), %d captures: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", single,
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0));
  }

  // 2. Bulk entry: parse + validate + add, groups of 512 per durable commit (capture --file).
  std::vector<std::string> lines;
  for (int i = 0; i < bulk; ++i) lines.push_back(opinion_line(i));
  std::vector<std::string> rows;  // the same captures, pre-serialised, for the raw loop
  double bulk_ms = 0;
  {
    auto store = storage::DeviceStore::create(base / "bulk", "bench", clock.now());
    store.save_catalog(catalog);
    core::CaptureDefaults defaults{store.identity().device, clock.now(), core::Channel::market, "fr", &ids};
    const auto start = Clock::now();
    storage::DeviceStore::Group group(store);
    for (const auto& line : lines) {
      auto parsed = core::capture_from_json_text(line, defaults);
      parsed.capture->version = 1;
      auto result = core::validate(*parsed.capture, store.catalog(), defaults.now);
      group.add(result.valid());
      if (group.size() >= kGroup) group.commit();
    }
    group.commit();
    bulk_ms = ms_since(start);
    store.for_each_capture([&](const storage::StoredCapture& s) { rows.push_back(core::canonical_json(s.capture)); });
  }
  std::printf("bulk entry (parse + validate + insert, %zu per commit), %d captures: %.0f ms, %.0f captures/s\n", kGroup, bulk,
              bulk_ms, bulk * 1000.0 / bulk_ms);

  // 3. Raw SQLite: the same rows into the same schema, same grouping and durability, no parsing.
  double raw_ms = 0;
  {
    auto store = storage::DeviceStore::create(base / "raw", "bench", clock.now());
    auto& db = store.database();
    core::UuidGenerator raw_ids;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < rows.size();) {
      sqlite::Transaction tx(db);
      for (std::size_t k = 0; k < kGroup && i < rows.size(); ++k, ++i) {
        {
          auto q = db.query(
              "INSERT INTO captures(id, kind, consultation, version, channel, captured_at_ms, day, body) "
              "VALUES(?1, 'opinion', 'place-jean-jaures', 1, 'market', ?2, '2026-11-23', ?3)");
          q->bind(1, raw_ids.next(1'795'000'000'000).str()).bind(2, std::int64_t{1'795'000'000'000}).bind(3, rows[i]);
          q->run();
        }
        auto q = db.query("INSERT INTO outbox(seq, state) VALUES(?1, 'pending')");
        q->bind(1, db.last_insert_rowid());
        q->run();
      }
      tx.commit();
    }
    raw_ms = ms_since(start);
  }
  std::printf("raw SQLite insert loop (same rows, same schema, %zu per commit): %.0f ms, %.0f rows/s\n", kGroup, raw_ms,
              static_cast<double>(rows.size()) * 1000.0 / raw_ms);
  std::printf("bulk / raw time ratio: %.2fx (target: within 3x)\n", bulk_ms / raw_ms);

  // 4. A ballot's save beside an opinion's, as the touch app does each (validate, then one
  //    durable transaction), interleaved in one store so both meet the same disk and load.
  {
    auto store = storage::DeviceStore::create(base / "side", "bench", clock.now());
    store.save_catalog(catalog);
    core::CaptureDefaults defaults{store.identity().device, clock.now(), core::Channel::market, "fr", &ids};
    std::vector<double> opinions, ballots;
    const auto save = [&](const std::string& line, std::vector<double>& into, bool versioned) {
      defaults.now = clock.now();
      auto parsed = core::capture_from_json_text(line, defaults);
      if (versioned) parsed.capture->version = 1;
      const auto start = Clock::now();
      auto result = core::validate(*parsed.capture, store.catalog(), defaults.now);
      store.add(result.valid());
      into.push_back(ms_since(start));
    };
    for (int i = 0; i < side; ++i) {
      save(opinion_line(i), opinions, true);
      save(ballot_line(i), ballots, false);
    }
    std::printf("opinion save (validate + commit), %d interleaved with ballots: p50 %.3f ms, p99 %.3f ms\n", side,
                percentile(opinions, 0.50), percentile(opinions, 0.99));
    std::printf("ballot save (validate + commit, its unique voter index), %d: p50 %.3f ms, p99 %.3f ms\n", side,
                percentile(ballots, 0.50), percentile(ballots, 0.99));
    std::printf("ballot / opinion ratio: p50 %.2fx, p99 %.2fx (target: about 1x)\n",
                percentile(ballots, 0.50) / percentile(opinions, 0.50), percentile(ballots, 0.99) / percentile(opinions, 0.99));
  }
  std::filesystem::remove_all(base);
}
