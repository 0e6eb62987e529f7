// DeviceStore as the app and the sync client use it.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "allervers/core/settings.hpp"
#include "allervers/sqlite/database.hpp"
#include "store_fixture.hpp"

using namespace allervers;
using namespace allervers::test;
using storage::AddOutcome;
using storage::DeviceStore;
using storage::StorageError;

TEST_CASE("a new device has an identity, the catalog, and nothing captured", "[store]") {
  StoreFixture f;
  CHECK(f.store.identity().device.version() == 7);
  CHECK(f.store.identity().name == "Tablette de test");
  CHECK(f.store.catalog().consultations.size() == 2);
  CHECK(f.store.counts().total() == 0);
  CHECK(f.store.pending(100, 1 << 20).empty());
  CHECK_FALSE(f.store.sync_state().last_success);
}

TEST_CASE("the database uses WAL with synchronous FULL", "[store]") {
  StoreFixture f;
  auto mode = f.store.database().query("PRAGMA journal_mode");
  mode->step();
  CHECK(mode->text(0) == "wal");
  auto sync = f.store.database().query("PRAGMA synchronous");
  sync->step();
  CHECK(sync->int64(0) == 2);  // FULL
}

namespace {
mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
// Sets the process umask for one scope (tests run one at a time in this process).
struct Umask {
  mode_t old;
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
};
}  // namespace

TEST_CASE("the database is 0600 in a 0700 folder whatever the umask - an older, looser one is tightened at open", "[store]") {
  test::TempDir dir;
  const auto data = dir.path() / "device";
  {
    Umask open_to_all(0);
    auto store = DeviceStore::create(data, "Tablette", kStoreNow);
    store.set_setting("sync.token", "jeton");  // the WAL exists now
    CHECK(mode_of(data) == 0700);
    CHECK(mode_of(DeviceStore::database_path(data)) == 0600);
    CHECK(mode_of(DeviceStore::database_path(data).string() + "-wal") == 0600);
    CHECK(mode_of(DeviceStore::database_path(data).string() + "-shm") == 0600);
  }
  // As a device made before this left them: 0755 and 0644.
  REQUIRE(::chmod(data.c_str(), 0755) == 0);
  REQUIRE(::chmod(DeviceStore::database_path(data).c_str(), 0644) == 0);
  (void)DeviceStore::open(data);
  CHECK(mode_of(data) == 0700);
  CHECK(mode_of(DeviceStore::database_path(data)) == 0600);
}

TEST_CASE("the sync token and pass keys are kept under device.key: the database file alone reveals neither", "[store]") {
  test::TempDir dir;
  const auto data = dir.path() / "device";
  const std::string token = "jeton-de-synchronisation-0123456789";
  {
    auto store = DeviceStore::create(data, "Tablette", kStoreNow);
    store.set_setting(core::settings::token, token);
    store.set_setting(core::settings::device_key, "AVS1-GRAINE");
    store.set_setting(core::settings::town_key, "AVK1-PUBLIC");  // public: kept as is
    CHECK(store.setting(core::settings::token) == token);
    CHECK(store.setting(core::settings::device_key) == "AVS1-GRAINE");
  }
  CHECK(mode_of(data / "device.key") == 0600);
  std::string files;
  for (const auto& entry : std::filesystem::directory_iterator(data))
    if (entry.path().filename() != "device.key") files += read_file(entry.path());
  CHECK(files.find(token) == std::string::npos);
  CHECK(files.find("AVS1-GRAINE") == std::string::npos);
  CHECK(files.find("AVK1-PUBLIC") != std::string::npos);

  // The database copied without its key: the secrets do not open, and the error says why.
  const auto copy = dir.path() / "copie";
  std::filesystem::create_directories(copy);
  std::filesystem::copy_file(DeviceStore::database_path(data), DeviceStore::database_path(copy));
  {
    auto stolen = DeviceStore::open(copy);
    CHECK_THROWS_WITH(stolen.setting(core::settings::token), Catch::Contains("does not open with"));
    CHECK(stolen.setting(core::settings::town_key) == "AVK1-PUBLIC");
  }

  // A database an older version left with the token in clear: encrypted at the next open.
  {
    auto store = DeviceStore::open(data);
    store.database().exec("UPDATE meta SET value = 'ancien-jeton-en-clair' WHERE key = 'setting.sync.token'");
  }
  auto store = DeviceStore::open(data);
  CHECK(store.setting(core::settings::token) == "ancien-jeton-en-clair");
  auto q = store.database().query("SELECT value FROM meta WHERE key = 'setting.sync.token'");
  REQUIRE(q->step());
  CHECK(q->text(0).rfind("AVE1:", 0) == 0);
}

