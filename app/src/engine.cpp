// The Engine: the shared context and its four controllers, and which command goes where.
//
// Sections: question visibility · the parts (construction, a new session, the catalog) ·
// commands (the routing table) · timers · the program's hooks.
#include "allervers/app/engine.hpp"

#include <algorithm>

#include "allervers/storage/device_store.hpp"
#include "engine/context.hpp"
#include "engine/desk.hpp"
#include "engine/enrolment.hpp"
#include "engine/follow.hpp"
#include "engine/session.hpp"
#include "engine/staff.hpp"
#include "engine/vote.hpp"

namespace allervers::app {

// --- question visibility -------------------------------------------------------------------

std::vector<std::size_t> shown_questions(const core::Consultation& c,
                                         const std::map<std::string, core::AnswerValue>& answers) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < c.questions.size(); ++i)
    if (core::is_shown(c.questions[i], answers)) out.push_back(i);
  return out;
}

// --- the parts -----------------------------------------------------------------------------

struct Engine::Parts final : EngineContext {
  // In this order: each controller reads its settings; the desk may open on its own screen.
  StaffRules staff{*this};
  ResidentSession session{*this};
  AssemblyDesk desk{*this};
  Enrolment enrolment{*this};
  VoteBooth vote{*this};
  FollowDesk follow{*this};

  Parts(storage::DeviceStore& device, const core::Clock& engine_clock, EngineConfig engine_config)
      : EngineContext(device, engine_clock, std::move(engine_config)) {
    refresh_status();
  }

  void reset_session(Screen to) override {
    ++view.session;
    view.audio_mode = false;  // the next resident chooses again
    view.easy_read = false;
    view.high_contrast = view.high_contrast_default;
    view.notice.reset();
    // A pass was read and the ballot not cast: the welcome says nothing was recorded.
    const bool was_voting = view.screen == Screen::vote &&
                            (view.vote.step == VoteStep::age || view.vote.step == VoteStep::choose || view.vote.step == VoteStep::summary);
    vote.forget(was_voting);
    follow.forget();
    session.forget();
    staff.forget();
    desk.forget();
    // Back to the residents' start: a catalog the sync thread saved since shows now.
    if (to == Screen::welcome || to == Screen::sign_in) reload_catalog();
    view.screen = to;
  }

  void reload_catalog() override {
    try {
      store.reload_catalog();
    } catch (const std::exception& e) {
      view.status.storage_error = e.what();  // the catalog held before stays in use
    }
    if (!view.featured_consultation.empty() && !catalog().latest(view.featured_consultation))
      view.featured_consultation.clear();
    if (!view.sign_in.assembly.empty() && !catalog().find_assembly(view.sign_in.assembly)) view.sign_in.assembly.clear();
    desk.load_verifier();
  }

  void set_text(const command::SetText& c) {
    switch (c.field) {
      case TextField::pin: staff.set_pin_entry(c.text); break;
      case TextField::new_pin: staff.set_new_pin(c.text); break;
      case TextField::fallback_code: desk.set_typed_code(c.text); break;
      case TextField::vote_code: vote.set_typed_code(c.text); break;
      case TextField::follow_code: follow.set_typed_code(c.text); break;
      default: session.set_text(c.field, c.text); break;
    }
    view.errors.clear();
  }

  void next() {
    if (view.screen == Screen::pin) staff.submit_pin();
    else if (view.screen == Screen::vote) vote.next();
    else session.next();
  }

  void back() {
    // Back always drops the last step's messages, wherever it leads.
    view.errors.clear();
    view.failure.clear();
    switch (view.screen) {
      case Screen::survey:
      case Screen::idea:
      case Screen::activity_choice:
      case Screen::consultation_choice: session.back(); break;
      case Screen::pin:
      case Screen::sign_in_form: reset_session(home()); break;
      case Screen::enrol: enrolment.back(); break;
      case Screen::vote:
      case Screen::vote_results: vote.back(); break;
      case Screen::follow: follow.back(); break;
      default: break;
    }
  }

  void scanned(const command::Scanned& scan) {
    if (view.screen == Screen::enrol) enrolment.scanned(scan.code);
    else if (view.screen == Screen::vote) vote.scanned(scan);
    else if (view.screen == Screen::follow) follow.scanned(scan);
    else desk.scanned(scan);
  }
};

