#pragma once
// The staff's and the kiosk's rules: the staff screen's settings (channel, featured
// consultation, text size, idle delay, PIN), the PIN pad and its lockout, the idle reset of
// an unattended kiosk and its return from the end screens. Settings change only on the staff
// screen; a kiosk is left only from behind the PIN.
#include <cstdint>
#include <optional>
#include <string>

#include "engine/context.hpp"

namespace allervers::app {

class StaffRules {
 public:
  explicit StaffRules(EngineContext& engine);  // reads the stored settings; the command line's win

  void open_staff();  // kiosk: the PIN pad; agent mode: the agent home
  void submit_pin();
  void close_staff();
  void set_pin_entry(const std::string& text);
  void set_new_pin(const std::string& text);
  void set_channel(core::Channel channel);
  void feature_consultation(const std::string& id);
  void set_scale(float scale);
  void set_volume(int percent);  // read-aloud's, 0–100 in steps of 10
  void set_high_contrast(bool on);  // every resident's start
  void set_idle_seconds(std::int64_t seconds);
  void change_pin();
  void quit();  // asks first
  void confirm_quit(bool quit);
  void set_staff_pin(const std::string& pin);  // throws std::invalid_argument when not 4–8 digits
  void forget();  // a new session: the PIN typed, the countdown, the last notice

  void touched();  // any input: the idle timer starts again
  void tick(std::int64_t now);
  std::optional<std::int64_t> ms_until_next(std::int64_t now) const;

 private:
  bool idle_rules_apply() const;  // a kiosk, away from the residents' start
  bool featurable(const std::string& id) const;

  EngineContext& e_;
  ViewState& view_;
  std::optional<std::string> staff_pin_hash_;
  std::int64_t last_input_ms_ = 0;
};

}  // namespace allervers::app
