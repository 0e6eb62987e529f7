// Sections: which votes · choosing a vote · who votes (pass, age) · the basket · casting ·
// a new session and timers.
#include "engine/vote.hpp"

#include <algorithm>

#include "allervers/core/settings.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/passes/voter.hpp"
#include "allervers/platform/hand_scanner.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/outcomes.hpp"

namespace allervers::app {

// --- which votes ---------------------------------------------------------------------------

bool vote_takes_ballots(const core::Vote& vote, const core::Instant& now) {
  return vote.state == core::VoteState::open && vote.within_dates(core::local_day(now));
}

std::vector<const core::Vote*> offered_votes(const core::Catalog& catalog) {
  std::vector<const core::Vote*> out;
  for (const auto& v : catalog.votes)
    if (v.state == core::VoteState::open || v.results) out.push_back(&v);
  return out;
}

VoteBooth::VoteBooth(EngineContext& engine) : e_(engine), view_(engine.view) {}

const core::Vote* VoteBooth::vote() const { return e_.catalog().find_vote(view_.vote.vote); }

// --- choosing a vote -----------------------------------------------------------------------

void VoteBooth::choose(const std::string& vote_id) {
  if (view_.screen != Screen::activity_choice) return;
  const core::Vote* v = e_.catalog().find_vote(vote_id);
  if (!v || v->state != core::VoteState::open) return;
  // Refused on the spot, in words: the dates are on the vote's card.
  const std::string today = core::local_day(e_.clock.now());
  if (today < v->opens) return e_.notice("vote.refused.not_yet");
  if (today > v->closes) return e_.notice("vote.refused.over");
  view_.vote = VoteView{};
  view_.vote.vote = v->id;
  voter_.clear();
  // The town's keys as they are now (a sync may have brought revocations since the start),
  // retired town keys included, as at the desk.
  verifier_.reset();
  try {
    if (const auto town_key = e_.store.setting(core::settings::town_key); town_key && !town_key->empty())
      verifier_ = passes::verifier_from_settings(*town_key, e_.store.setting(core::settings::certificates),
                                                 e_.store.setting(core::settings::revocations),
                                                 e_.store.setting(core::settings::retired_town_keys));
  } catch (const std::exception&) {
    verifier_.reset();  // damaged keys: every pass is refused with "cannot check passes yet"
  }
  view_.activity = core::CaptureKind::ballot;
  view_.screen = Screen::vote;
}

void VoteBooth::show_results(const std::string& vote_id) {
  if (view_.screen != Screen::activity_choice) return;
  const core::Vote* v = e_.catalog().find_vote(vote_id);
  if (!v || !v->results) return;
  view_.vote = VoteView{};
  view_.vote.vote = v->id;
  view_.screen = Screen::vote_results;
}

// --- who votes (pass, age) -----------------------------------------------------------------

void VoteBooth::refuse_pass(const std::string& key) { view_.vote.problem = key; }

void VoteBooth::end(const std::string& key) {
  view_.vote.problem = key;
  view_.vote.step = VoteStep::refused;
  view_.vote.typing_code = false;
  view_.vote.typed_code.clear();
  voter_.clear();
}

void VoteBooth::scanned(const command::Scanned& scan) {
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::identify) return;
  if (!verifier_) return refuse_pass("signin.problem.no_town_key");
  if (scan.source == command::Scanned::Source::typed) {
    // A fallback code: checked for typos (its check character), and against the revocations.
    const auto read = passes::read_fallback_code(scan.code);
    if (!read.id) return refuse_pass("vote.refused.code_unknown");
    if (verifier_->revocations().passes.count(*read.id)) return refuse_pass("vote.refused.revoked_pass");
    return identified(*read.id);
  }
  view_.vote.typing_code = false;  // a scan while the field is open: the scan wins
  view_.vote.typed_code.clear();
  auto check = verifier_->verify(scan.code);
  if (scan.source == command::Scanned::Source::hand_scanner && check.problem == passes::PassProblem::wrong_prefix) {
    // A hand scanner left in its US layout on an AZERTY kiosk (as at the desk).
    auto retry = verifier_->verify(platform::undo_us_scanner_on_azerty(scan.code));
    if (retry.problem != passes::PassProblem::wrong_prefix) check = std::move(retry);
  }
  if (!check.ok() || !check.pass) {
    const std::string problem = passes::to_string(check.problem);
    if (check.problem == passes::PassProblem::revoked_pass || check.problem == passes::PassProblem::revoked_certificate)
      return refuse_pass("vote.refused.revoked_pass");
    return refuse_pass("signin.problem." + problem);
  }
  identified(check.pass->id);
}

void VoteBooth::identified(const passes::PassId& pass) {
  const core::Vote* v = vote();
  if (!v) return;
  voter_ = passes::voter_hash(*v, pass.str());
  view_.vote.problem.clear();
  view_.vote.typing_code = false;
  view_.vote.typed_code.clear();
  bool voted = false;
  try {
    voted = e_.store.has_ballot(v->id, voter_);
  } catch (const std::exception& e) {
    view_.failure = e.what();
    return;
  }
  if (voted) return end("vote.refused.already_voted");
  view_.vote.step = v->min_age > 0 ? VoteStep::age : VoteStep::choose;
}

