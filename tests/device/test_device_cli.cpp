// allervers-device end to end on a temporary folder, as support staff and scripts use it.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>

#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/storage/device_store.hpp"
#include "test_support.hpp"

using namespace allervers::test;
using nlohmann::json;

namespace {

RunResult device(const TempDir& dir, std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), {DEVICE_CLI, "--data", (dir / "data").string()});
  return run(args, input);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::string kExample = (assets_dir() / "demo/captures-example.jsonl").string();

}  // namespace

TEST_CASE("init makes a device with the demo catalog — a second init changes nothing", "[cli]") {
  TempDir dir;
  const auto first = device(dir, {"init", "--name", "Tablette 3"});
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("\"Tablette 3\"") != std::string::npos);
  CHECK(first.out.find("2 consultation version(s)") != std::string::npos);
  const auto second = device(dir, {"init"});
  CHECK(second.exit_code == 2);
  CHECK(second.err.find("already exists") != std::string::npos);
}

TEST_CASE("init refuses a broken catalog before creating anything", "[cli]") {
  TempDir dir;
  write_file(dir / "bad.json", R"({"town":{"name":"X"},"consultations":[{"id":"a","version":1}]})");
  const auto r = device(dir, {"init", "--catalog", (dir / "bad.json").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("$.consultations[0].title: missing") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "data"));
}

