// The assembly desk through the real screens: passes shown to a camera (image files made
// here, decoded on the worker thread), typed by a hand scanner, or typed as fallback codes;
// the sign-in without a pass issuing a device pass; enrolment by QR; and the device's
// database as the duplicate rule's memory.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "allervers/app/sdl_feedback.hpp"
#include "allervers/app/sign_in_history.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/platform/image_files.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

constexpr const char* kAssembly = "conseil-centre-2026-12";

struct Recorder final : platform::FeedbackSound {
  std::vector<platform::FeedbackCue> cues;
  void play(platform::FeedbackCue cue) override { cues.push_back(cue); }
};

using test::hold_device_key;
using test::hold_town_key;

std::filesystem::path qr_image(const std::filesystem::path& dir, const std::string& name, const std::string& code) {
  const auto path = dir / (name + ".png");
  platform::write_png(path, platform::render_qr(platform::encode_qr(code, platform::QrErrorCorrection::medium), 4));
  return path;
}

app::CameraFactory showing(const std::filesystem::path& image) {
  return [image] {
    return std::make_unique<platform::ImageFileSource>(std::vector<std::filesystem::path>{image}, true,
                                                       std::chrono::milliseconds(50));
  };
}

void open_desk(Harness& h) {
  if (h.view().screen != app::Screen::staff) {
    h.tap("staff");  // the agent menu is behind the PIN (2468, the harness's)
    for (const char* key : {"key:2", "key:4", "key:6", "key:8"}) h.tap(key);
    h.tap("next");
  }
  REQUIRE(h.view().screen == app::Screen::staff);
  h.tap(std::string("desk_assembly:") + kAssembly);
  h.tap("open_desk");
  REQUIRE(h.view().screen == app::Screen::sign_in);
  REQUIRE(h.view().sign_in.assembly == kAssembly);
}

// Frames until a new verdict (the decode runs on its own thread), at most 5 s.
const app::VerdictView& next_verdict(Harness& h) {
  const auto before = h.view().sign_in.verdicts;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (h.view().sign_in.verdicts == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    h.frame();
  }
  REQUIRE(h.view().sign_in.verdicts > before);
  return *h.view().sign_in.verdict;
}

void scanner_burst(Harness& h, const std::string& code, std::int64_t gap_ms, std::int64_t start_ms = 1'000'000) {
  std::int64_t t = start_ms;
  for (char c : code) h.app().key_character(static_cast<unsigned char>(c), t += gap_ms);
  h.app().key_enter(t + gap_ms);
  h.frames(2);
}

std::vector<core::SignIn> sign_ins(Harness& h) {
  std::vector<core::SignIn> out;
  h.store().for_each_capture([&](const storage::StoredCapture& c) {
    if (const auto* s = c.capture.signin()) {
      CHECK(c.capture.channel == core::Channel::assembly);
      out.push_back(*s);
    }
  });
  return out;
}

}  // namespace

