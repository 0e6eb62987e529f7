// bench_sync: how fast captures go from a device's outbox into the server's database,
// durably on both sides, over loopback HTTP — and what the same rows cost inserted raw.
//
//   bench_sync [--quick | --ingest-only [COUNT [sqlite|postgresql]]]  (--quick: small runs;
//                    --ingest-only: the server's part, for profiling)
//   bench_sync --compare OTHER_SERVER [ROUNDS [ONLY]]  the end-to-end figures against another build
//                    of allervers-server and this one, in turn, ROUNDS times (ONLY: "sqlite" or "postgresql")
//
// Sections: helpers · one device end to end · one record per request · 20 devices · raw insert ·
// comparing two servers · main.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/utsname.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <fstream>
#include <thread>

#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sync/tuning.hpp"
#include "e2e_support.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using namespace allervers::e2e;
using Clock = std::chrono::steady_clock;

namespace {

// --- helpers ---------------------------------------------------------------------------

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Figures {
  std::string what;
  std::int64_t records = 0;
  double seconds = 0;
  std::int64_t bytes = 0;  // on the wire, both directions
  double acked = 0;        // from the first request to the last record acknowledged (the rest of the
                           // pass fetches the outcomes and media)
  void print() const {
    // Uploads are timed to the last record acknowledged (as docs/benchmarks.md defines them); the
    // whole pass, with the outcomes and media fetched after the batches, is the last column.
    const double timed = acked > 0 ? acked : seconds;
    std::printf("| %-52s | %9lld | %8.3f | %10.0f | %9s | %8s |\n", what.c_str(), static_cast<long long>(records), timed,
                static_cast<double>(records) / timed,
                bytes ? (std::to_string(bytes / std::max<std::int64_t>(1, records)) + " B").c_str() : "—",
                acked > 0 ? (std::to_string(seconds).substr(0, 5) + " s").c_str() : "—");
    std::fflush(stdout);
  }
};

struct Backend {
  std::string name;
  std::function<std::string(const std::string&)> fresh_database;  // name → URL
};

sync::SyncOptions bench_options() {
  sync::SyncOptions o;  // production tuning, except a quicker give-up
  o.attempts_per_pass = 3;
  return o;
}

// The options of a timed pass: the time of its last batch acknowledged is kept in `at`.
sync::SyncOptions timed_options(Clock::time_point& at, sync::SyncOptions o = bench_options()) {
  o.progress = [&at](const sync::SyncProgress&) { at = Clock::now(); };
  return o;
}

double seconds_between(Clock::time_point t0, Clock::time_point t1) { return std::chrono::duration<double>(t1 - t0).count(); }

struct Device {
  test::TempDir dir;
  storage::DeviceStore store;
  explicit Device(const std::string& name) : store(make_device(dir.path() / "d", name)) {}
};

// --- one device end to end -------------------------------------------------------------

Figures one_device(const Backend& backend, int count, const std::string& tag) {
  const std::string database = backend.fresh_database(tag);
  test::TempDir work;
  ServerProcess server(database, work.path());
  server.start();
  Device device("Bench");
  core::SystemClock clock;
  sync::SyncClient(device.store, clock, bench_options()).enrol(server.url(), make_enrol_code(database, "Bench"));
  add_captures(device.store, count, 1);
  Clock::time_point acked;
  sync::SyncClient client(device.store, clock, timed_options(acked));
  const auto t0 = Clock::now();
  const auto report = client.sync();
  const double s = seconds_since(t0);
  if (!report.ok() || report.accepted != count) throw std::runtime_error("sync failed: " + report.error);
  return {backend.name + ": 1 device, batches of 1000, gzip", count, s, report.bytes_sent + report.bytes_received,
          seconds_between(t0, acked)};
}

// --- one record per request ------------------------------------------------------------

Figures one_per_request(const Backend& backend, int count) {
  const std::string database = backend.fresh_database("single");
  test::TempDir work;
  ServerProcess server(database, work.path());
  server.start();
  Device device("Bench");
  core::SystemClock clock;
  auto options = bench_options();
  options.batch_records = 1;
  options.gzip = false;
  sync::SyncClient(device.store, clock, options).enrol(server.url(), make_enrol_code(database, "Bench"));
  add_captures(device.store, count, 2);
  Clock::time_point acked;
  sync::SyncClient client(device.store, clock, timed_options(acked, options));
  const auto t0 = Clock::now();
  const auto report = client.sync();
  const double s = seconds_since(t0);
  if (!report.ok()) throw std::runtime_error("sync failed: " + report.error);
  return {backend.name + ": 1 device, one record per request", count, s, report.bytes_sent + report.bytes_received,
          seconds_between(t0, acked)};
}

// --- 20 devices at once ----------------------------------------------------------------

Figures many_devices(const Backend& backend, int devices, int each) {
  const std::string database = backend.fresh_database("many");
  test::TempDir work;
  ServerProcess server(database, work.path());
  server.start();
  core::SystemClock clock;
  std::vector<std::unique_ptr<Device>> fleet;
  for (int d = 0; d < devices; ++d) {
    fleet.push_back(std::make_unique<Device>("Tablette " + std::to_string(d)));
    sync::SyncClient(fleet.back()->store, clock, bench_options()).enrol(server.url(), make_enrol_code(database, "T" + std::to_string(d)));
    add_captures(fleet.back()->store, each, static_cast<std::uint64_t>(100 + d));
  }
  std::vector<sync::SyncReport> reports(static_cast<std::size_t>(devices));
  std::vector<Clock::time_point> acked(static_cast<std::size_t>(devices));
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int d = 0; d < devices; ++d)
    threads.emplace_back([&, d] {
      sync::SyncClient client(fleet[static_cast<std::size_t>(d)]->store, clock, timed_options(acked[static_cast<std::size_t>(d)]));
      reports[static_cast<std::size_t>(d)] = client.sync();
    });
  for (auto& t : threads) t.join();
  const double s = seconds_since(t0);
  std::int64_t bytes = 0, accepted = 0;
  for (const auto& r : reports) {
    if (!r.ok()) throw std::runtime_error("a device failed: " + r.error);
    bytes += r.bytes_sent + r.bytes_received;
    accepted += r.accepted;
  }
  if (accepted != static_cast<std::int64_t>(devices) * each) throw std::runtime_error("not everything was accepted");
  return {backend.name + ": " + std::to_string(devices) + " devices at once", accepted, s, bytes,
          seconds_between(t0, *std::max_element(acked.begin(), acked.end()))};
}