TEST_CASE("creating where a device already lives changes nothing", "[store]") {
  StoreFixture f;
  f.add(1);
  CHECK_THROWS_MATCHES(DeviceStore::create(f.dir.path() / "device", "autre", kStoreNow), StorageError,
                       Catch::Predicate<StorageError>([](const StorageError& e) {
                         return e.kind() == StorageError::Kind::already_exists;
                       }));
  CHECK(f.store.counts().total() == 1);
}

TEST_CASE("everything is there after close and reopen", "[store]") {
  StoreFixture f;
  std::vector<core::Uuid> ids;
  for (int i = 0; i < 20; ++i) {
    auto c = sample_opinion(f.ids, f.store.identity().device, i);
    ids.push_back(c.id);
    CHECK(f.store.add(valid(c, f.catalog)).outcome == AddOutcome::stored);
  }
  const auto device = f.store.identity().device;
  f.store = DeviceStore::open(f.dir.path() / "device");  // the old connection closes here
  CHECK(f.store.identity().device == device);
  CHECK(f.store.catalog().consultations.size() == 2);
  CHECK(f.store.counts().of(core::CaptureKind::opinion) == 20);
  for (const auto& id : ids) CHECK(f.store.find(id));
}

TEST_CASE("a capture and its outbox row are written together, with increasing sequence numbers", "[store]") {
  StoreFixture f;
  const auto a = f.add(1);
  const auto b = f.add(2);
  CHECK(a.outcome == AddOutcome::stored);
  CHECK(b.seq == a.seq + 1);
  const auto pending = f.store.pending(10, 1 << 20);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].seq == a.seq);
  CHECK(pending[1].seq == b.seq);
  const auto stored = f.store.find(pending[0].id);
  REQUIRE(stored);
  CHECK(pending[0].json == core::canonical_json(stored->capture));
  CHECK(f.store.last_seq() == b.seq);
}

TEST_CASE("adding the same capture twice stores it once — other content under its id is refused", "[store]") {
  StoreFixture f;
  auto c = sample_opinion(f.ids, f.store.identity().device, 1);
  CHECK(f.store.add(valid(c, f.catalog)).outcome == AddOutcome::stored);
  const auto again = f.store.add(valid(c, f.catalog));
  CHECK(again.outcome == AddOutcome::already_stored);
  CHECK(f.store.counts().total() == 1);
  c.channel = core::Channel::market;
  CHECK_THROWS_MATCHES(f.store.add(valid(c, f.catalog)), StorageError, Catch::Predicate<StorageError>([](const StorageError& e) {
                         return e.kind() == StorageError::Kind::conflict &&
                                std::string(e.what()).find("already stored with different content") != std::string::npos;
                       }));
  CHECK(f.store.counts().total() == 1);
  CHECK(f.store.find(c.id)->capture.channel == core::Channel::door_to_door);
}