TEST_CASE("a pass shown to the camera: welcome, stored, counted — again: already signed in, nothing new") {
  const auto town = passes::TownKey::generate();
  const auto other_town = passes::TownKey::generate();
  Harness h;
  Recorder sound;
  h.engine().set_feedback(&sound);
  hold_town_key(h.store(), town);
  const auto id = passes::PassId::random();
  const auto good = qr_image(h.dir(), "good", passes::issue_town_pass(town, id));
  open_desk(h);
  CHECK(h.app().camera_active());
  CHECK(h.view().sign_in.head_count == 0);
  h.app().set_camera(showing(good));  // the pass comes into view

  const auto& welcome = next_verdict(h);
  CHECK(welcome.kind == app::VerdictKind::welcome);
  CHECK(welcome.pass == id.str());
  CHECK(welcome.frame_steady_ns > 0);
  h.frame();
  CHECK(h.driver().visible("verdict:welcome"));
  CHECK(h.view().sign_in.head_count == 1);
  auto stored = sign_ins(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].assembly == kAssembly);
  CHECK(stored[0].pass == id.str());
  REQUIRE(sound.cues.size() == 1);
  CHECK(sound.cues[0] == platform::FeedbackCue::welcome);

  SECTION("the same pass again, later: amber, with the time of the first, nothing recorded") {
    h.advance_seconds(20);
    h.app().set_camera(showing(good));  // a fresh camera forgets what it saw
    h.frame();
    const auto& again = next_verdict(h);
    CHECK(again.kind == app::VerdictKind::already_signed_in);
    CHECK(again.time == "10:00");
    h.frame();
    CHECK(h.driver().visible("verdict:already"));
    CHECK(sign_ins(h).size() == 1);
    CHECK(h.view().sign_in.head_count == 1);
    CHECK(sound.cues.back() == platform::FeedbackCue::already_signed_in);
  }
  SECTION("a forged pass: red with the reason, nothing stored") {
    std::string forged = passes::issue_town_pass(town, passes::PassId::random());
    forged[60] = forged[60] == 'A' ? 'B' : 'A';
    h.app().set_camera(showing(qr_image(h.dir(), "forged", forged)));
    h.frame();
    const auto& v = next_verdict(h);
    CHECK(v.kind == app::VerdictKind::refused);
    CHECK((v.problem == "bad_signature" || v.problem == "malformed"));
    h.frame();
    CHECK(h.driver().visible("verdict:refused"));
    CHECK(sign_ins(h).size() == 1);
    CHECK(sound.cues.back() == platform::FeedbackCue::refused);
  }
  SECTION("another town's pass: red, other town") {
    h.app().set_camera(showing(qr_image(h.dir(), "other", passes::issue_town_pass(other_town, passes::PassId::random()))));
    h.frame();
    const auto& v = next_verdict(h);
    CHECK(v.kind == app::VerdictKind::refused);
    CHECK(v.problem == "other_town");
    CHECK(sign_ins(h).size() == 1);
    CHECK(h.view().sign_in.head_count == 1);
  }
  SECTION("the verdict leaves the screen by itself for the next person") {
    h.advance_seconds(7);
    CHECK_FALSE(h.view().sign_in.verdict);
    CHECK(h.driver().visible("verdict:none"));
  }
}

