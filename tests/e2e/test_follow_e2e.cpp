// « Où en est mon idée ? » end to end, on the device's side: a real allervers-server process and
// allervers-device. Ideas captured on a device are answered from the device alone at each stage
// — saved here, arrived at the town hall, then the town's state and public answer once the office
// reviewed them and the device synced (GET /api/v1/outcomes) — a merged idea with the kept
// one's outcome, a refused one with its reason; the answers stay when the server is gone.
#include <catch2/catch.hpp>

#include "allervers/core/receipt.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/sync/outcomes.hpp"
#include "allervers/sync/protocol.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
using nlohmann::json;

namespace {

std::string device_binary() { return (test::binary_dir() / "device" / "allervers-device").string(); }

const server::Reviewer kCoordinator{{"Claire", "127.0.0.1"}, server::Reach::all};

core::ReviewChange change(core::IdeaState to, std::string answer = "") {
  core::ReviewChange c;
  c.to = to;
  c.public_answer = std::move(answer);
  return c;
}

}  // namespace

TEST_CASE("ideas followed on a device: saved here, arrived, then the town's answer, offline too") {
  if (!std::filesystem::exists(device_binary())) FAIL("allervers-device was not built: " << device_binary());
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.extra_args = {"--public-url", "https://participer.example.fr"};
  server.start();
  const std::string data = (dir.path() / "device").string();
  auto device = [&](std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {device_binary(), "--data", data});
    return test::run(args, input);
  };
  REQUIRE(device({"init", "--name", "Borne mairie"}).exit_code == 0);
  REQUIRE(device({"enrol", sync::protocol::enrol_link(server.url(), make_enrol_code(database, "Borne mairie"))}).exit_code == 0);
  REQUIRE(device({"sync"}).exit_code == 0);
  CHECK(storage::DeviceStore::open(data).setting(core::settings::public_url) == "https://participer.example.fr");

  // Three ideas typed in on the kiosk, with ids given so their codes are known here.
  const std::vector<std::string> ids{"019ab0c2-5e00-7000-8000-00000000f001", "019ab0c2-5e00-7000-8000-00000000f002",
                                     "019ab0c2-5e00-7000-8000-00000000f003"};
  const std::vector<std::string> titles{"Des bancs rue Haute", "Un banc près de l’école", "Une piscine olympique"};
  std::string lines;
  for (std::size_t i = 0; i < ids.size(); ++i)
    lines += json{{"id", ids[i]},
                  {"kind", "idea"},
                  {"consultation", "budget-participatif-2027"},
                  {"idea", {{"title", titles[i]}, {"description", "Pour tout le quartier."}, {"theme", "cadre-de-vie"}, {"neighbourhood", "centre"}}}}
                 .dump() +
             "\n";
  const auto typed = device({"capture", "--file", "-", "--channel", "kiosk"}, lines);
  INFO(typed.err);
  REQUIRE(typed.exit_code == 0);
  std::vector<std::string> codes;
  for (const auto& id : ids) codes.push_back(core::receipt_code(*core::Uuid::parse(id)));

  auto follow = [&](const std::string& code) { return sync::follow_idea(storage::DeviceStore::open(data), code); };
  CHECK(follow(codes[0]).found == sync::FollowFound::here_pending);
  REQUIRE(device({"sync"}).exit_code == 0);
  {
    // The outcomes come down after the upload: the ideas just sent are answered at once.
    const auto received = follow(codes[0]);
    REQUIRE(received.found == sync::FollowFound::known);
    REQUIRE(received.ideas.size() == 1);
    CHECK(received.ideas[0].state == "recue");
    CHECK(received.ideas[0].title == titles[0]);
    CHECK(received.checked_at);
  }

  // The office answers: the first feasible, the second merged into it, the third refused.
  {
    auto store = server::open_store(database);
    const auto now = core::SystemClock().now();
    server::review_idea(*store, ids[0], change(core::IdeaState::recevable), kCoordinator, now);
    server::review_idea(*store, ids[0], [] {
      auto c = change(core::IdeaState::en_etude);
      c.assignee = "Service voirie";
      c.notes = "Note interne : voir le plan de circulation.";
      return c;
    }(), kCoordinator, now);
    server::review_idea(*store, ids[0], change(core::IdeaState::faisable, "Trois bancs, posés au printemps."), kCoordinator, now);
    server::merge_ideas(*store, ids[1], ids[0], kCoordinator, now);
    auto no = change(core::IdeaState::non_recevable);
    no.reason = "deja_prevu";
    no.reason_text = "Le centre aquatique ouvre en 2028.";
    server::review_idea(*store, ids[2], no, kCoordinator, now);
  }
  REQUIRE(device({"sync"}).exit_code == 0);
  server.stop();  // from here on, the device alone

  const auto feasible = follow(codes[0]);
  REQUIRE(feasible.found == sync::FollowFound::known);
  REQUIRE(feasible.ideas.size() == 1);
  CHECK(feasible.ideas[0].state == "faisable");
  CHECK(feasible.ideas[0].answer == "Trois bancs, posés au printemps.");
  const auto merged = follow(codes[1].substr(0, 4) + " " + codes[1].substr(5));  // typed with a space
  REQUIRE(merged.found == sync::FollowFound::known);
  CHECK(merged.ideas[0].title == titles[1]);
  CHECK(merged.ideas[0].merged_into == titles[0]);
  CHECK(merged.ideas[0].state == "faisable");
  const auto refused = follow(codes[2]);
  REQUIRE(refused.found == sync::FollowFound::known);
  CHECK(refused.ideas[0].state == "non_recevable");
  CHECK(refused.ideas[0].answer.find("Le centre aquatique ouvre en 2028.") != std::string::npos);
  CHECK(follow("0000-0000").found == sync::FollowFound::unknown);
  CHECK(follow("K7QM").found == sync::FollowFound::invalid_code);

  // Nothing internal, nothing personal, no code in clear on the device.
  auto held = storage::DeviceStore::open(data);
  std::string outcomes;
  auto q = held.database().query("SELECT group_concat(key || body, ' ') FROM outcomes");
  if (q->step()) outcomes = q->text(0);
  CHECK(outcomes.find("Note interne") == std::string::npos);
  CHECK(outcomes.find("Service voirie") == std::string::npos);
  for (const auto& code : codes) CHECK(outcomes.find(code) == std::string::npos);
}