TEST_CASE("the outbox drains in order, bounded by count and bytes", "[store]") {
  StoreFixture f;
  for (int i = 0; i < 10; ++i) f.add(i);
  CHECK(f.store.pending(3, 1 << 20).size() == 3);
  const auto one = f.store.pending(10, 1);
  CHECK(one.size() == 1);  // always at least one, however small the budget
  const std::size_t size = one[0].json.size();
  CHECK(f.store.pending(10, size * 4 + size / 2).size() == 4);

  auto batch = f.store.pending(4, 1 << 20);
  std::vector<std::int64_t> seqs;
  for (const auto& r : batch) seqs.push_back(r.seq);
  f.store.mark_attempted(seqs);
  CHECK(f.store.pending(1, 1 << 20)[0].attempts == 1);
  f.store.mark_acked({seqs[0], seqs[1], seqs[2]}, kStoreNow);
  f.store.mark_rejected(seqs[3], "consultation: unknown on the server", kStoreNow);
  const auto rest = f.store.pending(100, 1 << 20);
  CHECK(rest.size() == 6);
  CHECK(rest.front().seq == seqs[3] + 1);
  const auto counts = f.store.counts();
  CHECK(counts.acked == 3);
  CHECK(counts.rejected == 1);
  CHECK(counts.pending == 6);
  const auto rejected = f.store.rejected();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].seq == seqs[3]);
  CHECK(rejected[0].reason == "consultation: unknown on the server");
}

TEST_CASE("captures by consultation and local day", "[store]") {
  StoreFixture f;
  const core::Instant monday = core::parse_instant("2026-11-16T23:30:00+01:00").value();
  const core::Instant tuesday = core::parse_instant("2026-11-17T00:30:00+01:00").value();  // still the 16th in UTC
  f.add(1, monday);
  f.add(2, tuesday);
  f.add(3, tuesday);
  std::vector<std::int64_t> seen;
  f.store.for_each_capture([&](const storage::StoredCapture& s) { seen.push_back(s.seq); }, std::string("place-jean-jaures"),
                           std::string("2026-11-17"));
  CHECK(seen.size() == 2);
  CHECK(f.store.counts_on_day("2026-11-16").total() == 1);
  CHECK(f.store.counts_on_day("2026-11-17").of(core::CaptureKind::opinion) == 2);
  seen.clear();
  f.store.for_each_capture([&](const storage::StoredCapture& s) { seen.push_back(s.seq); }, std::string("budget-participatif-2027"));
  CHECK(seen.empty());
}

TEST_CASE("a newer catalog adds versions and keeps the old ones", "[store]") {
  StoreFixture f;
  core::Catalog next = f.catalog;
  next.consultations[0].version = 2;
  next.consultations[0].questions.pop_back();
  next.consultations.erase(next.consultations.begin() + 1);
  f.store.save_catalog(next);
  CHECK(f.store.catalog().find("place-jean-jaures", 1));
  CHECK(f.store.catalog().find("place-jean-jaures", 2));
  CHECK(f.store.catalog().latest("place-jean-jaures")->version == 2);
  CHECK(f.store.catalog().find("budget-participatif-2027", 1));
  f.store = DeviceStore::open(f.dir.path() / "device");
  CHECK(f.store.catalog().consultations.size() == 3);
}

TEST_CASE("a catalog saved by another connection shows after reload", "[store]") {
  StoreFixture f;
  auto other = DeviceStore::open(f.dir.path() / "device");  // the sync thread's connection
  core::Catalog next = f.catalog;
  next.consultations[1].version = 2;
  other.save_catalog(next);
  CHECK_FALSE(f.store.catalog().find("budget-participatif-2027", 2));
  f.store.reload_catalog();
  CHECK(f.store.catalog().find("budget-participatif-2027", 2));
}

TEST_CASE("settings and sync state persist", "[store]") {
  StoreFixture f;
  f.store.set_setting("sync.server", "https://participer.example.fr");
  f.store.record_sync_attempt(kStoreNow, "server unreachable");
  CHECK(f.store.sync_state().last_error == "server unreachable");
  CHECK_FALSE(f.store.sync_state().last_success);
  f.store.record_sync_attempt(core::Instant{kStoreNow.utc_ms + 1000, 60}, "");
  f.store = DeviceStore::open(f.dir.path() / "device");
  CHECK(f.store.setting("sync.server") == "https://participer.example.fr");
  CHECK_FALSE(f.store.setting("nothing"));
  const auto state = f.store.sync_state();
  REQUIRE(state.last_success);
  CHECK(state.last_success->utc_ms == kStoreNow.utc_ms + 1000);
  CHECK(state.last_error.empty());
}

