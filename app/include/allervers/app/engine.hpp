#pragma once
// The Engine turns screens' commands into calls on core (validate) and storage
// (DeviceStore::add), and runs the kiosk rules (idle reset, staff PIN, lockout). It knows
// nothing of ImGui: tests drive it directly or through the UI harness. Inside, one controller
// per responsibility (the resident's session, the assembly desk, the staff and kiosk rules,
// enrolment: app/src/engine/); Engine::apply routes each command to its controller.
//
// Sections: timing · configuration · the engine · question visibility.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "allervers/app/commands.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/platform/feedback.hpp"

namespace allervers::storage {
class DeviceStore;
}

namespace allervers::app {

// The text-size setting: 100 % to 200 % (larger text is what the layouts are checked at).
inline constexpr int kMinTextPercent = 100;
inline constexpr int kMaxTextPercent = 200;

// Kiosk timing, each with its reason.
namespace timing {
// A resident who walked away: the next one must not see their answers.
inline constexpr std::int64_t default_idle_seconds = 90;
inline constexpr std::int64_t min_idle_seconds = 20;   // shorter resets people still reading
inline constexpr std::int64_t max_idle_seconds = 600;
// The visible countdown before the reset: long enough to notice and tap "I'm still here".
inline constexpr std::int64_t countdown_ms = 15'000;
// The thank-you screen returns to welcome by itself at an unattended kiosk.
inline constexpr std::int64_t thanks_return_ms = 10'000;
// A pass issued at the desk stays long enough to be photographed, then the desk returns.
inline constexpr std::int64_t pass_return_ms = 60'000;
// Five wrong PINs lock the settings: slows guessing a 4-digit PIN to days.
inline constexpr int max_pin_attempts = 5;
inline constexpr std::int64_t pin_lockout_ms = 5 * 60'000;
// The status line re-reads counts and sync state from storage this often.
inline constexpr std::int64_t status_refresh_ms = 30'000;
// A sign-in verdict stays on screen this long, then the desk invites the next person: long
// enough to read from a step away, short enough not to greet the next one with it.
inline constexpr std::int64_t verdict_hold_ms = 6'000;
// A refusal said in words (a fourth choice, a full field): long enough to read twice.
inline constexpr std::int64_t notice_ms = 5'000;
// A vote left half-way: the welcome screen says nothing was recorded, long enough for the
// person coming back to read it, short enough not to puzzle the next one.
inline constexpr std::int64_t vote_abandoned_ms = 30'000;
}  // namespace timing

struct EngineConfig {
  bool kiosk = false;
  std::string default_language = "fr";
  std::vector<std::string> languages = {"fr", "en"};
  std::optional<std::int64_t> idle_seconds;  // overrides the stored setting
  std::optional<float> scale;                // overrides the stored setting
  std::optional<bool> high_contrast;         // every resident's start; overrides the stored setting
  std::optional<std::uint64_t> uuid_seed;    // deterministic ids for tests
};

class Engine {
 public:
  Engine(storage::DeviceStore& store, const core::Clock& clock, EngineConfig config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const ViewState& view() const { return *view_; }  // read by every screen, every frame
  const core::Catalog& catalog() const;
  const core::Consultation* consultation() const;  // of the current session
  // A media file the catalog names (a project's picture, a pictogram), as held on the device;
  // nothing when it has not arrived yet (or the database cannot be read).
  std::optional<std::string> media(const std::string& hash) const;

  void apply(const Command& command);
  void apply(const Commands& commands) {
    for (const auto& c : commands) apply(c);
  }
  void touched();  // any input: the idle timer starts again
  void tick();     // timers: idle countdown and reset, thank-you return, status refresh, lock expiry
  // Milliseconds until tick() has something to do (the event loop sleeps at most this long).
  std::optional<std::int64_t> ms_until_next_timer() const;

  void set_staff_pin(const std::string& pin);  // throws std::invalid_argument when not 4–8 digits
  void set_network(Network network, bool running);
  void refresh_status();
  std::int64_t now_ms() const;
  // Called after a capture was committed (the app nudges the sync thread).
  void on_captured(std::function<void()> callback);

  // --- the assembly desk and enrolment ---
  // The sound that goes with each verdict (none: silent). Not owned.
  void set_feedback(platform::FeedbackSound* sound);
  // Enrolment by QR: called with the scanned text on the enrolment screen; runs the sync
  // client's enrol off the UI thread and reports through enrolment_finished(). Unset: this
  // program has no sync client and the screen says so.
  void set_enroller(std::function<void(const std::string& scanned)> enroller);
  void enrolment_finished(bool ok, const std::string& message);
  // Whether a screen that reads QR codes is showing (the app opens the camera only then).
  bool wants_scanner() const;
  // Re-reads the catalog (a sync saved a new one) and the pass keys and revocations.
  void reload_catalog();
  // The sync thread stored new pass keys (re-read now: a revoked pass is refused at once)
  // or a new catalog (re-read now on the residents' start screen, else on the way back there,
  // so nobody's half-answered consultation changes under them).
  void sync_news(bool catalog, bool pass_keys);

 private:
  struct Parts;  // the shared context and the controllers (engine.cpp)
  std::unique_ptr<Parts> parts_;
  const ViewState* view_;  // the parts' view-state
};

// The positions of the questions asked, in order, given the answers so far.
std::vector<std::size_t> shown_questions(const core::Consultation& consultation,
                                         const std::map<std::string, core::AnswerValue>& answers);

}  // namespace allervers::app