// --- server ingest alone --------------------------------------------------------------

// The server's work on batches already on its doorstep: gunzip, parse, validate each record,
// insert keyed by id, commit durably — Api::handle in-process, without HTTP or device.
Figures ingest_only(const Backend& backend, int count) {
  const std::string database = backend.fresh_database("ingest");
  core::SystemClock clock;
  auto store = server::open_store(database);
  server::publish_catalog(*store, test::read_file(test::assets_dir() / "demo/catalog.json"), clock.now());
  server::Api api([&] { return server::open_store(database); }, clock);
  Device device("Ingest");
  const auto code = server::create_enrol_code(*store, "Ingest", clock.now(), 3600'000);
  server::HttpRequest enrol;
  enrol.method = "POST";
  enrol.path = sync::protocol::enrol_path;
  enrol.body = sync::protocol::encode_enrol_request({code.code, device.store.identity().device, "Ingest"});
  const auto token = sync::protocol::decode_enrol_response(api.handle(enrol).body).token;
  add_captures(device.store, count, 4);
  std::vector<server::HttpRequest> batches;
  const auto records = device.store.pending(static_cast<std::size_t>(count), SIZE_MAX);
  for (std::size_t at = 0; at < records.size(); at += sync::tuning::batch_records) {
    sync::protocol::BatchRequest b{device.store.identity().device, clock.now(), 0, 0, {}};
    for (std::size_t i = at; i < std::min(records.size(), at + sync::tuning::batch_records); ++i)
      b.records.push_back({records[i].seq, records[i].json});
    server::HttpRequest r;
    r.method = "POST";
    r.path = sync::protocol::batches_path;
    r.headers["authorization"] = "Bearer " + token;
    r.headers["content-encoding"] = "gzip";
    r.body = sync::protocol::gzip_compress(sync::protocol::encode_batch(b), sync::tuning::gzip_level);
    batches.push_back(std::move(r));
  }
  const auto t0 = Clock::now();
  for (const auto& b : batches)
    if (api.handle(b).status != 200) throw std::runtime_error("ingest failed");
  const double s = seconds_since(t0);
  if (store->capture_count() != count) throw std::runtime_error("ingest lost records");
  return {backend.name + ": server ingest alone (in-process, no HTTP)", count, s, 0};
}

// --- raw insert ------------------------------------------------------------------------

// The same rows the server stores, inserted in one transaction with nothing else: no HTTP,
// no JSON parsing, no validation, no duplicate check. The floor for ingest.
std::vector<server::CaptureRow> rows_for(int count) {
  Device device("Raw");
  add_captures(device.store, count, 3);
  std::vector<server::CaptureRow> rows;
  for (const auto& r : device.store.pending(static_cast<std::size_t>(count), SIZE_MAX)) {
    server::CaptureRow row;
    row.id = r.id.str();
    row.device = device.store.identity().device.str();
    row.seq = r.seq;
    row.kind = "opinion";
    row.consultation = "place-jean-jaures";
    row.version = 1;
    row.channel = "market";
    row.language = "fr";
    row.captured_ms = row.corrected_ms = row.received_ms = 1'795'000'000'000;
    row.batch = "raw";
    row.body = r.json;
    rows.push_back(std::move(row));
  }
  return rows;
}

Figures raw_sqlite(const std::vector<server::CaptureRow>& rows) {
  test::TempDir dir;
  const auto path = (dir.path() / "raw.db").string();
  server::open_sqlite_store(path).reset();  // the server's schema
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  const auto t0 = Clock::now();
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO captures(id, device, seq, kind, consultation, version, channel, language, captured_ms, "
                     "captured_offset_min, corrected_ms, received_ms, batch, body) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &st, nullptr);
  for (const auto& r : rows) {
    auto text = [&](int i, const std::string& v) { sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); };
    text(1, r.id);
    text(2, r.device);
    sqlite3_bind_int64(st, 3, r.seq);
    text(4, r.kind);
    text(5, r.consultation);
    sqlite3_bind_int64(st, 6, r.version);
    text(7, r.channel);
    text(8, r.language);
    sqlite3_bind_int64(st, 9, r.captured_ms);
    sqlite3_bind_int64(st, 10, r.captured_offset_min);
    sqlite3_bind_int64(st, 11, r.corrected_ms);
    sqlite3_bind_int64(st, 12, r.received_ms);
    text(13, r.batch);
    text(14, r.body);
    if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  const double s = seconds_since(t0);
  sqlite3_close(db);
  return {"sqlite: raw INSERT, one transaction (the floor)", static_cast<std::int64_t>(rows.size()), s, 0};
}

std::string copy_field(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') out += '\\';
    out += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
  }
  return out;
}

Figures raw_postgres(const std::string& url, const std::vector<server::CaptureRow>& rows) {
  server::open_postgres_store(url).reset();
  PGconn* c = PQconnectdb(url.c_str());
  std::string data;
  for (const auto& r : rows)
    data += r.id + '\t' + r.device + '\t' + std::to_string(r.seq) + '\t' + r.kind + '\t' + r.consultation + '\t' +
            std::to_string(r.version) + '\t' + r.channel + '\t' + r.language + '\t' + std::to_string(r.captured_ms) + '\t' +
            std::to_string(r.captured_offset_min) + '\t' + std::to_string(r.corrected_ms) + '\t' + std::to_string(r.received_ms) +
            '\t' + r.batch + '\t' + copy_field(r.body) + '\n';
  const auto t0 = Clock::now();
  PQclear(PQexec(c, "BEGIN"));
  PQclear(PQexec(c, "COPY captures(id, device, seq, kind, consultation, version, channel, language, captured_ms, "
                    "captured_offset_min, corrected_ms, received_ms, batch, body) FROM STDIN"));
  PQputCopyData(c, data.data(), static_cast<int>(data.size()));
  PQputCopyEnd(c, nullptr);
  PGresult* r = PQgetResult(c);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQclear(PQexec(c, "COMMIT"));
  const double s = seconds_since(t0);
  PQfinish(c);
  if (!ok) throw std::runtime_error("COPY failed");
  return {"postgresql: raw COPY, one transaction (the floor)", static_cast<std::int64_t>(rows.size()), s, 0};
}

std::string machine() {
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  while (std::getline(cpu, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  utsname u{};
  uname(&u);
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " logical CPUs, Linux " + u.release;
}

// --- comparing two servers ---------------------------------------------------------------

// The same end-to-end figures against two server binaries, alternating (A B, B A, …) so that the
// machine's drift and what one run leaves behind (a database checkpoint) fall on both; medians
// per figure and the ratio of the medians.
int compare(const std::string& other, int rounds, const std::string& only) {
  test::TempDir sqlite_dir;
  int n = 0;
  Backend sqlite{"sqlite", [&](const std::string& tag) {
                   return "sqlite:" + (sqlite_dir.path() / (tag + std::to_string(++n) + ".db")).string();
                 }};
  test::PgInstance pg(/*durable=*/true);
  Backend postgres{"postgresql", [&](const std::string& tag) { return pg.create_database(tag + std::to_string(++n)); }};
  const std::string mine = server_binary().string();
  std::printf("machine: %s\nA (before): %s\nB (after):  %s\nrounds: %d, alternating A B / B A\n\n", machine().c_str(), other.c_str(),
              mine.c_str(), rounds);
  std::map<std::string, std::vector<double>> rates[2];  // figure → captures/s per round, for A and B
  std::vector<std::string> order;
  // Each run counts twice: the whole pass, and up to its last record acknowledged (what the pass
  // does after the batches, the outcomes and media, is not uploading).
  auto note = [&](int which, const Figures& f) {
    const std::pair<std::string, double> both[] = {{f.what, f.seconds}, {f.what + ", to the last ack", f.acked}};
    for (const auto& [what, seconds] : both) {
      if (std::find(order.begin(), order.end(), what) == order.end()) order.push_back(what);
      rates[which][what].push_back(static_cast<double>(f.records) / seconds);
    }
    std::printf("  %s %-52s %9.0f captures/s (%.0f to the last ack)\n", which == 0 ? "A" : "B", f.what.c_str(),
                static_cast<double>(f.records) / f.seconds, static_cast<double>(f.records) / f.acked);
    std::fflush(stdout);
  };
  for (int round = 0; round < rounds; ++round) {
    for (int turn = 0; turn < 2; ++turn) {
      const int which = (round + turn) % 2;  // A B, then B A: neither always runs after the other
      setenv("ALLERVERS_SERVER_BINARY", which == 0 ? other.c_str() : mine.c_str(), 1);
      for (const Backend* b : {&sqlite, &postgres}) {
        if (!only.empty() && only != b->name) continue;
        note(which, one_device(*b, 10'000, "c10k"));
        note(which, many_devices(*b, 20, 2'000));
      }
      if (only.empty() || only == "sqlite") note(which, one_per_request(sqlite, 1'000));
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  // Besides the medians, B/A within each round (the two ran minutes apart at most): the machine's
  // slow drift cancels there, and their spread says how much to trust the figure.
  std::printf("\n| %-68s | %12s | %12s | %17s |\n", "run (captures/s, median)", "A before", "B after", "B/A by round: median (min-max)");
  std::printf("|%s|%s|%s|%s|\n", std::string(70, '-').c_str(), std::string(14, '-').c_str(), std::string(14, '-').c_str(),
              std::string(33, '-').c_str());
  for (const auto& what : order) {
    const auto& a = rates[0][what];
    const auto& b = rates[1][what];
    std::vector<double> ratios;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) ratios.push_back(b[i] / a[i]);
    std::printf("| %-68s | %12.0f | %12.0f | %5.2fx (%.2f-%.2f) |\n", what.c_str(), median(a), median(b), median(ratios),
                *std::min_element(ratios.begin(), ratios.end()), *std::max_element(ratios.begin(), ratios.end()));
  }
  return 0;
}

}  // namespace

// --- main ------------------------------------------------------------------------------

int main(int argc, char** argv) {
  if (argc > 2 && std::string(argv[1]) == "--compare") {
    try {
      return compare(argv[2], argc > 3 ? std::max(1, std::atoi(argv[3])) : 3, argc > 4 ? argv[4] : "");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_sync: %s\n", e.what());
      return 1;
    }
  }
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const bool ingest = argc > 1 && std::string(argv[1]) == "--ingest-only";  // for profiling the server's part
  try {
    if (ingest) {  // --ingest-only [COUNT [sqlite|postgresql]]
      const int count = argc > 2 ? std::max(1000, std::atoi(argv[2])) : 50'000;
      const std::string only = argc > 3 ? argv[3] : "";
      if (only != "postgresql") {
        test::TempDir dir;
        Backend sqlite{"sqlite", [&](const std::string& tag) { return "sqlite:" + (dir.path() / (tag + ".db")).string(); }};
        ingest_only(sqlite, count).print();
      }
      if (only != "sqlite") {
        test::PgInstance pg(/*durable=*/true);
        Backend postgres{"postgresql", [&](const std::string& tag) { return pg.create_database(tag); }};
        ingest_only(postgres, count).print();
      }
      return 0;
    }
    std::printf("machine: %s\n", machine().c_str());
    std::printf("durability: server SQLite WAL + synchronous=FULL, PostgreSQL fsync=on synchronous_commit=on; "
                "device SQLite WAL + synchronous=FULL\n\n");
    test::TempDir sqlite_dir;
    int n = 0;
    Backend sqlite{"sqlite", [&](const std::string& tag) {
                     return "sqlite:" + (sqlite_dir.path() / (tag + std::to_string(++n) + ".db")).string();
                   }};
    test::PgInstance pg(/*durable=*/true);
    Backend postgres{"postgresql", [&](const std::string& tag) { return pg.create_database(tag + std::to_string(++n)); }};

    std::printf("| %-52s | %9s | %8s | %10s | %9s | %8s |\n", "run", "captures", "seconds", "captures/s", "wire/capt", "pass");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(11, '-').c_str(), std::string(10, '-').c_str(),
                std::string(12, '-').c_str(), std::string(11, '-').c_str(), std::string(10, '-').c_str());
    for (const Backend* b : {&sqlite, &postgres}) {
      ingest_only(*b, quick ? 10'000 : 100'000).print();
      one_device(*b, 10'000, "e10k").print();
      if (!quick) one_device(*b, 100'000, "e100k").print();
      one_per_request(*b, quick ? 500 : 2000).print();
      many_devices(*b, 20, quick ? 500 : 5000).print();
    }
    const auto rows = rows_for(quick ? 10'000 : 100'000);
    raw_sqlite(rows).print();
    raw_postgres(pg.create_database("raw"), rows).print();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sync: %s\n", e.what());
    return 1;
  }
  return 0;
}