TEST_CASE("a group commits many captures at once, or none of them", "[store]") {
  StoreFixture f;
  {
    DeviceStore::Group group(f.store);
    for (int i = 0; i < 50; ++i) group.add(valid(sample_opinion(f.ids, f.store.identity().device, i), f.catalog));
    CHECK(group.size() == 50);
    group.commit();
    group.add(valid(sample_opinion(f.ids, f.store.identity().device, 99), f.catalog));
    // destroyed without commit: rolled back
  }
  CHECK(f.store.counts().total() == 50);
  f.store = DeviceStore::open(f.dir.path() / "device");
  CHECK(f.store.counts().total() == 50);
}

TEST_CASE("hostile text is stored as data and read back unchanged", "[store]") {
  StoreFixture f;
  auto c = sample_opinion(f.ids, f.store.identity().device, 1);
  const std::string hostile = "Robert'); DROP TABLE captures;-- 👍🏽 « é » أهلا";
  std::get<core::Opinion>(c.body).answers["commentaire"] = hostile;
  f.store.add(valid(c, f.catalog));
  const auto back = f.store.find(c.id);
  REQUIRE(back);
  CHECK(std::get<std::string>(back->capture.opinion()->answers.at("commentaire")) == hostile);
  CHECK(f.store.counts().total() == 1);
}

