#pragma once
// « Où en est mon idée ? » and « Mon vote a-t-il été compté ? », from the welcome screen: the
// resident types the code of their thank-you screen (on-screen keyboard) or shows its QR code
// to the camera or a hand scanner; the answer comes from what the last sync brought down
// (sync/outcomes.hpp), so it works offline, and says as of when.
#include <string>

#include "allervers/app/commands.hpp"
#include "engine/context.hpp"

namespace allervers::app {

class FollowDesk {
 public:
  explicit FollowDesk(EngineContext& engine);

  void open(FollowKind kind);  // from the welcome screen
  void set_typed_code(const std::string& text);
  void open_typed_code(bool open);  // false: the camera instead of the keyboard
  void submit_typed_code();
  void scanned(const command::Scanned& scan);
  void again();  // another code
  void show_language(const std::string& language);
  void back();
  void forget();
  bool wants_scanner() const { return view_.screen == Screen::follow && view_.follow.scanning && !view_.follow.answered; }

 private:
  void look_up(const std::string& typed);

  EngineContext& e_;
  ViewState& view_;
};

}  // namespace allervers::app
