// Sections: choosing (language, consultation, activity) · answers · moving between steps ·
// steps of a survey · steps of an idea · the capture and its commit.
#include "engine/session.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "allervers/core/receipt.hpp"
#include "allervers/core/contact.hpp"
#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/outcomes.hpp"
#include "engine/vote.hpp"

namespace allervers::app {

namespace {

// The capture field each idea step edits: core's validation errors name it.
std::string idea_field(IdeaStep step) {
  switch (step) {
    case IdeaStep::title: return "idea.title";
    case IdeaStep::description: return "idea.description";
    case IdeaStep::theme: return "idea.theme";
    case IdeaStep::neighbourhood: return "idea.neighbourhood";
    case IdeaStep::place: return "idea.place";
    case IdeaStep::cost: return "idea.estimated_cost_eur";
    default: return "idea.contact";
  }
}

// Back to the step seen before `at`; false when it was the first.
template <class Step>
bool step_back(std::vector<Step>& history, Step& at) {
  if (history.empty()) return false;
  at = history.back();
  history.pop_back();
  return true;
}

// The steps before the contact, in order.
// The activity choice shows when there is a choice: several kinds, or a vote besides.
bool offers_a_choice(const core::Catalog& catalog, const core::Consultation& c) {
  return core::offered_kinds(c).size() > 1 || !offered_votes(catalog).empty();
}

constexpr IdeaStep kIdeaSteps[] = {IdeaStep::title, IdeaStep::description, IdeaStep::theme,
                                   IdeaStep::neighbourhood, IdeaStep::place, IdeaStep::cost};

}  // namespace

ResidentSession::ResidentSession(EngineContext& engine) : e_(engine), view_(engine.view) {
  if (auto key = e_.store.setting(core::settings::office_public_key)) sealer_ = crypto::ContactSealer::from_base64(*key);
  view_.contact_offered = sealer_.has_value();
}

// --- choosing ------------------------------------------------------------------------------

void ResidentSession::choose_language(const std::string& language) {
  if (std::find(view_.languages.begin(), view_.languages.end(), language) == view_.languages.end()) return;
  view_.language = language;
  const auto current = e_.catalog().offered_on(view_.channel);
  if (!view_.featured_consultation.empty()) choose_consultation(view_.featured_consultation);
  else if (current.size() == 1) choose_consultation(current.front()->id);
  else view_.screen = Screen::consultation_choice;
}

void ResidentSession::choose_consultation(const std::string& id) {
  const auto* found = e_.catalog().latest(id);
  if (!found || !found->offered_on(view_.channel)) return;  // not offered where this device stands
  // What the consultation offers residents comes from core's registry of capture kinds.
  const auto offered = core::offered_kinds(*found);
  if (offered.empty()) return;
  view_.consultation = found->id;
  view_.version = found->version;
  if (offers_a_choice(e_.catalog(), *found)) {
    view_.screen = Screen::activity_choice;
  } else {
    view_.activity = offered.front();
    start_activity();
  }
}

void ResidentSession::choose_activity(core::CaptureKind kind) {
  view_.activity = kind;
  start_activity();
}

void ResidentSession::start_activity() {
  view_.errors.clear();
  view_.failure.clear();
  view_.survey = {};
  crypto::wipe(view_.idea.contact);
  view_.idea = {};
  // The registry names the screen that makes a capture of this kind.
  switch (flow_screen()) {
    case Screen::survey: {
      const auto* c = e_.consultation();
      if (!c || !c->has_survey()) return;
      const auto shown = shown_questions(*c, view_.survey.answers);
      view_.survey.index = shown.empty() ? 0 : shown.front();
      view_.screen = Screen::survey;
      break;
    }
    case Screen::idea: view_.screen = Screen::idea; break;
    default: break;  // not a resident's activity (sign-ins are the desk's)
  }
}

Screen ResidentSession::flow_screen() const {
  return screen_named(core::info(view_.activity).screen).value_or(Screen::welcome);
}

// --- answers -------------------------------------------------------------------------------

void ResidentSession::set_answer(const command::SetAnswer& answer) {
  if (answer.value) view_.survey.answers[answer.question] = *answer.value;
  else view_.survey.answers.erase(answer.question);
  view_.errors.clear();
}

void ResidentSession::set_text(TextField field, const std::string& text) {
  auto& idea = view_.idea;
  switch (field) {
    case TextField::idea_title: idea.title = text; break;
    case TextField::idea_description: idea.description = text; break;
    case TextField::idea_place: idea.place = text; break;
    case TextField::idea_cost: idea.cost = text; break;
    case TextField::idea_contact: crypto::wipe(idea.contact); idea.contact = text; break;
    case TextField::survey_text: {
      const auto* c = e_.consultation();
      if (!c || view_.screen != Screen::survey || view_.survey.index >= c->questions.size()) break;
      const auto& id = c->questions[view_.survey.index].id;
      if (text.empty()) view_.survey.answers.erase(id);
      else view_.survey.answers[id] = text;
      break;
    }
    default: break;  // the PIN and fallback-code fields are not the resident's session
  }
}

void ResidentSession::set_idea_choice(IdeaChoice field, const std::string& id) {
  (field == IdeaChoice::theme ? view_.idea.theme : view_.idea.neighbourhood) = id;
  view_.errors.clear();
}

void ResidentSession::contact_offer(bool wanted) {
  if (view_.screen != Screen::idea || view_.idea.step != IdeaStep::contact_offer) return;
  view_.idea.wants_contact = wanted && view_.contact_offered;
  if (view_.idea.wants_contact) {
    view_.idea.history.push_back(view_.idea.step);
    view_.idea.step = IdeaStep::consent;
  } else {
    submit_idea();
  }
}

void ResidentSession::consent(bool given) {
  if (view_.screen != Screen::idea || view_.idea.step != IdeaStep::consent) return;
  view_.idea.consent = given;
  if (given) {
    view_.idea.history.push_back(view_.idea.step);
    view_.idea.step = IdeaStep::contact;
  } else {
    view_.idea.wants_contact = false;
    submit_idea();
  }
}

// --- moving between steps ------------------------------------------------------------------

void ResidentSession::next() {
  if (view_.screen == Screen::survey) survey_next(false);
  else if (view_.screen == Screen::idea) idea_next(false);
}

void ResidentSession::skip() {
  if (view_.screen == Screen::survey) survey_next(true);
  else if (view_.screen == Screen::idea) idea_next(true);
}

void ResidentSession::before_activity() {
  const auto* c = e_.consultation();
  if (c && offers_a_choice(e_.catalog(), *c)) view_.screen = Screen::activity_choice;
  else if (view_.featured_consultation.empty() && e_.catalog().offered_on(view_.channel).size() > 1) view_.screen = Screen::consultation_choice;
  else e_.reset_session(e_.home());
}

void ResidentSession::back() {
  switch (view_.screen) {
    case Screen::survey:
      if (!step_back(view_.survey.history, view_.survey.index)) before_activity();
      break;
    case Screen::idea:
      if (!step_back(view_.idea.history, view_.idea.step)) before_activity();
      break;
    case Screen::activity_choice:
      if (view_.featured_consultation.empty() && e_.catalog().offered_on(view_.channel).size() > 1) view_.screen = Screen::consultation_choice;
      else e_.reset_session(e_.home());
      break;
    case Screen::consultation_choice: e_.reset_session(e_.home()); break;
    default: break;
  }
}

void ResidentSession::forget() {
  view_.consultation.clear();
  view_.version = 0;
  view_.survey = {};
  crypto::wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.failure.clear();
  view_.receipt.clear();
  view_.receipt_url.clear();
  view_.language = e_.config.default_language;
}

// --- steps of a survey ---------------------------------------------------------------------

void ResidentSession::survey_next(bool skipping) {
  const auto* c = e_.consultation();
  if (!c || view_.survey.index >= c->questions.size()) return;
  const auto& q = c->questions[view_.survey.index];
  if (skipping) {
    if (q.required) return;
    view_.survey.answers.erase(q.id);
  } else {
    view_.errors = errors_for("answers." + q.id);
    if (!view_.errors.empty()) return;
  }
  const auto shown = shown_questions(*c, view_.survey.answers);
  auto it = std::upper_bound(shown.begin(), shown.end(), view_.survey.index);
  if (it == shown.end()) {
    submit_survey();
    return;
  }
  view_.survey.history.push_back(view_.survey.index);
  view_.survey.index = *it;
  view_.errors.clear();
}

void ResidentSession::submit_survey() {
  const auto* c = e_.consultation();
  if (!c) return;
  auto capture = draft_capture();
  capture.id = e_.uuids.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, e_.catalog(), e_.clock.now());
  if (!result.ok()) {
    view_.errors = result.errors();
    // Show the first question at fault.
    for (std::size_t i = 0; i < c->questions.size(); ++i)
      if (view_.errors.front().field == "answers." + c->questions[i].id) view_.survey.index = i;
    return;
  }
  commit(result.valid());
}