Engine::Engine(storage::DeviceStore& store, const core::Clock& clock, EngineConfig config)
    : parts_(std::make_unique<Parts>(store, clock, std::move(config))), view_(&parts_->view) {}

Engine::~Engine() = default;

const core::Catalog& Engine::catalog() const { return parts_->catalog(); }
const core::Consultation* Engine::consultation() const { return parts_->consultation(); }
std::int64_t Engine::now_ms() const { return parts_->now_ms(); }
std::optional<std::string> Engine::media(const std::string& hash) const {
  try {
    if (auto file = parts_->store.media(hash)) return std::move(file->data);
  } catch (const std::exception&) {  // a picture is never worth a failed screen: drawn without it
  }
  return std::nullopt;
}

// --- commands ------------------------------------------------------------------------------

namespace {
template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
}  // namespace

void Engine::apply(const Command& command) {
  using namespace command;
  Parts& p = *parts_;
  // A refusal belongs to the step it was said on: moving on (or back) takes it away.
  if (std::holds_alternative<Next>(command) || std::holds_alternative<Back>(command) || std::holds_alternative<Skip>(command))
    p.view.notice.reset();
  std::visit(
      Overloaded{
          // The resident's session.
          [&](const ChooseLanguage& c) {
            p.view.vote_abandoned_until_ms.reset();  // the next resident: the message was for the last one
            p.session.choose_language(c.language);
          },
          [&](const ChooseConsultation& c) { p.session.choose_consultation(c.id); },
          [&](const ChooseActivity& c) { p.session.choose_activity(c.kind); },
          [&](const SetAnswer& c) { p.session.set_answer(c); },
          [&](const SetText& c) { p.set_text(c); },  // by field: the session's, the PIN pad's, the desk's
          [&](const SetIdeaChoice& c) { p.session.set_idea_choice(c.field, c.id); },
          [&](const ContactOffer& c) { p.session.contact_offer(c.wanted); },
          [&](const Consent& c) { p.session.consent(c.given); },
          [&](const Next&) { p.next(); },  // the survey's or idea's step, or the PIN pad's
          [&](const Back&) { p.back(); },
          [&](const Skip&) { p.session.skip(); },
          [&](const CancelSession&) { p.reset_session(p.home()); },
          [&](const Finish&) { p.reset_session(p.home()); },
          // The staff and kiosk rules.
          [&](const OpenStaff&) { p.staff.open_staff(); },
          [&](const SubmitPin&) { p.staff.submit_pin(); },
          [&](const CloseStaff&) { p.staff.close_staff(); },
          [&](const SetChannel& c) { p.staff.set_channel(c.channel); },
          [&](const FeatureConsultation& c) { p.staff.feature_consultation(c.id); },
          [&](const SetScale& c) { p.staff.set_scale(c.scale); },
          [&](const SetIdleSeconds& c) { p.staff.set_idle_seconds(c.seconds); },
          [&](const ChangePin&) { p.staff.change_pin(); },
          [&](const StillHere&) { p.staff.touched(); },
          [&](const Quit&) { p.staff.quit(); },
          [&](const ConfirmQuit& c) { p.staff.confirm_quit(c.quit); },
          [&](const Notice& c) { p.notice(c.key, c.values); },  // a refusal said by a screen
          // The assembly desk.
          [&](const OpenSignIn&) { p.desk.open(); },
          [&](const CloseSignIn&) { p.desk.close(); },
          [&](const ChooseAssembly& c) { p.desk.choose_assembly(c.id); },
          [&](const Scanned& c) { p.scanned(c); },  // the desk's, or the enrolment code
          [&](const OpenTypedCode& c) {  // the desk's fallback code, the vote's, or a receipt code to follow
            if (p.view.screen == Screen::vote) p.vote.open_typed_code(c.open);
            else if (p.view.screen == Screen::follow) p.follow.open_typed_code(c.open);
            else p.desk.open_typed_code(c.open);
          },
          [&](const SubmitTypedCode&) {
            if (p.view.screen == Screen::vote) p.vote.submit_typed_code();
            else if (p.view.screen == Screen::follow) p.follow.submit_typed_code();
            else p.desk.submit_typed_code();
          },
          [&](const SignInWithoutPass&) { p.desk.without_pass(); },
          [&](const SetSignInChoice& c) { p.desk.set_choice(c.field, c.id); },
          [&](const InviteConsent& c) { p.desk.invite_consent(c.given); },
          [&](const SubmitSignIn&) { p.desk.submit_form(); },
          // Enrolment.
          [&](const OpenEnrol&) { p.enrolment.open(); },
          // The vote.
          [&](const ChooseVote& c) { p.vote.choose(c.id); },
          [&](const ConfirmAge& c) { p.vote.confirm_age(c.reached); },
          [&](const ToggleProject& c) { p.vote.toggle(c.id); },
          [&](const CastBallot&) { p.vote.cast(); },
          [&](const ShowVoteResults& c) { p.vote.show_results(c.id); },
          // What became of an idea or a ballot.
          [&](const OpenFollow& c) { p.follow.open(c.kind); },
          [&](const FollowAgain&) { p.follow.again(); },
          [&](const ShowLanguage& c) { p.follow.show_language(c.language); },
          // Read-aloud: the App's voice speaks; the engine keeps the mode and the volume.
          [&](const Speak&) {},
          [&](const StopSpeech&) {},
          [&](const SetAudioMode& c) { p.view.audio_mode = c.on; },
          [&](const SetVolume& c) { p.staff.set_volume(c.percent); },
          [&](const SetEasyRead& c) { p.view.easy_read = c.on; },
          [&](const SetHighContrast& c) {
            if (p.on_staff_screen()) p.staff.set_high_contrast(c.on);
            else if (p.view.screen == Screen::welcome) p.view.high_contrast = c.on;
          },
      },
      command);
}