TEST_CASE("a hand scanner's burst is a scan with no field touched — a person typing is not") {
  const auto town = passes::TownKey::generate();
  Harness h;  // and no camera at all
  hold_town_key(h.store(), town);
  open_desk(h);
  h.frame();
  CHECK_FALSE(h.app().camera_view().problem.empty());  // the screen says there is no camera
  CHECK(h.driver().visible("camera"));
  const auto id = passes::PassId::random();
  const std::string code = passes::issue_town_pass(town, id);

  SECTION("scanner speed (4 ms a key), ending with Enter") {
    scanner_burst(h, code, 4);
    REQUIRE(h.view().sign_in.verdict);
    CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::welcome);
    CHECK(sign_ins(h).size() == 1);
    scanner_burst(h, code, 4, 2'000'000);
    CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::already_signed_in);
    CHECK(sign_ins(h).size() == 1);
  }
  SECTION("a scanner left in its US layout on an AZERTY kiosk is understood") {
    std::string us;  // what such a scanner types for the code, read as AZERTY
    for (char c : code) {
      switch (c) {
        case 'A': us += 'Q'; break;
        case 'Q': us += 'A'; break;
        case 'Z': us += 'W'; break;
        case 'W': us += 'Z'; break;
        case 'M': us += '?'; break;
        case '1': us += '&'; break;
        case '2': us += "\xC3\xA9"; break;  // é
        case '3': us += '"'; break;
        case '4': us += '\''; break;
        case '5': us += '('; break;
        case '6': us += '-'; break;
        case '7': us += "\xC3\xA8"; break;  // è
        case '8': us += '_'; break;
        case '9': us += "\xC3\xA7"; break;  // ç
        case '0': us += "\xC3\xA0"; break;  // à
        case '-': us += ')'; break;
        default: us += c;
      }
    }
    // Type it as code points, as SDL_TEXTINPUT delivers them.
    std::int64_t t = 5'000'000;
    for (std::size_t i = 0; i < us.size();) {
      char32_t cp = static_cast<unsigned char>(us[i]);
      if (cp >= 0xC0) {
        cp = ((cp & 0x1F) << 6) | (static_cast<unsigned char>(us[i + 1]) & 0x3F);
        i += 2;
      } else {
        ++i;
      }
      h.app().key_character(cp, t += 4);
    }
    h.app().key_enter(t + 4);
    h.frames(2);
    REQUIRE(h.view().sign_in.verdict);
    INFO(h.view().sign_in.verdict->problem);
    CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::welcome);
  }
  SECTION("a person typing (150 ms a key) is not a scan") {
    scanner_burst(h, code.substr(0, 20), 150);
    CHECK_FALSE(h.view().sign_in.verdict);
    CHECK(sign_ins(h).empty());
  }
  SECTION("a fallback code typed on screen: welcome, marked typed") {
    h.tap("typed_code");
    h.type(id.fallback_code());
    h.tap("typed_submit");
    REQUIRE(h.view().sign_in.verdict);
    CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::welcome);
    CHECK(h.view().sign_in.verdict->typed);
    REQUIRE(sign_ins(h).size() == 1);
    CHECK(sign_ins(h)[0].pass == id.str());
  }
  SECTION("a camera that fails says so in its own words; scanners still work") {
    h.app().set_camera([]() -> std::unique_ptr<platform::FrameSource> {
      throw platform::CameraError("no camera at /dev/video0: plug one in");
    });
    h.frames(2);
    CHECK(h.app().camera_view().problem.find("/dev/video0") != std::string::npos);
    // The person reads what to do in their language, not the device file's English sentence.
    INFO(h.words());
    CHECK_THAT(h.words(), Catch::Contains("Pas de caméra"));
    CHECK_THAT(h.words(), Catch::Contains("Vérifiez que la caméra est branchée"));
    CHECK_THAT(h.words(), Catch::Contains("La douchette et le code de secours fonctionnent."));
    CHECK_THAT(h.words(), !Catch::Contains("/dev/video0"));
    scanner_burst(h, code, 3);
    CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::welcome);
  }
  SECTION("a mistyped fallback code is answered for the person who typed it") {
    std::string wrong = id.fallback_code();
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    h.tap("typed_code");
    h.type(wrong);
    h.tap("typed_submit");
    INFO(h.words());
    CHECK_THAT(h.words(), Catch::Contains("Vérifiez chaque caractère"));
    CHECK_THAT(h.words(), !Catch::Contains("saisissez le code de secours"));
    CHECK(sign_ins(h).empty());
  }
  SECTION("keys are not scans away from the desk") {
    h.tap("staff");
    scanner_burst(h, code, 4);
    CHECK(sign_ins(h).empty());
  }
}

TEST_CASE("without a town key the desk says so, and signing in without a pass still works") {
  Harness h;
  open_desk(h);
  CHECK(h.view().sign_in.verifier_problem == "signin.no_town_key");
  scanner_burst(h, "AV1-0123456789ABCDEFGH", 4);
  REQUIRE(h.view().sign_in.verdict);
  CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::refused);
  CHECK(h.view().sign_in.verdict->problem == "no_town_key");

  h.tap("without_pass");
  REQUIRE(h.view().screen == app::Screen::sign_in_form);
  h.tap("neighbourhood:centre");
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::pass_issued);
  CHECK(h.view().sign_in.issued_code.empty());
  CHECK(h.view().sign_in.issue_problem == "signin.no_device_key");
  CHECK_FALSE(h.driver().visible("pass_qr"));
  const auto stored = sign_ins(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].pass.empty());
  CHECK(stored[0].neighbourhood == "centre");
  h.tap("finish");
  CHECK(h.view().screen == app::Screen::sign_in);
  CHECK(h.view().sign_in.head_count == 1);
}

