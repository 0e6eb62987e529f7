// Pictures from the catalog on the kiosk (pictures.hpp): decoded once into a texture, checked
// against their names again when loaded; a file not held yet or damaged on the device is left
// out, the words drawn alone. In « Facile à lire », a question's pictogram heads its page and
// each option's sits beside its words; outside it, none is drawn.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "allervers/app/layout_check.hpp"
#include "allervers/app/pictures.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/sync/media.hpp"
#include "harness.hpp"
#include "media_samples.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

// Textures as numbers, counted.
struct CountingTextures : app::PictureTextures {
  int made = 0, freed = 0;
  ImTextureID create(int width, int height, const unsigned char* rgba) override {
    CHECK(width > 0);
    CHECK(height > 0);
    CHECK(rgba != nullptr);
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(++made));
  }
  void destroy(ImTextureID) override { ++freed; }
};

// An agent's tablet opens on staff's screen (and comes back to it after a reset): closed.
void to_welcome(Harness& h) {
  h.frames(2);
  if (h.view().screen == app::Screen::staff) h.tap("close");
  REQUIRE(h.view().screen == app::Screen::welcome);
}

float height_of(Harness& h, const std::string& id) {
  const auto* item = h.app().find(id);
  REQUIRE(item);
  return item->max.y - item->min.y;
}

}  // namespace

TEST_CASE("a picture is made a texture once, one missing or damaged is not shown and says why") {
  const std::string good = test::png_image(48, 32), other = test::png_image(48, 32, 120);
  const std::string good_name = crypto::sha256_hex(good), damaged_name = crypto::sha256_hex(other), missing_name(64, 'd');
  std::map<std::string, std::string> held{{good_name, good}, {damaged_name, good}};  // damaged: not its bytes
  int loads = 0;
  CountingTextures textures;
  {
    app::Pictures pictures([&](const std::string& hash) -> std::optional<std::string> {
      ++loads;
      const auto it = held.find(hash);
      return it == held.end() ? std::nullopt : std::optional(it->second);
    });
    pictures.set_textures(&textures);
    CHECK(pictures.picture("") == nullptr);
    const auto* p = pictures.picture(good_name);
    REQUIRE(p);
    CHECK(p->usable());
    CHECK(p->texture != nullptr);
    CHECK(p->width == 48);
    CHECK(p->height == 32);
    CHECK(pictures.picture(good_name) == p);  // kept: decoded and uploaded once
    CHECK(textures.made == 1);

    const auto* damaged = pictures.picture(damaged_name);
    CHECK_FALSE(damaged->usable());
    CHECK(damaged->texture == nullptr);
    CHECK(damaged->problem.find("hash") != std::string::npos);
    const auto* missing = pictures.picture(missing_name);
    CHECK_FALSE(missing->usable());
    CHECK(missing->problem == "missing");
    CHECK(textures.made == 1);  // nothing made for either
    CHECK(loads == 3);
  }
  CHECK(textures.freed == 1);  // the texture goes with the cache
}

