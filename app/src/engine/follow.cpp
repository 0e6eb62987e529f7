// The follow desk (follow.hpp): a receipt code in, the device's answer out.
#include "engine/follow.hpp"

#include <algorithm>

#include "allervers/storage/device_store.hpp"
#include "allervers/sync/outcomes.hpp"

namespace allervers::app {

FollowDesk::FollowDesk(EngineContext& engine) : e_(engine), view_(engine.view) {}

void FollowDesk::open(FollowKind kind) {
  if (view_.screen != Screen::welcome) return;
  view_.vote_abandoned_until_ms.reset();  // the next resident: the message was for the last one
  view_.follow = FollowView{};
  view_.follow.kind = kind;
  view_.screen = Screen::follow;
}

void FollowDesk::set_typed_code(const std::string& text) {
  if (view_.screen == Screen::follow) view_.follow.typed_code = text.substr(0, 16);
}

void FollowDesk::open_typed_code(bool open) {
  if (view_.screen != Screen::follow || view_.follow.answered) return;
  view_.follow.scanning = !open;
}

void FollowDesk::submit_typed_code() {
  if (view_.screen != Screen::follow || view_.follow.answered) return;
  look_up(view_.follow.typed_code);
}

void FollowDesk::scanned(const command::Scanned& scan) {
  // A hand scanner reads while the keyboard shows too: either way the code is looked up.
  if (view_.screen != Screen::follow || view_.follow.answered) return;
  look_up(sync::code_from_scan(scan.code));
}

void FollowDesk::look_up(const std::string& typed) {
  auto& f = view_.follow;
  f.ideas.clear();
  f.vote.clear();
  f.counted = false;
  try {
    if (f.kind == FollowKind::idea) {
      auto found = sync::follow_idea(e_.store, typed);
      f.found = sync::to_string(found.found);
      f.code = found.code.empty() ? typed : found.code;
      f.ideas = std::move(found.ideas);
      f.checked_at = found.checked_at;
    } else {
      const auto found = sync::follow_ballot(e_.store, typed);
      f.found = sync::to_string(found.found);
      f.code = found.code.empty() ? typed : found.code;
      f.vote = found.vote;
      f.counted = found.outcome == sync::BallotOutcome::counted;
      f.checked_at = found.checked_at;
    }
  } catch (const std::exception& e) {
    view_.failure = e.what();  // the device database failed: said, the code stays typed
    return;
  }
  view_.failure.clear();
  // Stored as UTC milliseconds: said in the kiosk's own time.
  if (f.checked_at) f.checked_at->offset_minutes = e_.clock.now().offset_minutes;
  // A code that is not one stays on the keyboard with the message; any other is answered.
  f.answered = f.found != sync::to_string(sync::FollowFound::invalid_code);
  if (f.answered) f.typed_code.clear();
}

void FollowDesk::again() {
  if (view_.screen != Screen::follow) return;
  const FollowKind kind = view_.follow.kind;
  view_.follow = FollowView{};
  view_.follow.kind = kind;
}

void FollowDesk::show_language(const std::string& language) {
  if (view_.screen != Screen::follow) return;
  if (std::find(view_.languages.begin(), view_.languages.end(), language) != view_.languages.end()) view_.language = language;
}

void FollowDesk::back() {
  if (view_.screen != Screen::follow) return;
  if (view_.follow.answered) return again();
  e_.reset_session(e_.home());
}

void FollowDesk::forget() { view_.follow = FollowView{}; }

}  // namespace allervers::app