TEST_CASE("sign-ins: the first time a pass came, and a head count of people, not scans", "[store]") {
  StoreFixture f;
  auto signin = [&](const std::string& assembly, const std::string& pass, std::int64_t at_ms) {
    core::Capture c;
    c.id = f.ids.next(at_ms);
    c.device = f.store.identity().device;
    c.channel = core::Channel::assembly;
    c.captured_at = core::Instant{at_ms, 60};
    c.body = core::SignIn{assembly, pass, "", "", false};
    return f.store.add(valid(c, f.catalog));
  };
  const std::int64_t t0 = kStoreNow.utc_ms;
  CHECK(f.store.head_count("conseil-centre-2026-12") == 0);
  signin("conseil-centre-2026-12", "PASS-A", t0);
  signin("conseil-centre-2026-12", "PASS-A", t0 + 60'000);  // shown twice (another device, say)
  signin("conseil-centre-2026-12", "PASS-B", t0 + 1000);
  signin("conseil-centre-2026-12", "", t0 + 2000);  // signed in on screen, no pass
  signin("conseil-centre-2026-12", "", t0 + 3000);
  signin("assemblee-bois-joli-2026-12", "PASS-A", t0 + 4000);
  CHECK(f.store.head_count("conseil-centre-2026-12") == 4);
  CHECK(f.store.head_count("assemblee-bois-joli-2026-12") == 1);
  const auto first = f.store.first_sign_in("conseil-centre-2026-12", "PASS-A");
  REQUIRE(first);
  CHECK(first->utc_ms == t0);
  CHECK(first->offset_minutes == 60);
  CHECK_FALSE(f.store.first_sign_in("conseil-centre-2026-12", "PASS-C"));
  CHECK_FALSE(f.store.first_sign_in("assemblee-bois-joli-2026-12", "PASS-B"));
}

namespace {
using Outcome = DeviceStore::OutcomeRow;

// The outcomes held, in the order find_outcomes reads them: by kind, then row order.
std::vector<std::string> held_outcomes(DeviceStore& store) {
  std::vector<std::string> out;
  for (const char* kind : {"ballot", "idea"}) {
    auto q = store.database().query("SELECT key, body FROM outcomes WHERE kind = ?1 ORDER BY rowid");
    q->bind(1, kind);
    while (q->step()) out.push_back(std::string(kind) + " " + q->text(0) + " " + q->text(1));
  }
  return out;
}

std::vector<std::string> expected_outcomes(const std::vector<Outcome>& rows) {
  std::vector<std::string> out;
  for (const char* kind : {"ballot", "idea"})
    for (const auto& r : rows)
      if (r.kind == kind) out.push_back(r.kind + " " + r.key + " " + r.body);
  return out;
}

std::int64_t changes_so_far(DeviceStore& store) {
  auto q = store.database().query("SELECT total_changes()");
  q->step();
  return q->int64(0);
}
}  // namespace

TEST_CASE("outcomes are replaced row for row, and only what changed is written", "[store]") {
  StoreFixture f;
  const std::vector<Outcome> first{{"idea", "aaa", "{\"t\":\"Des bancs\"}"},
                                   {"ballot", "b01", "{\"state\":\"counted\"}"},
                                   {"idea", "bbb", "{\"t\":\"Un abri\"}"},
                                   {"idea", "aaa", "{\"t\":\"Un autre, même clé\"}"},
                                   {"ballot", "b02", "{\"state\":\"counted\"}"}};
  f.store.replace_outcomes(first, {{core::settings::outcomes_etag, "\"1\""}});
  CHECK(held_outcomes(f.store) == expected_outcomes(first));
  CHECK(f.store.find_outcomes("idea", "aaa") == std::vector<std::string>{"{\"t\":\"Des bancs\"}", "{\"t\":\"Un autre, même clé\"}"});

  SECTION("the same document again writes nothing") {
    const auto before = changes_so_far(f.store);
    f.store.replace_outcomes(first, {});
    CHECK(changes_so_far(f.store) == before);
    CHECK(held_outcomes(f.store) == expected_outcomes(first));
  }
  SECTION("a changed idea is updated in place, a new one added after, an extra ballot deleted") {
    const std::vector<Outcome> second{{"idea", "aaa", "{\"t\":\"Des bancs\"}"},
                                      {"idea", "bbb", "{\"t\":\"Un abri\",\"state\":\"faisable\"}"},
                                      {"ballot", "b01", "{\"state\":\"counted\"}"},
                                      {"idea", "aaa", "{\"t\":\"Un autre, même clé\"}"},
                                      {"idea", "ccc", "{\"t\":\"Une fontaine\"}"}};
    const auto before = changes_so_far(f.store);
    f.store.replace_outcomes(second, {{core::settings::outcomes_etag, "\"2\""}});
    CHECK(changes_so_far(f.store) - before == 4);  // one update, one insert, one delete, the ETag
    CHECK(held_outcomes(f.store) == expected_outcomes(second));
    CHECK(f.store.find_outcomes("idea", "bbb") == std::vector<std::string>{"{\"t\":\"Un abri\",\"state\":\"faisable\"}"});
    CHECK(f.store.find_outcomes("ballot", "b02").empty());
    CHECK(f.store.setting(core::settings::outcomes_etag) == "\"2\"");
  }
  SECTION("an idea gone from the middle shifts the rest, and the order stays the document's") {
    const std::vector<Outcome> third{{"idea", "aaa", "{\"t\":\"Un autre, même clé\"}"}, {"idea", "zzz", "{\"t\":\"Un kiosque\"}"},
                                     {"idea", "aaa", "{\"t\":\"Des bancs\"}"}};
    f.store.replace_outcomes(third, {});
    CHECK(held_outcomes(f.store) == expected_outcomes(third));
    CHECK(f.store.find_outcomes("idea", "aaa") == std::vector<std::string>{"{\"t\":\"Un autre, même clé\"}", "{\"t\":\"Des bancs\"}"});
    CHECK(f.store.find_outcomes("ballot", "b01").empty());
  }
  SECTION("an empty document empties the table") {
    f.store.replace_outcomes({}, {});
    CHECK(held_outcomes(f.store).empty());
  }
  SECTION("what is held after a reopening is the last document") {
    const std::vector<Outcome> fourth{{"ballot", "b03", "{\"state\":\"flagged\"}"}, {"idea", "aaa", "{\"t\":\"Des bancs\"}"}};
    f.store.replace_outcomes(fourth, {});
    f.store = DeviceStore::open(f.dir.path() / "device");  // the old connection closes here
    CHECK(held_outcomes(f.store) == expected_outcomes(fourth));
  }
}

TEST_CASE("a sealed contact is purged from the device once the server holds the idea", "[store]") {
  StoreFixture f;
  core::Capture c;
  c.id = f.ids.next(kStoreNow.utc_ms);
  c.device = f.store.identity().device;
  c.consultation = "budget-participatif-2027";
  c.version = 1;
  c.captured_at = kStoreNow;
  const std::string sealed = "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vsA==";  // a sealed box's shape
  c.body = core::Idea{"Un abri vélos", "Un abri couvert de vingt places devant l’école.", "mobilites", "gare", "", {},
                      core::SealedContact{true, sealed}};
  const auto added = f.store.add(valid(c, f.catalog));
  CHECK(f.store.pending(10, 1 << 20)[0].json.find(sealed) != std::string::npos);  // sent as captured
  f.store.mark_acked({added.seq}, kStoreNow);
  const auto back = f.store.find(c.id);
  REQUIRE(back);
  CHECK_FALSE(back->capture.idea()->contact);
  CHECK(back->capture.idea()->title == "Un abri vélos");
  f.store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(read_file(DeviceStore::database_path(f.dir.path() / "device")).find(sealed) == std::string::npos);
}

TEST_CASE("media files the catalog names: missing until kept, kept across a reopening, refusals remembered", "[store][media]") {
  StoreFixture f;
  const std::string a(64, 'a'), b(64, 'b');
  CHECK(f.store.missing_media().empty());  // the demo catalog names its pictograms by file: no media name yet
  auto catalog = f.catalog;
  catalog.consultations[0].questions[0].pictogram = a;
  catalog.consultations[0].questions[0].options[0].pictogram = b;
  catalog.consultations[0].questions[0].options[1].pictogram = "velo.png";  // a file name: not a media name
  catalog.consultations[0].version += 1;
  f.store.save_catalog(catalog);
  CHECK(f.store.missing_media() == std::vector<std::string>{a, b});

  // Bytes with NULs and high bytes survive as they are (a BLOB, not text).
  const std::string bytes("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\xFF", 17);
  f.store.record_media_refusal(a, "the bytes received hash to 00…, not to the name asked for", kStoreNow);
  REQUIRE(f.store.media_refusals().size() == 1);
  CHECK(f.store.media_refusals()[0].hash == a);
  f.store.save_media({a, "image/png", 4, 4, bytes}, kStoreNow);
  CHECK(f.store.media_refusals().empty());  // kept now: its refusal is forgotten
  CHECK(f.store.missing_media() == std::vector<std::string>{b});
  f.store.save_media({a, "image/png", 4, 4, "other bytes"}, kStoreNow);  // kept once: the same name is the same file
  auto reopened = storage::DeviceStore::open(f.dir.path() / "device");
  const auto held = reopened.media(a);
  REQUIRE(held);
  CHECK(held->data == bytes);
  CHECK(held->content_type == "image/png");
  CHECK_FALSE(reopened.media(b));
  CHECK(reopened.missing_media() == std::vector<std::string>{b});
}

namespace {
// SQLite's temporary files open in this process (unix VFS names them etilqs_…, unlinked at once).
int temporary_files_open() {
  int n = 0;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(fd.path(), ec);
    if (!ec && target.string().find("etilqs_") != std::string::npos) ++n;
  }
  return n;
}
}  // namespace

TEST_CASE("a statement inside a long transaction keeps its journal in memory, not in a temporary file", "[store]") {
  // The server's batches written together (group commit) re-change pages their transaction had
  // already changed; each statement's journal of them went to /var/tmp past 64 KiB.
  TempDir dir;
  sqlite::DatabaseOptions options;
  options.create = true;
  sqlite::Database db(dir.path() / "journal.db", options);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  db.exec("BEGIN IMMEDIATE");
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
          "INSERT INTO t SELECT i, printf('%0400d', i) FROM n");
  // One statement over every row the transaction wrote: about 4 MB of pages to be able to undo.
  db.exec("UPDATE t SET v = printf('%0400d', k + 100000)");
  CHECK(temporary_files_open() == 0);
  db.exec("COMMIT");
  auto q = db.query("SELECT COUNT(*) FROM t WHERE v LIKE '%1%'");
  REQUIRE(q->step());
  CHECK(q->int64(0) == 4000);
}