TEST_CASE("easy-read draws the pictograms the device holds, and the words alone for a missing or damaged one") {
  const std::string bus = test::png_image(64, 64), velo = test::png_image(64, 64, 80), other = test::png_image(64, 64, 160);
  const std::string bus_name = crypto::sha256_hex(bus), velo_name = crypto::sha256_hex(velo), damaged_name = crypto::sha256_hex(other);
  HarnessOptions options;
  options.edit_catalog = [&](nlohmann::json& catalog) {
    auto& q = catalog["consultations"][0]["questions"][0];
    REQUIRE(q["id"] == "frequence");
    q["pictogram"] = velo_name;
    q["options"][0]["pictogram"] = bus_name;                // held
    q["options"][1]["pictogram"] = damaged_name;            // held, but other bytes under its name
    q["options"][2]["pictogram"] = std::string(64, 'e');   // not fetched yet
  };
  Harness h(options);
  h.store().save_media({bus_name, "image/png", 64, 64, bus}, test::harness_start());
  h.store().save_media({velo_name, "image/png", 64, 64, velo}, test::harness_start());
  h.store().save_media({damaged_name, "image/png", 64, 64, bus}, test::harness_start());

  // Outside easy-read: no pictogram, every row as tall as the others.
  to_welcome(h);
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  CHECK(height_of(h, "answer:tous-les-jours") == Approx(height_of(h, "answer:jamais")));
  CHECK_FALSE(h.app().find("question_pictogram:picture"));
  h.engine().apply(app::command::CancelSession{});
  to_welcome(h);
  h.tap("easy_read");
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  REQUIRE(h.view().easy_read);
  CHECK(h.app().find("question_pictogram:picture"));
  const float plain = height_of(h, "answer:jamais");
  CHECK(height_of(h, "answer:tous-les-jours") > plain);                 // its pictogram beside the words
  CHECK(height_of(h, "answer:chaque-semaine") == Approx(plain));        // damaged: the words alone
  CHECK(height_of(h, "answer:parfois") == Approx(plain));               // missing: the words alone
  CHECK(h.words().find("J’y vais chaque semaine") != std::string::npos);
  // Still a choice like any other.
  h.tap("answer:tous-les-jours");
  CHECK(h.view().survey.answers.count("frequence") == 1);
}

// The demo catalog's own pictograms (assets/demo, drawn as SVG in assets/demo/pictograms/src):
// one for each question of « place Jean-Jaurès » and each option of its questions.
TEST_CASE("the demo consultation has a pictogram for every question and option: PNG files within the limits, with their sources") {
  const auto demo = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  const nlohmann::json* consultation = nullptr;
  for (const auto& c : demo["consultations"])
    if (c["id"] == "place-jean-jaures") consultation = &c;
  REQUIRE(consultation);
  std::vector<std::pair<std::string, std::string>> named;  // where, file
  for (const auto& q : (*consultation)["questions"]) {
    named.push_back({"question " + q["id"].get<std::string>(), q.value("pictogram", "")});
    for (const auto& o : q.value("options", nlohmann::json::array()))
      named.push_back({"option " + o["id"].get<std::string>(), o.value("pictogram", "")});
  }
  REQUIRE(named.size() == 25);
  for (const auto& [where, file] : named) {
    INFO(where << ": " << file);
    REQUIRE_FALSE(file.empty());
    const auto bytes = test::read_file(test::assets_dir() / "demo" / file);
    const auto checked = sync::media::check(bytes);  // throws on a damaged or oversized file
    CHECK(checked.content_type == "image/png");
    CHECK(checked.width == checked.height);  // square: every pictogram fills the same box
    CHECK(checked.width >= 192);             // sharp at 200 % text, never scaled up
    CHECK(bytes.size() < 64 * 1024);         // a few KB each, fetched by every device
    const auto stem = std::filesystem::path(file).stem().string();
    CHECK(std::filesystem::exists(test::assets_dir() / "demo" / "pictograms" / "src" / (stem + ".svg")));
  }
}

