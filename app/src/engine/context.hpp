#pragma once
// What the Engine's controllers share: the device (its store), the clock, the view-state the
// screens read, ids for new captures, the status line; and the two engine-wide moves that
// only the Engine, which knows every controller, can make: a new session, a re-read catalog.
//
// The controllers, one responsibility each (see engine.cpp for which command goes where):
//   ResidentSession  the resident's survey and idea, from the language to "thank you"
//   AssemblyDesk     the sign-in desk: scans, verdicts, signing in without a pass
//   StaffRules       the staff screen's settings, the PIN and its lockout, the kiosk's timers
//   Enrolment        enrolling the device from a scanned QR code
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "allervers/app/engine.hpp"
#include "allervers/core/capture.hpp"
#include "allervers/core/uuid.hpp"

namespace allervers::app {

class EngineContext {
 public:
  EngineContext(storage::DeviceStore& store, const core::Clock& clock, EngineConfig config);
  EngineContext(const EngineContext&) = delete;
  EngineContext& operator=(const EngineContext&) = delete;

  storage::DeviceStore& store;
  const core::Clock& clock;
  const EngineConfig config;
  ViewState view;
  core::UuidGenerator uuids;
  std::function<void()> on_captured;  // the kiosk nudges its sync thread
  // When the thank-you or the issued pass showed: an unattended kiosk returns from them.
  std::int64_t end_screen_at_ms = 0;

  std::int64_t now_ms() const { return clock.now().utc_ms; }
  const core::Catalog& catalog() const;
  const core::Consultation* consultation() const;  // of the current session
  // Where residents start: the sign-in desk while staff keep it open, else the welcome.
  Screen home() const { return view.desk_open ? Screen::sign_in : Screen::welcome; }
  bool on_staff_screen() const { return view.screen == Screen::staff; }

  // A capture made now on this device, in the session's language; the caller fills the rest
  // (its body, which is its kind).
  core::Capture new_capture(core::Channel channel) const;
  // Commits a validated capture (with its outbox row, one transaction), counts it, re-reads
  // the status and nudges the sync. False, with the storage's sentence in `failure`, when
  // nothing was committed.
  bool commit(const core::ValidCapture& capture, std::string& failure);

  // A whole number or a decimal stored in the settings; nothing when missing or damaged (the
  // default applies, and the staff screen writes a good value again).
  std::optional<std::int64_t> int_setting(std::string_view key) const;
  std::optional<float> float_setting(std::string_view key) const;

  void refresh_status();
  // Says a refusal in words for timing::notice_ms (replacing the one being said).
  void notice(const std::string& key, std::map<std::string, std::string> values = {});
  std::int64_t ms_until_status_refresh(std::int64_t now) const { return status_read_ms_ + timing::status_refresh_ms - now; }

  // Forgets everything of the resident's session and shows `to` (every controller's part).
  virtual void reset_session(Screen to) = 0;
  // Re-reads the catalog and the pass keys (a sync stored new ones).
  virtual void reload_catalog() = 0;

 protected:
  ~EngineContext() = default;

 private:
  std::int64_t status_read_ms_ = 0;
};

}  // namespace allervers::app
