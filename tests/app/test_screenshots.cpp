// Run by CTest after the kiosk rendered its screens under Xvfb (hidden from the normal run):
// every expected screenshot exists, has the window's size and is not blank.
#include <catch2/catch.hpp>

#include <unordered_map>

#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/media.hpp"
#include "harness.hpp"
#include "media_samples.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

using namespace allervers;

namespace {

struct ImageStats {
  std::size_t distinct_colours = 0;   // counted up to 4096
  double background_fraction = 0.0;  // share of pixels of the most common colour
};

ImageStats image_stats(const platform::RgbaImage& image) {
  std::unordered_map<std::uint32_t, std::size_t> counts;
  const std::size_t pixels = image.rgba.size() / 4;
  std::size_t most = 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t* p = &image.rgba[i * 4];
    const std::uint32_t colour = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
    auto it = counts.find(colour);
    if (it == counts.end() && counts.size() >= 4096) continue;
    most = std::max(most, ++counts[colour]);
  }
  ImageStats stats;
  stats.distinct_colours = counts.size();
  stats.background_fraction = pixels ? static_cast<double>(most) / static_cast<double>(pixels) : 1.0;
  return stats;
}


// Each of `names` written by a screenshot run, and not blank (antialiased text: many shades).
void check_not_blank(std::initializer_list<const char*> names) {
  const std::filesystem::path dir = ALLERVERS_SCREENSHOT_DIR;
  for (const char* name : names) {
    INFO(name);
    CHECK(image_stats(platform::read_png_rgba(dir / (std::string(name) + ".png"))).distinct_colours > 20);
  }
}

}  // namespace

TEST_CASE("the screenshots of every main screen are there and not blank", "[.screenshots]") {
  const std::filesystem::path dir = ALLERVERS_SCREENSHOT_DIR;
  for (const char* name : {"01-welcome", "02-consultations", "03-survey-choice", "04-survey-multiple", "05-survey-smiley",
                           "06-survey-yes-no", "07-survey-text-keyboard", "08-survey-scale", "09-thanks",
                           "10-idea-title-keyboard", "11-idea-accents", "12-idea-theme", "13-idea-cost",
                           "14-idea-consent", "15-idle-countdown", "16-pin", "17-pin-locked", "18-kiosk-settings", "19-idea-consent-en",
                           "20-agent-home", "21-agent-survey-status", "22-portrait-survey", "23-wide-idea", "24-portrait-keyboard",
                           "ar-01-welcome", "ar-03-survey-choice", "ar-05-smiley", "ar-09-thanks", "ar-10-idea-portrait",
                           "ar-11-idea-arabic-keyboard", "ar-12-idea-arabic-accents",
                           "80-hc-welcome", "81-hc-survey-choice", "83-hc-refused", "84-hc-ar-survey", "86-hc-ar-portrait",
                           "88-text-200-welcome", "89-text-200-survey",
                           // the demo consultation's pictograms (screenshots-pictograms.txt)
                           "p01-fr-frequence", "p02-fr-frequence-portrait", "p03-fr-usages", "p04-fr-usages-portrait",
                           "p05-fr-satisfaction", "p06-fr-priorites", "p07-fr-priorites-portrait", "p11-ar-frequence",
                           "p12-ar-frequence-portrait", "p13-ar-usages", "p14-ar-usages-portrait", "p16-ar-priorites",
                           "p18-hc-fr-frequence", "p21-fr-200-frequence", "p22-fr-200-frequence-portrait", "p23-fr-200-usages",
                           "p24-fr-200-usages-portrait", "p31-ar-200-frequence", "p32-ar-200-frequence-portrait",
                           "p33-ar-200-usages", "p34-ar-200-usages-portrait"}) {
    INFO(name);
    const auto image = platform::read_png_rgba(dir / (std::string(name) + ".png"));
    CHECK(image.width >= 800);
    CHECK(image.height >= 800);
    const auto stats = image_stats(image);
    CHECK(stats.distinct_colours > 20);         // text is antialiased: many shades
    CHECK(stats.background_fraction < 0.97);   // something is drawn on the background
  }
}