TEST_CASE("easy-read shows the demo consultation's pictograms on every page, on the reader's side, in French and Arabic, landscape and portrait, 100 % and 200 %") {
  for (const char* language : {"fr", "ar"})
    for (const auto& [width, height] : {std::pair{1280.0f, 800.0f}, std::pair{800.0f, 1280.0f}})
      for (const float scale : {1.0f, 2.0f}) {
        HarnessOptions options;
        options.pictograms = true;
        options.width = width;
        options.height = height;
        options.text_scale = scale;
        Harness h(options);
        const core::Consultation* found = h.store().catalog().find("place-jean-jaures", 1);
        REQUIRE(found);
        const core::Consultation c = *found;  // a copy: the store's catalog may be read again
        to_welcome(h);
        h.tap("easy_read");
        h.tap("language:" + std::string(language));
        h.tap("consultation:place-jean-jaures");
        const bool rtl = std::string(language) == "ar";
        const float display = app::display_scale_for(width, height, 1.0f);
        int pages = 0;
        while (h.view().screen == app::Screen::survey && pages < 20) {
          ++pages;
          h.frames(2);
          const core::Question& q = c.questions.at(h.view().survey.index);
          INFO(language << " " << width << "x" << height << " text " << scale * 100 << " %, question " << q.id);
          // Held by the device under their SHA-256, as a sync or init leaves them.
          REQUIRE(core::is_media_hash(q.pictogram));
          REQUIRE(h.store().media(q.pictogram));
          const auto* heading = h.app().find("question_pictogram:picture");
          REQUIRE(heading);
          CHECK(heading->picture == q.pictogram);
          // In sight when the page opens, readable from arm's length; above the keyboard of a text
          // question (little room at 200 %) smaller, and the body shows the field first.
          const bool typing = q.type == core::QuestionType::short_text;
          if (!typing) CHECK(heading->visible());
          CHECK(heading->picture_max.y - heading->picture_min.y >= (typing ? 48.0f : 96.0f) * display - 0.5f);
          // At the top, on the side a reader starts from.
          const auto* body = h.app().find("body");
          REQUIRE(body);
          if (rtl) CHECK(heading->picture_max.x > (body->min.x + body->max.x) * 0.5f);
          else CHECK(heading->picture_min.x < (body->min.x + body->max.x) * 0.5f);
          // Its speaker beside it, after it in reading order: one line, not two.
          const auto* speaker = h.app().find("speak:question");
          REQUIRE(speaker);
          CHECK(speaker->min.y < heading->picture_max.y);
          CHECK(speaker->max.y > heading->picture_min.y);
          if (rtl) CHECK(speaker->max.x <= heading->picture_min.x);
          else CHECK(speaker->min.x >= heading->picture_max.x);
          const bool choice = q.type == core::QuestionType::single_choice || q.type == core::QuestionType::multiple_choice;
          for (const auto& o : choice ? q.options : std::vector<core::Option>{}) {  // a neighbourhood's are the town's
            INFO("option " << o.id);
            const auto* row = h.app().find("answer:" + o.id);
            REQUIRE(row);
            CHECK(row->picture == o.pictogram);
            CHECK(row->picture_max.y - row->picture_min.y >= 48.0f * display);
            // Inside its row, between the mark and the words: the reader's side.
            CHECK(row->picture_min.x >= row->min.x);
            CHECK(row->picture_max.x <= row->max.x);
            CHECK(row->picture_min.y >= row->min.y);
            CHECK(row->picture_max.y <= row->max.y);
            const float middle = (row->min.x + row->max.x) * 0.5f;
            if (rtl) CHECK(row->picture_min.x > middle);
            else CHECK(row->picture_max.x < middle);
          }
          const auto problems = app::check_layout(h.app().items(), {ImVec2(width, height), 48.0f * display, 1.0f, rtl});
          INFO(app::describe(problems));
          CHECK(problems.empty());
          // On to the next page, answering as a resident might.
          switch (q.type) {
            case core::QuestionType::single_choice:
            case core::QuestionType::multiple_choice: h.tap("answer:" + q.options.front().id); break;
            case core::QuestionType::smiley:
            case core::QuestionType::scale_1_5: h.tap("answer:3"); break;
            case core::QuestionType::yes_no: h.tap("answer:no"); break;  // « Pourquoi pas ? » comes next
            case core::QuestionType::neighbourhood: h.tap("answer:centre"); break;
            default: break;
          }
          h.tap(h.can_tap("next") ? "next" : "skip");
        }
        CHECK(pages == 10);  // every question, « Pourquoi pas ? » included
        CHECK(h.view().screen == app::Screen::thanks);
      }
}