TEST_CASE("signing in on screen without a pass issues a device pass, shown full screen, and recorded with it") {
  const auto town = passes::TownKey::generate();
  Harness h;
  hold_town_key(h.store(), town);
  hold_device_key(h.store(), town);
  open_desk(h);
  h.tap("without_pass");
  REQUIRE(h.view().screen == app::Screen::sign_in_form);
  const auto& catalog = h.engine().catalog();
  const std::string neighbourhood = catalog.town.neighbourhoods.front().id;
  const std::string age = catalog.town.age_brackets.back().id;
  h.tap("neighbourhood:" + neighbourhood);
  h.tap("age:" + age);
  CHECK_FALSE(h.driver().visible("invite"));  // an invitation needs a contact, which is not asked
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::pass_issued);
  const auto code = h.view().sign_in.issued_code;
  REQUIRE_FALSE(code.empty());
  CHECK(h.driver().visible("pass_qr"));
  CHECK(h.driver().visible("fallback"));
  // Keeping it is offered in ways a resident has: a photo, or the code copied down.
  CHECK_THAT(h.words(), Catch::Contains("prenez-le en photo"));
  CHECK_THAT(h.words(), Catch::Contains("recopiez"));
  const auto stored = sign_ins(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].neighbourhood == neighbourhood);
  CHECK(stored[0].age_bracket == age);
  CHECK_FALSE(stored[0].invite_consent);
  // The pass is a real one: any device holding the certificate verifies it...
  auto verifier = passes::verifier_from_settings(town.public_key().str(),
                                                 h.store().setting(core::settings::certificates), {});
  const auto check = verifier->verify(code);
  REQUIRE(check.ok());
  CHECK(check.pass->id.str() == stored[0].pass);
  CHECK(check.pass->issuer == passes::Issuer::device);
  CHECK(h.view().sign_in.issued_fallback == check.pass->id.fallback_code());
  // ...and the QR drawn on screen holds it (the picture a phone takes).
  const auto matrix = platform::encode_qr(code, platform::QrErrorCorrection::medium);
  platform::QrDecoder decoder;
  const auto read = decoder.decode(platform::render_qr(matrix, 3));
  REQUIRE(read.size() == 1);
  CHECK(read[0].text == code);

  h.tap("finish");
  REQUIRE(h.view().screen == app::Screen::sign_in);
  // Shown again at the same assembly: already signed in, nothing new.
  scanner_burst(h, code, 4);
  CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::already_signed_in);
  CHECK(sign_ins(h).size() == 1);
  CHECK(h.view().sign_in.head_count == 1);
}

TEST_CASE("the duplicate rule reads the device's database") {
  Harness h;
  app::StoreSignInHistory history(h.store());
  CHECK_FALSE(history.first_sign_in(kAssembly, "ABCDEFGHJK"));
  const auto town = passes::TownKey::generate();
  hold_town_key(h.store(), town);
  open_desk(h);
  const auto id = passes::PassId::random();
  scanner_burst(h, passes::issue_town_pass(town, id), 4);
  const auto first = history.first_sign_in(kAssembly, id.str());
  REQUIRE(first);
  CHECK(first->utc_ms == h.clock().now().utc_ms);
  CHECK_FALSE(history.first_sign_in("assemblee-bois-joli-2026-12", id.str()));
}

TEST_CASE("a kiosk desk stays open: residents return to it, not to the welcome screen, and the idle reset spares it") {
  const auto town = passes::TownKey::generate();
  HarnessOptions options;
  options.kiosk = true;
  options.staff_pin = "2468";
  Harness h(options);
  hold_town_key(h.store(), town);
  h.tap("staff");
  h.type("2468");
  h.tap("next");
  open_desk(h);
  h.advance_seconds(600);
  CHECK(h.view().screen == app::Screen::sign_in);
  h.tap("without_pass");
  h.advance_seconds(200);  // a resident who walked away from the form
  CHECK(h.view().screen == app::Screen::sign_in);
  CHECK(sign_ins(h).empty());
  // The assembly cannot be changed from the desk by a resident.
  CHECK_FALSE(h.driver().visible("assembly:assemblee-bois-joli-2026-12"));
}