// Prepares the device the sign-in screenshots use (run by CTest before the kiosk): the demo
// catalog, the town key, this kiosk's signing key and certificate, and pass images.
TEST_CASE("the sign-in screenshots' device", "[.signin-screenshot-device]") {
  const std::filesystem::path dir = ALLERVERS_SIGNIN_DEVICE;
  std::filesystem::remove_all(dir);
  core::SystemClock clock;
  auto store = storage::DeviceStore::create(dir, "Borne", clock.now());
  // The demo vote open for years, so the vote screenshots (screenshots-vote.txt) run any day.
  auto catalog = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  for (auto& vote : catalog["votes"]) {
    vote["opens"] = "2026-01-01";
    vote["closes"] = "2099-12-31";
  }
  // Pictures as a sync would have fetched them (screenshots-media.txt): every project's but the
  // last one's (its words alone), and the demo consultation's own pictograms.
  std::vector<std::pair<std::string, std::string>> media;  // name, bytes
  auto keep = [&](const std::string& bytes) {
    media.push_back({crypto::sha256_hex(bytes), bytes});
    return media.back().first;
  };
  auto& projects = catalog["votes"][0]["projects"];
  for (std::size_t i = 0; i + 1 < projects.size(); ++i) projects[i]["picture"] = keep(test::jpeg_image(480 + 40 * static_cast<int>(i), 360));
  const std::string text = sync::media::catalog_with_pictogram_files(
      catalog.dump(), test::assets_dir() / "demo", [&](const sync::media::Checked&, const std::string& bytes) { keep(bytes); });
  store.save_catalog(core::parse_catalog(text));
  for (const auto& [name, bytes] : media) {
    const auto checked = sync::media::check_named(bytes, name);
    store.save_media({name, checked.content_type, checked.width, checked.height, bytes}, clock.now());
  }
  const auto town = passes::TownKey::generate();
  const auto other = passes::TownKey::generate();
  auto key = passes::SecretKey::generate();
  const std::int64_t now_s = clock.now().utc_ms / 1000;
  const auto certificate = town.certify(1, store.identity().device, key.public_bytes(), now_s - 86400, now_s + 365 * 86400);
  store.set_setting(core::settings::town_key, town.public_key().str());
  store.set_setting(core::settings::device_key, key.str());
  store.set_setting(core::settings::device_certificate, certificate.str());
  store.set_setting(core::settings::certificates, "[\"" + certificate.str() + "\"]");
  const auto image = [&](const std::string& name, const std::string& code) {
    // A printed pass in front of a camera: the code in a 640x480 grey frame.
    const auto qr = platform::render_qr(platform::encode_qr(code, platform::QrErrorCorrection::medium), 6);
    platform::Frame frame;
    frame.width = 640;
    frame.height = 480;
    frame.luma.assign(640 * 480, 150);
    const int x0 = (640 - qr.width) / 2, y0 = (480 - qr.height) / 2;
    for (int y = 0; y < qr.height; ++y)
      for (int x = 0; x < qr.width; ++x)
        frame.luma[static_cast<std::size_t>((y0 + y) * 640 + x0 + x)] = qr.at(x, y);
    platform::write_png(dir / (name + ".png"), frame);
  };
  std::string forged = passes::issue_town_pass(town, passes::PassId::random());
  forged[60] = forged[60] == 'A' ? 'B' : 'A';
  image("good", passes::issue_town_pass(town, passes::PassId::random()));
  image("good-2", passes::issue_town_pass(town, passes::PassId::random()));
  image("good-3", passes::issue_town_pass(town, passes::PassId::random()));
  image("good-4", passes::issue_town_pass(town, passes::PassId::random()));
  image("forged", forged);
  image("other-town", passes::issue_town_pass(other, passes::PassId::random()));

  // What a sync brought of ideas and ballots (the follow screens' screenshots): an idea under
  // construction with the town's answer and a milestone, a ballot counted; the public pages'
  // address, so the thank-you screens show their QR codes; a ballot's thank-you QR code printed.
  sync::protocol::Outcomes outcomes = test::demo_outcomes(
      store, "K7QM-2XHD", "en_travaux",
      "Accepté par le conseil municipal : trois abris à vélos couverts, devant la médiathèque, la gare et le collège.", "K7M2-9QXD",
      true);
  outcomes.ideas[0].milestones = {{"2027-03-01", "Début du chantier devant la médiathèque."}, {"2027-04-15", "Premier abri posé."}};
  test::hold_outcomes(store, outcomes, clock.now().utc_ms);
  image("receipt-qr", outcomes.public_url + "/votes/recu?code=K7M2-9QXD");
}

TEST_CASE("the vote screenshots are there and not blank", "[.vote-screenshots]") {
  check_not_blank({"60-vote-activity-choice", "61-vote-show-pass", "62-vote-pass-refused", "63-vote-age",
                   "64-vote-under-minimum", "65-vote-over-envelope", "66-vote-summary", "67-vote-receipt",
                   "68-portrait-vote-already-voted", "69-portrait-vote-typed-code", "70-portrait-vote-basket",
                   "71-portrait-vote-summary", "72-portrait-vote-receipt", "73-follow-welcome", "74-follow-ballot-counted",
                   "75-follow-ballot-counted-ar", "76-follow-idea-answer", "77-follow-idea-answer-ar",
                   "78-follow-idea-typing-ar", "79-portrait-follow-idea-typing", "80-portrait-follow-idea-answer",
                   "81-portrait-follow-idea-answer-ar", "82-portrait-follow-ballot-scanned"});
}

TEST_CASE("the Arabic welcome and follow screenshots are there and not blank", "[.follow-ar-screenshots]") {
  check_not_blank({"ar-83-welcome", "ar-84-follow-idea-typing", "ar-85-follow-idea-answer", "ar-86-portrait-welcome",
                   "ar-87-portrait-follow-idea-answer", "ar-88-portrait-follow-ballot-counted"});
}

TEST_CASE("the media screenshots are there and not blank", "[.media-screenshots]") {
  check_not_blank({"80-vote-pictures", "81-vote-pictures-summary", "82-easy-read-pictograms", "ar-80-vote-pictures",
                   "ar-81-vote-pictures-summary", "ar-82-easy-read-pictograms"});
}

TEST_CASE("the sign-in screenshots are there and not blank", "[.signin-screenshots]") {
  check_not_blank({"40-staff-desk", "41-signin-no-camera", "42-signin-welcome", "43-signin-already", "44-signin-forged",
                   "45-signin-other-town", "46-signin-typed-code", "47-signin-form", "48-pass-issued",
                   "49-portrait-signin-already", "50-wide-signin-ready", "51-enrol"});
}
