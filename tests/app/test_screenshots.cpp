// Run by CTest after the kiosk rendered its screens under Xvfb (hidden from the normal run):
// every expected screenshot exists, has the window's size and is not blank.
#include <catch2/catch.hpp>

#include "allervers/app/png.hpp"

using namespace allervers;

TEST_CASE("the screenshots of every main screen are there and not blank", "[.screenshots]") {
  const std::filesystem::path dir = ALLERVERS_SCREENSHOT_DIR;
  for (const char* name : {"01-welcome", "02-consultations", "03-survey-choice", "04-survey-multiple", "05-survey-smiley",
                           "06-survey-yes-no", "07-survey-text-keyboard", "08-survey-scale", "09-thanks",
                           "10-idea-title-keyboard", "11-idea-accents", "12-idea-theme", "13-idea-cost",
                           "14-idea-consent", "15-idle-countdown", "16-pin", "17-pin-locked", "18-kiosk-settings", "19-idea-consent-en",
                           "20-agent-home", "21-agent-survey-status", "22-portrait-survey", "23-wide-idea", "24-portrait-keyboard"}) {
    INFO(name);
    const auto image = app::read_png(dir / (std::string(name) + ".png"));
    REQUIRE(image);
    CHECK(image->width >= 800);
    CHECK(image->height >= 800);
    const auto stats = app::image_stats(*image);
    CHECK(stats.distinct_colours > 20);         // text is antialiased: many shades
    CHECK(stats.background_fraction < 0.97);   // something is drawn on the background
  }
}

TEST_CASE("png: what write_png writes, read_png reads back") {
  app::Image image;
  image.width = 3;
  image.height = 2;
  image.rgba = {1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255, 13, 14, 15, 255, 16, 17, 18, 255};
  const auto path = std::filesystem::temp_directory_path() / "allervers-png-roundtrip.png";
  app::write_png(path, image);
  const auto back = app::read_png(path);
  std::filesystem::remove(path);
  REQUIRE(back);
  CHECK(back->width == 3);
  CHECK(back->height == 2);
  CHECK(back->rgba == image.rgba);
  CHECK(app::image_stats(*back).distinct_colours == 6);
}
