#pragma once
// A headless UI harness: a device in a temporary folder holding the demo catalog, the engine
// on a manual clock, and an ImGui context with no window. Frames are driven by hand and
// touches land at a widget's recorded rectangle, exactly as a finger would.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "allervers/app/app.hpp"
#include "allervers/app/driver.hpp"
#include "allervers/core/time.hpp"
#include "allervers/passes/keys.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/protocol.hpp"
#include <nlohmann/json.hpp>
#include "test_support.hpp"

namespace allervers::test {

struct HarnessOptions {
  bool kiosk = false;
  float width = 1280, height = 800;
  std::string office_public_key;  // base64; empty: no contact step
  // The staff PIN (an agent hands the tablet over only once one exists); empty: none.
  std::string staff_pin = "2468";
  float text_scale = 1.0f;        // the text-size setting (100 %–200 %)
  bool high_contrast = false;     // staff's default theme (every resident starts in it)
  std::string language = "fr";    // the device's language: staff screens, and where a reset goes
  // Changes the demo catalog before the device stores it (e.g. a consultation doing both).
  std::function<void(nlohmann::json&)> edit_catalog;
  // Keep the demo catalog's open vote: the activity choice then offers it after every
  // consultation, so the flows written before the vote leave it out.
  bool votes = false;
  // The demo catalog's pictograms (the PNG files beside it) held by the device, the catalog
  // naming them by their SHA-256, as `allervers-device init` or a sync leaves them. Without it
  // the catalog names them by file and the kiosk draws the words alone.
  bool pictograms = false;
  std::optional<std::int64_t> idle_seconds;
  app::CameraFactory camera;  // none: "no camera" on the QR screens
  app::Speech* speech = nullptr;  // read-aloud; none: unavailable
};

// The town's keys held by the device, as sync will write them at enrolment.
void hold_town_key(storage::DeviceStore& store, const passes::TownKey& town);
// This device's own signing key and certificate (the server certifies it at enrolment).
void hold_device_key(storage::DeviceStore& store, const passes::TownKey& town);

// What became of ideas and ballots, as a sync stores it (GET /api/v1/outcomes), confirmed by
// the server at `checked_ms` (0: never confirmed); `public_url` "" when the server has none.
void hold_outcomes(storage::DeviceStore& store, const sync::protocol::Outcomes& outcomes, std::int64_t checked_ms);
// An outcome document holding one idea (its code, state and answer) and one ballot receipt of
// the demo vote (counted or flagged), keyed as the server keys them.
sync::protocol::Outcomes demo_outcomes(const storage::DeviceStore& store, const std::string& idea_code, const std::string& state,
                                       const std::string& answer, const std::string& ballot_receipt, bool counted);

// 2026-11-23 10:00 in Paris (UTC+1).
inline core::Instant harness_start() { return core::Instant{1'795'424'400'000, 60}; }

class Harness {
 public:
  explicit Harness(HarnessOptions options = {});
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void frame();
  void frames(int n) { driver().frames(n); }
  // Taps a widget; fails the test (with what is on screen) when it is not there.
  void tap(const std::string& id);
  bool can_tap(const std::string& id) const;
  void type(const std::string& text) { driver().type(text); }
  // An idea's first three steps, as a resident fills them: title, description, theme (each
  // followed by « Suivant »); the idea then asks for its quartier.
  void idea_words(const std::string& title, const std::string& description, const std::string& theme) {
    for (const auto& words : {title, description}) {
      type(words);
      tap("next");
    }
    tap("answer:" + theme);
    tap("next");
  }
  // A hand scanner types the code and Enter, as fast as scanners do.
  void hand_scan(const std::string& code);
  void advance_seconds(double seconds);
  void resize(float width, float height);
  float width() const { return options_.width; }
  float height() const { return options_.height; }

  app::Engine& engine() { return *engine_; }
  const app::ViewState& view() const { return engine_->view(); }
  storage::DeviceStore& store() { return *store_; }
  app::App& app() { return *app_; }
  app::Driver& driver() { return *driver_; }
  core::ManualClock& clock() { return clock_; }
  std::string on_screen() const;
  // The words of everything visible on screen (labels, paragraphs, messages), a line each.
  std::string words() const;
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  HarnessOptions options_;
  core::ManualClock clock_;
  std::optional<storage::DeviceStore> store_;
  std::optional<app::Engine> engine_;
  struct ImGuiContextDeleter {
    void operator()(ImGuiContext* context) const;
  };
  std::unique_ptr<ImGuiContext, ImGuiContextDeleter> context_;
  std::optional<app::App> app_;
  std::optional<app::Driver> driver_;
};

}  // namespace allervers::test
