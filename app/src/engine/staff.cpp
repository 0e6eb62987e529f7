// Sections: settings read at start · the staff screen and the PIN · the staff's settings ·
// idle and end-screen timers.
#include "engine/staff.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "allervers/app/staff_pin.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/storage/device_store.hpp"

namespace allervers::app {

namespace {
constexpr float kMinScale = static_cast<float>(kMinTextPercent) / 100.0f, kMaxScale = static_cast<float>(kMaxTextPercent) / 100.0f;

// The countdown shows for its usual 15 s, or a third of a shorter idle delay.
std::int64_t countdown_length(std::int64_t idle_ms) { return std::min(timing::countdown_ms, idle_ms / 3); }

// How long an unattended kiosk stays on the thank-you or the issued pass.
std::int64_t end_screen_ms(Screen screen) {
  return screen == Screen::pass_issued ? timing::pass_return_ms : timing::thanks_return_ms;
}
}  // namespace

// --- settings read at start ----------------------------------------------------------------

StaffRules::StaffRules(EngineContext& engine) : e_(engine), view_(engine.view) {
  if (view_.kiosk) view_.channel = core::Channel::kiosk;
  else if (auto ch = e_.store.setting(core::settings::channel))
    view_.channel = core::channel_from(*ch).value_or(core::Channel::door_to_door);
  view_.featured_consultation = e_.store.setting(core::settings::featured_consultation).value_or("");
  if (!featurable(view_.featured_consultation)) view_.featured_consultation.clear();

  view_.idle_seconds = e_.config.idle_seconds.value_or(
      e_.int_setting(core::settings::idle_seconds).value_or(timing::default_idle_seconds));
  view_.idle_seconds = std::clamp(view_.idle_seconds, timing::min_idle_seconds, timing::max_idle_seconds);
  view_.scale = std::clamp(e_.config.scale.value_or(e_.float_setting(core::settings::ui_scale).value_or(1.0f)), kMinScale, kMaxScale);
  view_.volume = static_cast<int>(std::clamp<std::int64_t>(e_.int_setting(core::settings::speech_volume).value_or(80), 0, 100));
  view_.high_contrast_default = e_.config.high_contrast.value_or(e_.int_setting(core::settings::high_contrast).value_or(0) != 0);
  view_.high_contrast = view_.high_contrast_default;

  staff_pin_hash_ = e_.store.setting(core::settings::staff_pin_hash);
  view_.staff_pin_set = staff_pin_hash_.has_value();
  if (auto until = e_.int_setting(core::settings::pin_locked_until_ms); until && *until > e_.now_ms()) view_.pin_locked_until_ms = until;
  last_input_ms_ = e_.now_ms();
}

// --- the staff screen and the PIN ----------------------------------------------------------

void StaffRules::open_staff() {
  if (view_.screen != Screen::welcome && view_.screen != Screen::thanks && view_.screen != Screen::sign_in) return;
  // A kiosk's settings and an agent's menu alike are behind the staff PIN: a tablet handed to a
  // resident must not let them in.
  e_.reset_session(Screen::pin);
  e_.refresh_status();
}

void StaffRules::close_staff() {
  if (view_.screen == Screen::pin) e_.reset_session(e_.home());
  if (!e_.on_staff_screen()) return;
  // Handing the device to residents needs a PIN to come back with.
  if (!view_.staff_pin_set) {
    e_.notice("staff.pin_first");
    return;
  }
  e_.reset_session(e_.home());
}

void StaffRules::set_pin_entry(const std::string& text) {
  view_.pin_entry = text.substr(0, kPinMaxDigits);
  view_.pin_wrong = false;
}

void StaffRules::set_new_pin(const std::string& text) { view_.new_pin = text.substr(0, kPinMaxDigits); }

void StaffRules::submit_pin() {
  if (view_.screen != Screen::pin) return;
  const auto now = e_.now_ms();
  if (view_.pin_locked_until_ms && now < *view_.pin_locked_until_ms) {
    view_.pin_entry.clear();
    return;
  }
  if (staff_pin_hash_ && !view_.pin_entry.empty() && hash_pin(view_.pin_entry, e_.store.identity().device) == *staff_pin_hash_) {
    view_.pin_failures = 0;
    view_.pin_entry.clear();
    view_.screen = Screen::staff;
    e_.refresh_status();
    return;
  }
  view_.pin_entry.clear();
  view_.pin_wrong = true;
  if (++view_.pin_failures >= timing::max_pin_attempts) {
    view_.pin_failures = 0;
    view_.pin_locked_until_ms = now + timing::pin_lockout_ms;
    // Kept across a restart, so pulling the plug does not reset the count.
    try {
      e_.store.set_setting(core::settings::pin_locked_until_ms, std::to_string(*view_.pin_locked_until_ms));
    } catch (const std::exception&) {
      // A database that cannot be written: the lock holds in memory for this run all the same;
      // only its surviving a restart is lost. The PIN pad must not fail because of it.
    }
  }
}

void StaffRules::set_staff_pin(const std::string& pin) {
  if (!is_acceptable_pin(pin)) throw std::invalid_argument("the staff PIN must be 4 to 8 digits");
  staff_pin_hash_ = hash_pin(pin, e_.store.identity().device);
  e_.store.set_setting(core::settings::staff_pin_hash, *staff_pin_hash_);
  view_.staff_pin_set = true;
}

void StaffRules::forget() {
  view_.idle_countdown_ms.reset();
  view_.pin_entry.clear();
  view_.pin_wrong = false;
  view_.new_pin.clear();
  view_.staff_notice.clear();
  view_.confirm_quit = false;
}

// --- the staff's settings ------------------------------------------------------------------

void StaffRules::set_channel(core::Channel channel) {
  if (!e_.on_staff_screen() || view_.kiosk) return;
  view_.channel = channel;
  e_.store.set_setting(core::settings::channel, core::to_string(channel));
  // A consultation featured here but not offered on the new channel is featured no more.
  if (!featurable(view_.featured_consultation)) feature_consultation("");
}

// "" (all), or a consultation held and offered on this device's channel.
bool StaffRules::featurable(const std::string& id) const {
  if (id.empty()) return true;
  const auto* c = e_.catalog().latest(id);
  return c && c->offered_on(view_.channel);
}

void StaffRules::feature_consultation(const std::string& id) {
  if (!e_.on_staff_screen() || !featurable(id)) return;
  view_.featured_consultation = id;
  e_.store.set_setting(core::settings::featured_consultation, id);
}

void StaffRules::set_scale(float scale) {
  if (!e_.on_staff_screen()) return;
  if (scale > kMaxScale + 0.001f) e_.notice("staff.scale.largest");
  if (scale < kMinScale - 0.001f) e_.notice("staff.scale.smallest");
  view_.scale = std::clamp(std::round(scale * 10.0f) / 10.0f, kMinScale, kMaxScale);
  e_.store.set_setting(core::settings::ui_scale, std::to_string(view_.scale));
}

void StaffRules::set_high_contrast(bool on) {
  if (!e_.on_staff_screen()) return;
  view_.high_contrast_default = view_.high_contrast = on;
  e_.store.set_setting(core::settings::high_contrast, on ? "1" : "0");
}

void StaffRules::set_volume(int percent) {
  if (!e_.on_staff_screen()) return;
  if (percent > 100) e_.notice("staff.volume.loudest");
  if (percent < 0) e_.notice("staff.volume.silent");
  view_.volume = std::clamp(percent, 0, 100);
  e_.store.set_setting(core::settings::speech_volume, std::to_string(view_.volume));
}

void StaffRules::set_idle_seconds(std::int64_t seconds) {
  if (!e_.on_staff_screen()) return;
  if (seconds > timing::max_idle_seconds) e_.notice("staff.idle.longest");
  if (seconds < timing::min_idle_seconds) e_.notice("staff.idle.shortest");
  view_.idle_seconds = std::clamp(seconds, timing::min_idle_seconds, timing::max_idle_seconds);
  e_.store.set_setting(core::settings::idle_seconds, std::to_string(view_.idle_seconds));
}

void StaffRules::change_pin() {
  if (!e_.on_staff_screen()) return;
  if (is_acceptable_pin(view_.new_pin)) {
    set_staff_pin(view_.new_pin);
    view_.staff_notice = "staff.pin_changed";
  } else {
    view_.staff_notice = "staff.pin_invalid";
  }
  view_.new_pin.clear();
}

void StaffRules::quit() {
  // Only from the staff screen (behind the PIN), and only once confirmed: a slip of the finger
  // must not close a kiosk in a lobby.
  if (e_.on_staff_screen()) view_.confirm_quit = true;
}

void StaffRules::confirm_quit(bool quit) {
  if (!view_.confirm_quit || !e_.on_staff_screen()) return;
  view_.confirm_quit = false;
  if (quit) view_.quit = true;
}

// --- idle and end-screen timers ------------------------------------------------------------

void StaffRules::touched() {
  last_input_ms_ = e_.now_ms();
  view_.idle_countdown_ms.reset();
}

bool StaffRules::idle_rules_apply() const {
  return view_.kiosk && view_.screen != Screen::welcome && view_.screen != e_.home();
}

void StaffRules::tick(std::int64_t now) {
  if (view_.pin_locked_until_ms && now >= *view_.pin_locked_until_ms) view_.pin_locked_until_ms.reset();
  if (idle_rules_apply()) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t idle = now - last_input_ms_;
    if (idle >= idle_ms) {
      e_.reset_session(e_.home());
    } else if (idle >= idle_ms - countdown_length(idle_ms)) {
      view_.idle_countdown_ms = idle_ms - idle;
    } else {
      view_.idle_countdown_ms.reset();
    }
  }
  if (view_.kiosk && (view_.screen == Screen::thanks || view_.screen == Screen::pass_issued) &&
      now - e_.end_screen_at_ms >= end_screen_ms(view_.screen))
    e_.reset_session(e_.home());
}

std::optional<std::int64_t> StaffRules::ms_until_next(std::int64_t now) const {
  std::optional<std::int64_t> wait;
  const auto sooner = [&](std::int64_t ms) { wait = wait ? std::min(*wait, ms) : ms; };
  if (idle_rules_apply()) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t remaining = last_input_ms_ + idle_ms - now;
    const std::int64_t countdown_starts_in = remaining - countdown_length(idle_ms);
    if (countdown_starts_in > 0) sooner(countdown_starts_in);
    else sooner(std::max<std::int64_t>(remaining, 0) % 1000);  // the shown second changes
  }
  if (view_.kiosk && (view_.screen == Screen::thanks || view_.screen == Screen::pass_issued))
    sooner(e_.end_screen_at_ms + end_screen_ms(view_.screen) - now);
  if (view_.pin_locked_until_ms) sooner(*view_.pin_locked_until_ms - now);
  return wait;
}

}  // namespace allervers::app