// --- steps of an idea ----------------------------------------------------------------------

void ResidentSession::idea_next(bool skipping) {
  auto& idea = view_.idea;
  const bool optional = idea.step == IdeaStep::place || idea.step == IdeaStep::cost;
  if (skipping) {
    if (!optional) return;
    (idea.step == IdeaStep::place ? idea.place : idea.cost).clear();
  }
  if (idea.step == IdeaStep::contact_offer || idea.step == IdeaStep::consent) return;  // answered by their buttons
  if (idea.step == IdeaStep::contact) {
    // core's rule (the office and the web pages apply the same): an e-mail or a French phone
    // number, sealed in its canonical form.
    auto checked = core::check_contact(idea.contact);
    if (checked.error) {
      view_.errors = {*checked.error};
      return;
    }
    crypto::wipe(idea.contact);
    idea.contact = checked.contact->text;
    crypto::wipe(checked.contact->text);
    submit_idea();
    return;
  }
  view_.errors = errors_for(idea_field(idea.step));
  if (!view_.errors.empty()) return;
  if (idea.step == IdeaStep::cost && !view_.contact_offered) {
    submit_idea();
    return;
  }
  // The step after this one: the next of kIdeaSteps, and after the cost the contact offer.
  const auto* at = std::find(std::begin(kIdeaSteps), std::end(kIdeaSteps), idea.step);
  const IdeaStep following = at + 1 < std::end(kIdeaSteps) ? *(at + 1) : IdeaStep::contact_offer;
  idea.history.push_back(idea.step);
  idea.step = following;
}