void VoteBooth::open_typed_code(bool open) {
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::identify) return;
  view_.vote.typing_code = open;
  view_.vote.typed_code.clear();
  view_.vote.problem.clear();
}

void VoteBooth::set_typed_code(const std::string& text) {
  if (view_.screen == Screen::vote) view_.vote.typed_code = text.substr(0, 16);
}

void VoteBooth::submit_typed_code() {
  if (view_.screen != Screen::vote || !view_.vote.typing_code) return;
  scanned(command::Scanned{view_.vote.typed_code, command::Scanned::Source::typed, 0});
}

void VoteBooth::confirm_age(bool reached) {
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::age) return;
  if (reached) view_.vote.step = VoteStep::choose;
  else end("vote.refused.age");
}

// --- the basket ----------------------------------------------------------------------------

void VoteBooth::toggle(const std::string& project) {
  const core::Vote* v = vote();
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::choose || !v || !v->find_project(project)) return;
  auto& basket = view_.vote.basket;
  view_.vote.errors.clear();
  if (auto it = std::find(basket.begin(), basket.end(), project); it != basket.end()) {
    basket.erase(it);
    return;
  }
  // Adding: what would break a ceiling is refused at once (over the envelope, too many
  // projects); a floor (the minimum share, too few) is said only when moving on.
  auto tried = basket;
  tried.push_back(project);
  for (const auto& e : core::check_basket(*v, tried)) {
    if (e.code == "over_envelope") return e_.notice("vote.refused.over_envelope");
    if (e.code == "too_many_projects")
      return e_.notice("vote.refused.too_many", {{"max", std::to_string(v->max_projects)}});
  }
  basket = std::move(tried);
}

void VoteBooth::next() {
  const core::Vote* v = vote();
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::choose || !v) return;
  view_.vote.errors = core::check_basket(*v, view_.vote.basket);
  if (view_.vote.errors.empty()) view_.vote.step = VoteStep::summary;
}

void VoteBooth::back() {
  if (view_.screen == Screen::vote_results) {
    view_.vote = VoteView{};
    view_.screen = Screen::activity_choice;
    return;
  }
  if (view_.screen != Screen::vote) return;
  view_.failure.clear();
  switch (view_.vote.step) {
    case VoteStep::summary: view_.vote.step = VoteStep::choose; break;
    case VoteStep::choose:
    case VoteStep::age:
      // Back before the basket: someone else may take the booth (the pass is forgotten).
      voter_.clear();
      view_.vote.basket.clear();
      view_.vote.errors.clear();
      view_.vote.step = VoteStep::identify;
      break;
    case VoteStep::identify:
      if (view_.vote.typing_code) open_typed_code(false);
      else e_.reset_session(e_.home());
      break;
    case VoteStep::refused: e_.reset_session(e_.home()); break;
  }
}

// --- casting -------------------------------------------------------------------------------

void VoteBooth::cast() {
  const core::Vote* v = vote();
  if (view_.screen != Screen::vote || view_.vote.step != VoteStep::summary || !v || voter_.empty()) return;
  core::Capture capture = e_.new_capture(view_.channel);
  core::Ballot ballot;
  ballot.vote = v->id;
  ballot.projects = view_.vote.basket;
  ballot.voter = voter_;
  ballot.receipt = passes::new_receipt();
  ballot.age_confirmed = v->min_age > 0;
  capture.body = ballot;
  capture.id = e_.uuids.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, e_.catalog(), e_.clock.now());
  if (!result.ok()) {
    // The dates passed while the resident chose (midnight of the last day), or the catalog
    // changed under the basket: said, nothing stored.
    const auto& first = result.errors().front();
    if (first.code == "outside_dates") return end("vote.refused.over");
    view_.vote.errors = result.errors();
    view_.vote.step = VoteStep::choose;
    return;
  }
  // The storage refuses a second ballot of this voter on this device even if one arrived
  // since the pass was read (another booth on the same device is impossible, a paper ballot
  // typed in is not).
  if (!e_.commit(result.valid(), view_.failure)) {
    try {
      if (e_.store.has_ballot(v->id, voter_)) {
        view_.failure.clear();
        end("vote.refused.already_voted");
      }
    } catch (const std::exception&) {
    }
    return;
  }
  view_.receipt = core::shown_receipt(ballot.receipt);
  // The public page that says whether it was counted (not the consultation's page).
  view_.receipt_url = sync::ballot_receipt_url(e_.store.setting(core::settings::public_url).value_or(""), view_.receipt);
  view_.vote = VoteView{};
  voter_.clear();
  view_.screen = Screen::thanks;
  e_.end_screen_at_ms = e_.now_ms();
}

// --- a new session and timers --------------------------------------------------------------

void VoteBooth::forget(bool was_voting) {
  voter_.clear();
  view_.vote = VoteView{};
  if (was_voting) view_.vote_abandoned_until_ms = e_.now_ms() + timing::vote_abandoned_ms;
}

void VoteBooth::tick(std::int64_t now) {
  if (view_.vote_abandoned_until_ms && now >= *view_.vote_abandoned_until_ms) view_.vote_abandoned_until_ms.reset();
}

std::optional<std::int64_t> VoteBooth::ms_until_next(std::int64_t now) const {
  if (!view_.vote_abandoned_until_ms) return std::nullopt;
  return *view_.vote_abandoned_until_ms - now;
}

}  // namespace allervers::app