TEST_CASE("init keeps the pictograms beside the catalog: the demo's are shown before any sync", "[cli]") {
  TempDir dir;
  const auto r = device(dir, {"init"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("24 pictogram(s)") != std::string::npos);  // 25 places, one drawing used twice
  auto store = allervers::storage::DeviceStore::open(dir / "data");
  const auto* c = store.catalog().find("place-jean-jaures", 1);
  REQUIRE(c);
  int named = 0;
  auto held = [&](const std::string& name) {
    INFO(name);
    ++named;
    REQUIRE(name.size() == 64);  // named by the SHA-256 of the file, as the server publishes it
    const auto file = store.media(name);
    REQUIRE(file);
    CHECK(file->content_type == "image/png");
  };
  for (const auto& q : c->questions) {
    held(q.pictogram);
    if (q.type == allervers::core::QuestionType::single_choice || q.type == allervers::core::QuestionType::multiple_choice)
      for (const auto& o : q.options) held(o.pictogram);  // (a neighbourhood question's are the town's)
  }
  CHECK(named == 25);
  CHECK(store.missing_media().empty());
  CHECK(device(dir, {"status"}).out.find("Pictures:") == std::string::npos);  // nothing to fetch
}

TEST_CASE("init refuses a catalog whose pictogram is missing or not a PNG, naming it, before creating anything", "[cli]") {
  TempDir dir;
  auto doc = json::parse(read_file(assets_dir() / "demo/catalog.json"));
  write_catalog_folder(dir / "town", doc.dump());
  std::filesystem::remove(dir / "town" / "velo.png");
  auto r = device(dir, {"init", "--catalog", (dir / "town" / "catalog.json").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("consultations[0].questions[5].options[3].pictogram: no file") != std::string::npos);
  CHECK(r.err.find("velo.png") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "data"));
  write_file(dir / "town" / "velo.png", "GIF89a: not a PNG");
  r = device(dir, {"init", "--catalog", (dir / "town" / "catalog.json").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("velo.png: the file is neither a PNG nor a JPEG image") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "data"));
}

TEST_CASE("commands on a folder without a device say to run init", "[cli]") {
  TempDir dir;
  const auto r = device(dir, {"status"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("run `allervers-device --data") != std::string::npos);
}

TEST_CASE("the example file goes in once: a second import adds nothing", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  const auto first = device(dir, {"capture", "--file", kExample});
  CHECK(first.exit_code == 0);
  const auto ids = lines_of(first.out);
  CHECK(ids.size() == 6);
  CHECK(ids[0] == "019ab0c2-5e00-7000-8000-00000000a001");
  CHECK(first.err.find("capture: 6 stored, 0 already stored, 0 refused") != std::string::npos);

  const auto second = device(dir, {"capture", "--file", kExample});
  CHECK(second.exit_code == 0);
  CHECK(second.out.empty());
  CHECK(second.err.find("line 1: 019ab0c2-5e00-7000-8000-00000000a001 already stored (nothing added)") != std::string::npos);
  CHECK(second.err.find("capture: 0 stored, 6 already stored, 0 refused") != std::string::npos);

  const auto status = device(dir, {"status", "--format", "json"});
  REQUIRE(status.exit_code == 0);
  const json s = json::parse(status.out);
  CHECK(s["captures"]["opinion"] == 3);
  CHECK(s["captures"]["idea"] == 2);
  CHECK(s["captures"]["signin"] == 1);
  CHECK(s["outbox"]["pending"] == 6);
  CHECK(s["last_sync"] == "");
}

TEST_CASE("bad lines are reported with their number and reason — good lines still go in", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  const std::string input =
      R"({"kind":"opinion","consultation":"place-jean-jaures","answers":{"frequence":"parfois","satisfaction":5,"arbres":true,"priorites":["ombre"],"stationnement":1}})" "\n"
      "\n"
      R"({"kind":"opinion","consultation":"place-jean-jaures","answers":{"frequence":"souvent"}})" "\n"
      "this is not JSON\n"
      R"({"kind":"idea","consultation":"budget-participatif-2027","idea":{"title":"Des bancs","description":"Trois bancs à l’ombre, près des jeux.","theme":"cadre-de-vie","neighbourhood":"gare"}})" "\n"
      R"({"kind":"idea","consultation":"piscine","idea":{}})" "\n"
      "{\"kind\":\"opinion\",\"consultation\":\"place-jean-jaures\",\"answers\":{\"commentaire\":\"a\\u0000b\"}}\n"
      + std::string(70 * 1024, ' ') + "{}\n"
      + R"({"kind":"opinion","consultation":"place-jean-jaures","answers":{"frequence":"parfois"}})" + std::string(1, '\0') + "ignored?\n"
      R"({"kind":"signin","channel":"assembly","signin":{"assembly":"conseil-centre-2026-12"}})";  // no final newline
  const auto r = device(dir, {"capture", "--file", "-", "--channel", "market"}, input);
  CHECK(r.exit_code == 1);
  CHECK(lines_of(r.out).size() == 3);
  CHECK(r.err.find("line 3: answers.frequence: \"souvent\" is not one of the choices") != std::string::npos);
  CHECK(r.err.find("line 4: record: not valid JSON") != std::string::npos);
  CHECK(r.err.find("line 6: consultation: \"piscine\" is not a known consultation") != std::string::npos);
  const auto line7 = r.err.find("line 7: ");
  REQUIRE(line7 != std::string::npos);
  CHECK(r.err.find("answers.commentaire: the text holds a NUL byte", line7) < r.err.find("line 8: "));
  CHECK(r.err.find("line 8: record: longer than 64 KiB") != std::string::npos);
  CHECK(r.err.find("line 9: record: holds a NUL byte") != std::string::npos);
  CHECK(r.err.find("capture: 3 stored, 0 already stored, 6 refused") != std::string::npos);

  const auto list = device(dir, {"list", "--format", "jsonl"});
  const auto records = lines_of(list.out);
  REQUIRE(records.size() == 3);
  CHECK(json::parse(records[0])["channel"] == "market");  // from --channel
  CHECK(json::parse(records[0])["version"] == 1);         // the current version, filled in
  CHECK(json::parse(records[2])["channel"] == "assembly");
}

TEST_CASE("list prints every capture as one JSON object a line, filtered by consultation and day", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  REQUIRE(device(dir, {"capture", "--file", kExample}).exit_code == 0);
  const auto all = lines_of(device(dir, {"list"}).out);
  REQUIRE(all.size() == 6);
  for (const auto& line : all) CHECK(json::parse(line).contains("id"));
  CHECK(lines_of(device(dir, {"list", "--consultation", "budget-participatif-2027"}).out).size() == 2);
  CHECK(lines_of(device(dir, {"list", "--day", "2026-11-21"}).out).size() == 2);
  // What list prints can be entered again: the same ids, nothing added.
  const auto again = device(dir, {"capture", "--file", "-"}, device(dir, {"list"}).out);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("0 stored, 6 already stored") != std::string::npos);
}

TEST_CASE("the same id with other content is refused and the first kept", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  REQUIRE(device(dir, {"capture", "--file", kExample}).exit_code == 0);
  const std::string altered =
      R"({"id":"019ab0c2-5e00-7000-8000-00000000c001","kind":"signin","channel":"assembly","captured_at":"2026-11-22T18:35:00+01:00","signin":{"assembly":"conseil-centre-2026-12","neighbourhood":"gare"}})";
  const auto r = device(dir, {"capture", "--file", "-"}, altered + "\n");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("line 1: id: capture 019ab0c2-5e00-7000-8000-00000000c001 is already stored with different content") !=
        std::string::npos);
}