void ResidentSession::submit_idea() {
  auto capture = draft_capture();
  auto& idea = view_.idea;
  if (idea.wants_contact && idea.consent && sealer_ && !core::is_blank(idea.contact)) {
    std::get<core::Idea>(capture.body).contact = core::SealedContact{true, sealer_->seal(idea.contact)};
  }
  capture.id = e_.uuids.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, e_.catalog(), e_.clock.now());
  if (!result.ok()) {
    view_.errors = result.errors();
    const auto& field = view_.errors.front().field;
    for (auto step : kIdeaSteps)
      if (field.rfind(idea_field(step), 0) == 0) idea.step = step;
    return;
  }
  commit(result.valid());
}

// --- the capture and its commit ------------------------------------------------------------

core::Capture ResidentSession::draft_capture() const {
  core::Capture capture = e_.new_capture(view_.channel);
  capture.consultation = view_.consultation;
  capture.version = view_.version;
  // One builder per flow, chosen by the screen the registry names for the kind.
  switch (flow_screen()) {
    case Screen::survey: capture.body = survey_body(); break;
    case Screen::idea: capture.body = idea_body(); break;
    default: throw std::logic_error(std::string("no resident's flow makes a capture of kind ") + core::to_string(view_.activity));
  }
  return capture;
}

core::CaptureBody ResidentSession::survey_body() const {
  core::Opinion opinion;
  if (const auto* c = e_.consultation())
    for (const auto& q : c->questions)  // answers to questions no longer asked are dropped
      if (auto it = view_.survey.answers.find(q.id); it != view_.survey.answers.end() && core::is_shown(q, view_.survey.answers))
        opinion.answers.insert(*it);
  return opinion;
}

core::CaptureBody ResidentSession::idea_body() const {
  const auto& d = view_.idea;
  core::Idea idea;
  idea.title = d.title;
  idea.description = d.description;
  idea.theme = d.theme;
  idea.neighbourhood = d.neighbourhood;
  idea.place = d.place;
  if (!d.cost.empty()) {
    // The keyboard types digits only; more than 15 of them is out of any range.
    idea.estimated_cost_eur = d.cost.size() > 15 ? std::numeric_limits<std::int64_t>::max() : std::stoll(d.cost);
  }
  return idea;
}

std::vector<core::ValidationError> ResidentSession::errors_for(const std::string& field) const {
  auto result = core::validate(draft_capture(), e_.catalog(), e_.clock.now());
  std::vector<core::ValidationError> out;
  for (const auto& e : result.errors())
    if (e.field == field || e.field.rfind(field + ".", 0) == 0) out.push_back(e);
  return out;
}

void ResidentSession::commit(const core::ValidCapture& capture) {
  // On failure the answers stay on screen with the sentence, and "Next" tries again.
  if (!e_.commit(capture, view_.failure)) return;
  // Derived from the id just stored, so it needs no network (core/receipt.hpp).
  view_.receipt = capture.capture().idea() ? core::receipt_code(capture.capture().id) : "";
  // Its public page, when the server named its public pages: the thank-you's QR code opens it.
  view_.receipt_url = view_.receipt.empty() ? "" : sync::idea_follow_url(e_.store.setting(core::settings::public_url).value_or(""), view_.receipt);
  view_.survey = {};
  crypto::wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.screen = Screen::thanks;
  e_.end_screen_at_ms = e_.now_ms();
}

}  // namespace allervers::app