TEST_CASE("enrolment by QR: the scanned link goes to the enroller — its answer is shown") {
  Harness h;
  std::vector<std::string> asked;
  h.tap("enrol");
  REQUIRE(h.view().screen == app::Screen::enrol);
  SECTION("no enroller in this build: the screen says so") {
    scanner_burst(h, "allervers-enrol:https://mairie.example#ABCD-EFGH", 4);
    CHECK(h.view().enrol.state == app::EnrolView::State::failed);
  }
  SECTION("a camera that fails says so in the agent's language, not the system's English") {
    h.app().set_camera([]() -> std::unique_ptr<platform::FrameSource> {
      throw platform::CameraError("cannot open /dev/video0: No such file or directory");
    });
    h.frames(2);
    REQUIRE(h.view().screen == app::Screen::enrol);
    INFO(h.words());
    CHECK_THAT(h.words(), Catch::Contains("Pas de caméra"));
    CHECK_THAT(h.words(), Catch::Contains("Vérifiez que la caméra est branchée"));
    CHECK_THAT(h.words(), !Catch::Contains("No such file"));
  }
  SECTION("the enroller is called with what was scanned, and reports back") {
    h.engine().set_enroller([&](const std::string& scanned) { asked.push_back(scanned); });
    scanner_burst(h, "allervers-enrol:https://mairie.example#ABCD-EFGH", 4);
    REQUIRE(asked.size() == 1);
    CHECK(asked[0] == "allervers-enrol:https://mairie.example#ABCD-EFGH");
    CHECK(h.view().enrol.state == app::EnrolView::State::working);
    CHECK_FALSE(h.app().camera_active());  // one enrolment at a time
    h.engine().enrolment_finished(true, "Tablette 3");
    h.frames(2);
    CHECK(h.view().enrol.state == app::EnrolView::State::done);
    h.tap("back");
    CHECK(h.view().screen == app::Screen::staff);
  }
}

TEST_CASE("a catalog saved by the sync thread shows when the app returns to its start") {
  Harness h;
  {
    auto other = storage::DeviceStore::open(h.dir() / "device");  // the sync thread's own connection
    auto catalog = h.engine().catalog();
    core::Assembly extra;
    extra.id = "assemblee-nouvelle";
    extra.name = core::LocalizedText("Nouvelle assemblée");
    extra.date = "2026-12-20T18:30";
    extra.place = "Salle des fêtes";
    catalog.assemblies.push_back(extra);
    other.save_catalog(catalog);
  }
  CHECK_FALSE(h.engine().catalog().find_assembly("assemblee-nouvelle"));
  h.tap("close");  // agent home → welcome
  CHECK(h.engine().catalog().find_assembly("assemblee-nouvelle"));
}

TEST_CASE("the SDL sounds: three short tones, and silence without an audio device") {
  for (auto cue : {platform::FeedbackCue::welcome, platform::FeedbackCue::already_signed_in, platform::FeedbackCue::refused}) {
    const auto samples = app::SdlFeedbackSound::tone(cue);
    CHECK(samples.size() > app::SdlFeedbackSound::sample_rate / 10);
    CHECK(samples.size() < app::SdlFeedbackSound::sample_rate / 2);  // under half a second
    CHECK(std::abs(samples.front()) < 2000);                          // faded in: no click
  }
  app::SdlFeedbackSound sound;  // on CI there is no audio device: silent, and says why
  if (sound.silent()) CHECK_FALSE(sound.problem().empty());
  sound.play(platform::FeedbackCue::welcome);
  sound.play(platform::FeedbackCue::refused);
}

TEST_CASE("pass keys stored by a sync apply at once: a pass revoked at the office is refused") {
  const auto town = passes::TownKey::generate();
  Harness h;
  hold_town_key(h.store(), town);
  open_desk(h);
  const auto id = passes::PassId::random();
  passes::RevocationList revoked;
  revoked.passes.insert(id);
  h.store().set_setting(core::settings::revocations, revoked.to_json());  // as the sync thread would
  h.engine().sync_news(false, true);
  scanner_burst(h, passes::issue_town_pass(town, id), 4);
  REQUIRE(h.view().sign_in.verdict);
  CHECK(h.view().sign_in.verdict->kind == app::VerdictKind::refused);
  CHECK(h.view().sign_in.verdict->problem == "revoked_pass");
  CHECK(sign_ins(h).empty());
}

TEST_CASE("the desk warns when its assembly is dated another day than today") {
  Harness h;  // 2026-11-23; the assembly is on 2026-12-03
  open_desk(h);
  CHECK(h.view().sign_in.other_day);
  CHECK(h.driver().visible("warning"));
  h.clock().advance_ms(10LL * 24 * 3600 * 1000);  // the day of the assembly
  h.tap("staff");
  for (const char* key : {"key:2", "key:4", "key:6", "key:8"}) h.tap(key);
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::staff);
  h.tap("open_desk");
  REQUIRE(h.view().screen == app::Screen::sign_in);
  CHECK_FALSE(h.view().sign_in.other_day);
  CHECK_FALSE(h.driver().visible("warning"));
}