// --- timers --------------------------------------------------------------------------------

void Engine::touched() { parts_->staff.touched(); }

void Engine::tick() {
  Parts& p = *parts_;
  const auto now = p.now_ms();
  p.staff.tick(now);
  p.desk.tick(now);
  p.vote.tick(now);
  if (p.view.notice && now >= p.view.notice->until_ms) p.view.notice.reset();
  if (p.ms_until_status_refresh(now) <= 0) p.refresh_status();
}

std::optional<std::int64_t> Engine::ms_until_next_timer() const {
  // From the clock, not from what the last tick() saw: the loop asks this between frames.
  const Parts& p = *parts_;
  const auto now = p.now_ms();
  std::int64_t wait = p.ms_until_status_refresh(now);
  if (p.view.notice) wait = std::min(wait, p.view.notice->until_ms - now);
  for (const auto& due : {p.staff.ms_until_next(now), p.desk.ms_until_next(now), p.vote.ms_until_next(now)})
    if (due) wait = std::min(wait, *due);
  return std::max<std::int64_t>(wait, 0);
}

// --- the program's hooks -------------------------------------------------------------------

void Engine::set_staff_pin(const std::string& pin) { parts_->staff.set_staff_pin(pin); }

void Engine::set_network(Network network, bool running) {
  parts_->view.status.network = network;
  parts_->view.status.sync_running = running;
}

void Engine::refresh_status() { parts_->refresh_status(); }
void Engine::on_captured(std::function<void()> callback) { parts_->on_captured = std::move(callback); }
void Engine::set_feedback(platform::FeedbackSound* sound) { parts_->desk.set_feedback(sound); }

void Engine::set_enroller(std::function<void(const std::string&)> enroller) {
  parts_->enrolment.set_enroller(std::move(enroller));
}

void Engine::enrolment_finished(bool ok, const std::string& message) { parts_->enrolment.finished(ok, message); }

bool Engine::wants_scanner() const {
  return parts_->desk.wants_scanner() || parts_->enrolment.wants_scanner() || parts_->vote.wants_scanner() ||
         parts_->follow.wants_scanner();
}

void Engine::reload_catalog() { parts_->reload_catalog(); }

void Engine::sync_news(bool catalog_changed, bool pass_keys_changed) {
  Parts& p = *parts_;
  if (catalog_changed && (p.view.screen == Screen::welcome || p.view.screen == Screen::sign_in)) p.reload_catalog();
  else if (pass_keys_changed) p.desk.load_verifier();
}

}  // namespace allervers::app
