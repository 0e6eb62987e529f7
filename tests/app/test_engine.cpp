// The engine without any UI: show_if, and a storage failure that must not say "thank you".
#include <catch2/catch.hpp>

#include "allervers/app/engine.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/storage/device_store.hpp"
#include "harness.hpp"

using namespace allervers;

TEST_CASE("show_if: a question is asked only for the answers that call for it") {
  const auto catalog = core::parse_catalog(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  const auto* c = catalog.latest("place-jean-jaures");
  REQUIRE(c);
  const auto& why = *c->find_question("arbres-pourquoi");
  std::map<std::string, core::AnswerValue> answers;
  CHECK_FALSE(core::is_shown(why, answers));
  answers["arbres"] = false;
  CHECK(core::is_shown(why, answers));
  answers["arbres"] = true;
  CHECK_FALSE(core::is_shown(why, answers));
  CHECK(app::shown_questions(*c, answers).size() == c->questions.size() - 1);
}

TEST_CASE("a capture that storage refuses is not thanked for, and stays on screen to try again") {
  test::Harness h;
  h.tap("close");
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  h.idea_words("Un abri vélo", "Un abri vélo couvert devant la gare.", "mobilites");
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  // The disk goes read-only underneath the app.
  const auto db = storage::DeviceStore::database_path(h.dir() / "device");
  h.store().database().exec("PRAGMA query_only = ON");
  h.tap("skip");
  CHECK(h.view().screen == app::Screen::idea);
  CHECK_FALSE(h.view().failure.empty());
  CHECK(h.driver().visible("error"));
  CHECK(h.view().idea.title == "Un abri vélo");  // nothing the resident typed is lost
  h.store().database().exec("PRAGMA query_only = OFF");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::thanks);
  (void)db;
}
