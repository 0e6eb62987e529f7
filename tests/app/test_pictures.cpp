// Pictures from the catalog on the kiosk (pictures.hpp): decoded once into a texture, checked
// against their names again when loaded; a file not held yet or damaged on the device is left
// out, the words drawn alone. In « Facile à lire », a question's pictogram heads its page and
// each option's sits beside its words; outside it, none is drawn.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "allervers/app/pictures.hpp"
#include "allervers/crypto/hash.hpp"
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
  CHECK(h.words().find("Chaque semaine") != std::string::npos);
  // Still a choice like any other.
  h.tap("answer:tous-les-jours");
  CHECK(h.view().survey.answers.count("frequence") == 1);
}