TEST_CASE("a missing input file is a clear error", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  const auto r = device(dir, {"capture", "--file", (dir / "nope.jsonl").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot read") != std::string::npos);
}

TEST_CASE("plain http:// to another machine is refused - unless --insecure-http, and then status says INSECURE", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  // Refused before any connection: nothing is sent, nothing kept.
  for (const auto& link : {std::vector<std::string>{"enrol", "http://192.0.2.1:8080", "AAAA-BBBB-CCCC-DDDD"},
                           std::vector<std::string>{"enrol", "allervers-enrol:http://mairie.example.fr#AAAA-BBBB-CCCC-DDDD"}}) {
    const auto r = device(dir, link);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("plain http:// to another machine is refused") != std::string::npos);
  }
  {
    auto store = allervers::storage::DeviceStore::open(dir / "data");
    CHECK(store.setting(allervers::core::settings::server_url).value_or("").empty());
    // A database enrolled over http before the rule (or edited) is held to it at sync.
    store.set_setting(allervers::core::settings::server_url, "http://192.0.2.1:9");
    store.set_setting(allervers::core::settings::token, "jeton");
  }
  auto r = device(dir, {"sync"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("plain http:// to another machine is refused") != std::string::npos);
  CHECK(device(dir, {"status"}).out.find("9  INSECURE: plain http") == std::string::npos);
  {
    auto store = allervers::storage::DeviceStore::open(dir / "data");
    store.set_setting(allervers::core::settings::insecure_http, "1");  // as enrol --insecure-http leaves it
  }
  r = device(dir, {"status"});
  CHECK(r.out.find("http://192.0.2.1:9  INSECURE: plain http") != std::string::npos);
  CHECK(json::parse(device(dir, {"status", "--format", "json"}).out)["insecure_http"] == true);
}

TEST_CASE("status in text form speaks of counts, pending and last sync", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init", "--name", "Kiosque mairie"}).exit_code == 0);
  REQUIRE(device(dir, {"capture", "--file", kExample}).exit_code == 0);
  const auto r = device(dir, {"status"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Kiosque mairie") != std::string::npos);
  CHECK(r.out.find("Captures:      6 (opinions 3, ideas 2, sign-ins 1, ballots 0)") != std::string::npos);
  CHECK(r.out.find("Pending sync:  6") != std::string::npos);
  CHECK(r.out.find("Last sync:     never") != std::string::npos);
  CHECK(r.out.find("place-jean-jaures v1 — Réaménagement de la place Jean-Jaurès") != std::string::npos);
}

TEST_CASE("bulk entry killed with SIGKILL: every id it printed is stored", "[cli][crash]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  int in[2], out[2];
  REQUIRE(pipe(in) == 0);
  REQUIRE(pipe(out) == 0);
  const std::string data = (dir / "data").string();
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    execl(DEVICE_CLI, DEVICE_CLI, "--data", data.c_str(), "capture", "--file", "-", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  signal(SIGPIPE, SIG_IGN);
  // Feed lines in bursts (so groups commit both when full and when the input pauses) while
  // reading what it prints, never blocking on either pipe (a full pipe each way would
  // deadlock), and kill the process while it is still busy.
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  const std::string line =
      R"({"kind":"opinion","consultation":"place-jean-jaures","answers":{"frequence":"parfois","satisfaction":2,"arbres":true,"priorites":["bancs"],"stationnement":4}})"
      "\n";
  std::string printed;
  char buf[65536];
  for (int burst = 0; burst < 40; ++burst) {
    std::string chunk;
    for (int i = 0; i < 1 + burst * 37; ++i) chunk += line;
    std::size_t sent = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (sent < chunk.size() && std::chrono::steady_clock::now() < deadline) {
      pollfd fds[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
      poll(fds, 2, 100);
      if (fds[0].revents & POLLIN) {
        const ssize_t n = read(out[0], buf, sizeof buf);
        if (n > 0) printed.append(buf, static_cast<std::size_t>(n));
      }
      if (fds[1].revents & POLLOUT) {
        const ssize_t n = write(in[1], chunk.data() + sent, chunk.size() - sent);
        if (n > 0) sent += static_cast<std::size_t>(n);
      }
    }
    usleep(2000);
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) printed.append(buf, static_cast<std::size_t>(n));
  }
  kill(pid, SIGKILL);
  close(in[1]);
  fcntl(out[0], F_SETFL, 0);  // the child is dead: read what it printed to the end
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) printed.append(buf, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));

  std::vector<std::string> ids;
  std::istringstream lines(printed);
  for (std::string id; std::getline(lines, id);)
    if (id.size() == 36) ids.push_back(id);  // a line cut by the kill is not a report
  CHECK(ids.size() > 100);
  auto store = allervers::storage::DeviceStore::open(dir / "data");
  for (const auto& id : ids) CHECK(store.find(allervers::core::Uuid::parse(id).value()));
  CHECK(store.counts().total() >= static_cast<std::int64_t>(ids.size()));
}

TEST_CASE("paper ballots typed in: the pass becomes the vote's keyed hash, one ballot a pass, bad lines refused whole", "[cli]") {
  TempDir dir;
  REQUIRE(device(dir, {"init"}).exit_code == 0);
  const std::string v = R"("vote":"budget-2027-vote")";
  const std::string input =
      R"({"kind":"ballot","captured_at":"2026-11-21T10:00:00+01:00","ballot":{)" + v + R"(,"pass":"ABCDEFGHJK","projects":["aire-de-jeux"],"age_confirmed":true,"paper":true,"receipt":"PAPR0001"}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:01:00+01:00","ballot":{)" + v + R"(,"pass":"ABCDEFGHJK","projects":["pistes-cyclables","boite-a-livres","jardin-partage"],"age_confirmed":true,"paper":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:02:00+01:00","ballot":{)" + v + R"(,"pass":"BCDEFGHJKM","projects":["piscine"],"age_confirmed":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:03:00+01:00","ballot":{)" + v + R"(,"pass":"BCDEFGHJKM","projects":["aire-de-jeux","pistes-cyclables","jardin-partage"],"age_confirmed":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:04:00+01:00","ballot":{)" + v + R"(,"projects":["aire-de-jeux"],"age_confirmed":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-10-31T10:00:00+01:00","ballot":{)" + v + R"(,"pass":"CDEFGHJKMN","projects":["aire-de-jeux"],"age_confirmed":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:05:00+01:00","ballot":{)" + v + R"(,"pass":"not-a-pass","projects":["aire-de-jeux"],"age_confirmed":true}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:06:00+01:00","ballot":{)" + v + R"(,"pass":"DEFGHJKMNP","projects":["aire-de-jeux"]}})" "\n"
      R"({"kind":"ballot","captured_at":"2026-11-21T10:07:00+01:00","ballot":{)" + v + R"(,"pass":"BCDEFGHJKM","projects":["aire-de-jeux"],"age_confirmed":true}})" "\n";
  const auto r = device(dir, {"capture", "--file", "-", "--channel", "assembly"}, input);
  CHECK(r.exit_code == 1);
  CHECK(lines_of(r.out).size() == 2);
  CHECK(r.err.find("line 2: ballot.pass: this pass has already voted in budget-2027-vote on this device") != std::string::npos);
  CHECK(r.err.find("line 3: ballot.projects: \"piscine\" is not a project of the vote") != std::string::npos);
  CHECK(r.err.find("line 4: ballot.projects: the basket costs 185 000 €, more than the town's envelope") != std::string::npos);
  CHECK(r.err.find("line 5: ballot.pass: say which pass voted") != std::string::npos);
  CHECK(r.err.find("line 6: captured_at: the vote budget-2027-vote takes ballots from 2026-11-01 to 2027-06-30, not on 2026-10-31") !=
        std::string::npos);
  CHECK(r.err.find("line 7: ballot.pass: \"not-a-pass\" is not a pass id") != std::string::npos);
  CHECK(r.err.find("line 8: ballot.age_confirmed: the vote is for people aged 16 or more") != std::string::npos);
  CHECK(r.err.find("capture: 2 stored, 0 already stored, 7 refused") != std::string::npos);

  const auto list = device(dir, {"list"}).out;
  CHECK(list.find("ABCDEFGHJK") == std::string::npos);  // no pass id in clear, anywhere
  CHECK(list.find("BCDEFGHJKM") == std::string::npos);
  const auto records = lines_of(list);
  REQUIRE(records.size() == 2);
  const json first = json::parse(records[0]);
  CHECK(first["ballot"]["receipt"] == "PAPR0001");
  CHECK(first["ballot"]["paper"] == true);
  CHECK(first["ballot"]["voter"].get<std::string>().size() == 64);
  CHECK(json::parse(records[1])["ballot"]["receipt"].get<std::string>().size() == 8);  // made on the device
  CHECK(json::parse(device(dir, {"status", "--format", "json"}).out)["captures"]["ballot"] == 2);
}
