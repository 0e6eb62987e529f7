// Kill -9 in the middle of capturing: every id reported durable is there, and the database
// passes integrity_check.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <thread>

#include "allervers/sqlite/database.hpp"
#include "store_fixture.hpp"

using namespace allervers;
using namespace allervers::test;

namespace {

// Starts the child, reads its stdout until `wanted` ids were printed plus a random extra
// delay, then SIGKILLs it. Returns every complete id line it printed.
std::vector<std::string> run_and_kill(const std::filesystem::path& folder, std::size_t wanted, int extra_ms) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(CRASH_CHILD, CRASH_CHILD, folder.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string text;
  std::size_t lines = 0;
  char buf[4096];
  while (lines < wanted) {
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms));
  kill(pid, SIGKILL);
  for (;;) {  // what it printed before dying still counts
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  std::vector<std::string> ids;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    ids.push_back(text.substr(start, nl - start));
  return ids;
}

}  // namespace

TEST_CASE("SIGKILL while capturing loses nothing that was reported durable", "[crash]") {
  StoreFixture f;
  const auto folder = f.dir.path() / "device";
  f.store = storage::DeviceStore::create(f.dir.path() / "elsewhere", "x", kStoreNow);  // release the folder
  std::mt19937 random(12345);
  std::size_t total_printed = 0;
  for (int round = 0; round < 5; ++round) {
    const auto printed = run_and_kill(folder, 50 + random() % 150, static_cast<int>(random() % 20));
    REQUIRE(printed.size() >= 50);
    total_printed += printed.size();
    storage::DeviceStore store = storage::DeviceStore::open(folder);
    auto check = store.database().query("PRAGMA integrity_check");
    check->step();
    CHECK(check->text(0) == "ok");
    for (const auto& text : printed) {
      const auto id = core::Uuid::parse(text);
      REQUIRE(id);
      CHECK(store.find(*id));
    }
    // Every stored capture has its outbox row: nothing half-written.
    auto orphans = store.database().query(
        "SELECT count(*) FROM captures c LEFT JOIN outbox o ON o.seq = c.seq WHERE o.seq IS NULL");
    orphans->step();
    CHECK(orphans->int64(0) == 0);
    CHECK(static_cast<std::size_t>(store.counts().total()) >= total_printed);
  }
}
