// Sections: names · question visibility · construction · commands · steps of a survey ·
// steps of an idea · committing · kiosk rules (PIN, idle, timers) · status.
#include "allervers/app/engine.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "allervers/app/staff_pin.hpp"
#include "allervers/core/text.hpp"
#include "allervers/storage/device_store.hpp"

namespace allervers::app {

// --- names -------------------------------------------------------------------------------

const char* to_string(Screen screen) {
  switch (screen) {
    case Screen::staff: return "staff";
    case Screen::welcome: return "welcome";
    case Screen::consultation_choice: return "consultation_choice";
    case Screen::activity_choice: return "activity_choice";
    case Screen::survey: return "survey";
    case Screen::idea: return "idea";
    case Screen::thanks: return "thanks";
    case Screen::pin: return "pin";
  }
  return "?";
}

const char* to_string(IdeaStep step) {
  switch (step) {
    case IdeaStep::title: return "title";
    case IdeaStep::description: return "description";
    case IdeaStep::theme: return "theme";
    case IdeaStep::neighbourhood: return "neighbourhood";
    case IdeaStep::place: return "place";
    case IdeaStep::cost: return "cost";
    case IdeaStep::contact_offer: return "contact_offer";
    case IdeaStep::consent: return "consent";
    case IdeaStep::contact: return "contact";
  }
  return "?";
}

// --- question visibility -----------------------------------------------------------------

bool is_shown(const core::Question& q, const std::map<std::string, core::AnswerValue>& answers) {
  if (!q.show_if) return true;
  auto it = answers.find(q.show_if->question);
  if (it == answers.end()) return false;
  std::vector<std::string> given;
  if (auto* ids = std::get_if<std::vector<std::string>>(&it->second)) given = *ids;
  else given.push_back(core::answer_text(it->second));
  for (const auto& g : given)
    for (const auto& want : q.show_if->any_of)
      if (g == want) return true;
  return false;
}

std::vector<std::size_t> shown_questions(const core::Consultation& c,
                                         const std::map<std::string, core::AnswerValue>& answers) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < c.questions.size(); ++i)
    if (is_shown(c.questions[i], answers)) out.push_back(i);
  return out;
}

// --- construction ------------------------------------------------------------------------

Engine::Engine(storage::DeviceStore& store, const core::Clock& clock, EngineConfig config)
    : store_(store), clock_(clock), config_(std::move(config)),
      uuids_(config_.uuid_seed ? core::UuidGenerator(*config_.uuid_seed) : core::UuidGenerator()) {
  view_.kiosk = config_.kiosk;
  view_.languages = config_.languages;
  view_.language = config_.default_language;
  if (view_.kiosk) view_.channel = core::Channel::kiosk;
  else if (auto ch = store_.setting("app.channel"))
    view_.channel = core::channel_from(*ch).value_or(core::Channel::door_to_door);
  view_.featured_consultation = store_.setting("app.featured_consultation").value_or("");
  if (!view_.featured_consultation.empty() && !catalog().latest(view_.featured_consultation))
    view_.featured_consultation.clear();

  view_.idle_seconds = timing::default_idle_seconds;
  if (auto s = store_.setting("kiosk.idle_seconds")) {
    try {
      view_.idle_seconds = std::stoll(*s);
    } catch (const std::exception&) {
    }
  }
  if (config_.idle_seconds) view_.idle_seconds = *config_.idle_seconds;
  view_.idle_seconds = std::clamp(view_.idle_seconds, timing::min_idle_seconds, timing::max_idle_seconds);

  if (auto s = store_.setting("ui.scale")) {
    try {
      view_.scale = std::stof(*s);
    } catch (const std::exception&) {
    }
  }
  if (config_.scale) view_.scale = *config_.scale;
  view_.scale = std::clamp(view_.scale, 0.75f, 2.5f);

  if (auto key = store_.setting(kOfficeKeySetting)) sealer_ = ContactSealer::from_base64(*key);
  view_.contact_offered = sealer_.has_value();
  staff_pin_hash_ = store_.setting(kStaffPinSetting);
  view_.staff_pin_set = staff_pin_hash_.has_value();
  if (auto s = store_.setting(kPinLockedUntilSetting)) {
    try {
      const std::int64_t until = std::stoll(*s);
      if (until > now_ms()) view_.pin_locked_until_ms = until;
    } catch (const std::exception&) {
    }
  }
  view_.screen = view_.kiosk ? Screen::welcome : Screen::staff;
  last_input_ms_ = now_ms();
  refresh_status();
}

const core::Catalog& Engine::catalog() const { return store_.catalog(); }

const core::Consultation* Engine::consultation() const {
  if (view_.consultation.empty()) return nullptr;
  return catalog().find(view_.consultation, view_.version);
}

// --- commands ----------------------------------------------------------------------------

void Engine::apply(const Command& c) {
  using namespace command;
  const bool on_staff = view_.screen == Screen::staff;
  if (auto* x1 = std::get_if<ChooseLanguage>(&c)) {
    if (std::find(view_.languages.begin(), view_.languages.end(), x1->language) == view_.languages.end()) return;
    view_.language = x1->language;
    const auto current = catalog().current();
    if (!view_.featured_consultation.empty()) apply(ChooseConsultation{view_.featured_consultation});
    else if (current.size() == 1) apply(ChooseConsultation{current.front()->id});
    else view_.screen = Screen::consultation_choice;
  } else if (auto* x2 = std::get_if<ChooseConsultation>(&c)) {
    const auto* found = catalog().latest(x2->id);
    if (!found || (!found->has_survey() && !found->ideas.enabled)) return;
    view_.consultation = found->id;
    view_.version = found->version;
    if (found->has_survey() && found->ideas.enabled) {
      view_.screen = Screen::activity_choice;
    } else {
      view_.activity = found->has_survey() ? core::CaptureKind::opinion : core::CaptureKind::idea;
      start_activity();
    }
  } else if (auto* x3 = std::get_if<ChooseActivity>(&c)) {
    view_.activity = x3->kind;
    start_activity();
  } else if (auto* x4 = std::get_if<SetAnswer>(&c)) {
    if (x4->value) view_.survey.answers[x4->question] = *x4->value;
    else view_.survey.answers.erase(x4->question);
    view_.errors.clear();
  } else if (auto* x5 = std::get_if<SetText>(&c)) {
    auto& idea = view_.idea;
    switch (x5->field) {
      case TextField::idea_title: idea.title = x5->text; break;
      case TextField::idea_description: idea.description = x5->text; break;
      case TextField::idea_place: idea.place = x5->text; break;
      case TextField::idea_cost: idea.cost = x5->text; break;
      case TextField::idea_contact: wipe(idea.contact); idea.contact = x5->text; break;
      case TextField::survey_text: {
        const auto* con = consultation();
        if (!con || view_.screen != Screen::survey || view_.survey.index >= con->questions.size()) break;
        const auto& id = con->questions[view_.survey.index].id;
        if (x5->text.empty()) view_.survey.answers.erase(id);
        else view_.survey.answers[id] = x5->text;
        break;
      }
      case TextField::pin: view_.pin_entry = x5->text.substr(0, kPinMaxDigits); view_.pin_wrong = false; break;
      case TextField::new_pin: view_.new_pin = x5->text.substr(0, kPinMaxDigits); break;
    }
    view_.errors.clear();
  } else if (auto* x6 = std::get_if<SetIdeaChoice>(&c)) {
    (x6->field == IdeaChoice::theme ? view_.idea.theme : view_.idea.neighbourhood) = x6->id;
    view_.errors.clear();
  } else if (auto* x7 = std::get_if<ContactOffer>(&c)) {
    if (view_.screen != Screen::idea || view_.idea.step != IdeaStep::contact_offer) return;
    view_.idea.wants_contact = x7->wanted && view_.contact_offered;
    if (view_.idea.wants_contact) {
      view_.idea.history.push_back(view_.idea.step);
      view_.idea.step = IdeaStep::consent;
    } else {
      submit_idea();
    }
  } else if (auto* x8 = std::get_if<Consent>(&c)) {
    if (view_.screen != Screen::idea || view_.idea.step != IdeaStep::consent) return;
    view_.idea.consent = x8->given;
    if (x8->given) {
      view_.idea.history.push_back(view_.idea.step);
      view_.idea.step = IdeaStep::contact;
    } else {
      view_.idea.wants_contact = false;
      submit_idea();
    }
  } else if (std::holds_alternative<Next>(c)) {
    next();
  } else if (std::holds_alternative<Back>(c)) {
    back();
  } else if (std::holds_alternative<Skip>(c)) {
    skip();
  } else if (std::holds_alternative<CancelSession>(c) || std::holds_alternative<Finish>(c)) {
    reset_session(Screen::welcome);
  } else if (std::holds_alternative<OpenStaff>(c)) {
    if (view_.screen != Screen::welcome && view_.screen != Screen::thanks) return;
    reset_session(view_.kiosk ? Screen::pin : Screen::staff);
    refresh_status();
  } else if (std::holds_alternative<SubmitPin>(c)) {
    submit_pin();
  } else if (std::holds_alternative<CloseStaff>(c)) {
    if (on_staff || view_.screen == Screen::pin) reset_session(Screen::welcome);
  } else if (auto* x9 = std::get_if<SetChannel>(&c)) {
    if (!on_staff || view_.kiosk) return;
    view_.channel = x9->channel;
    store_.set_setting("app.channel", core::to_string(x9->channel));
  } else if (auto* x10 = std::get_if<FeatureConsultation>(&c)) {
    if (!on_staff || (!x10->id.empty() && !catalog().latest(x10->id))) return;
    view_.featured_consultation = x10->id;
    store_.set_setting("app.featured_consultation", x10->id);
  } else if (auto* x11 = std::get_if<SetScale>(&c)) {
    if (!on_staff) return;
    view_.scale = std::clamp(x11->scale, 0.75f, 2.5f);
    store_.set_setting("ui.scale", std::to_string(view_.scale));
  } else if (auto* x12 = std::get_if<SetIdleSeconds>(&c)) {
    if (!on_staff) return;
    view_.idle_seconds = std::clamp(x12->seconds, timing::min_idle_seconds, timing::max_idle_seconds);
    store_.set_setting("kiosk.idle_seconds", std::to_string(view_.idle_seconds));
  } else if (std::holds_alternative<ChangePin>(c)) {
    if (!on_staff) return;
    if (is_acceptable_pin(view_.new_pin)) {
      set_staff_pin(view_.new_pin);
      view_.staff_notice = "staff.pin_changed";
    } else {
      view_.staff_notice = "staff.pin_invalid";
    }
    view_.new_pin.clear();
  } else if (std::holds_alternative<StillHere>(c)) {
    touched();
  } else if (std::holds_alternative<Quit>(c)) {
    if (!view_.kiosk || on_staff) view_.quit = true;  // a kiosk is left only from behind the PIN
  }
}

void Engine::reset_session(Screen to) {
  ++view_.session;
  view_.consultation.clear();
  view_.version = 0;
  view_.survey = {};
  wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.failure.clear();
  view_.idle_countdown_ms.reset();
  view_.pin_entry.clear();
  view_.pin_wrong = false;
  view_.new_pin.clear();
  view_.staff_notice.clear();
  view_.language = config_.default_language;
  view_.screen = to;
}

void Engine::start_activity() {
  view_.errors.clear();
  view_.failure.clear();
  view_.survey = {};
  wipe(view_.idea.contact);
  view_.idea = {};
  if (view_.activity == core::CaptureKind::opinion) {
    const auto* c = consultation();
    if (!c || !c->has_survey()) return;
    const auto shown = shown_questions(*c, view_.survey.answers);
    view_.survey.index = shown.empty() ? 0 : shown.front();
    view_.screen = Screen::survey;
  } else {
    view_.screen = Screen::idea;
  }
}

void Engine::next() {
  switch (view_.screen) {
    case Screen::survey: survey_next(false); break;
    case Screen::idea: idea_next(false); break;
    case Screen::pin: submit_pin(); break;
    default: break;
  }
}

void Engine::skip() {
  if (view_.screen == Screen::survey) survey_next(true);
  else if (view_.screen == Screen::idea) idea_next(true);
}

void Engine::back() {
  view_.errors.clear();
  view_.failure.clear();
  const auto* c = consultation();
  const auto before_activity = [&] {
    if (c && c->has_survey() && c->ideas.enabled) view_.screen = Screen::activity_choice;
    else if (view_.featured_consultation.empty() && catalog().current().size() > 1) view_.screen = Screen::consultation_choice;
    else reset_session(Screen::welcome);
  };
  switch (view_.screen) {
    case Screen::survey:
      if (view_.survey.history.empty()) before_activity();
      else {
        view_.survey.index = view_.survey.history.back();
        view_.survey.history.pop_back();
      }
      break;
    case Screen::idea:
      if (view_.idea.history.empty()) before_activity();
      else {
        view_.idea.step = view_.idea.history.back();
        view_.idea.history.pop_back();
      }
      break;
    case Screen::activity_choice:
      if (view_.featured_consultation.empty() && catalog().current().size() > 1) view_.screen = Screen::consultation_choice;
      else reset_session(Screen::welcome);
      break;
    case Screen::consultation_choice:
    case Screen::pin:
      reset_session(Screen::welcome);
      break;
    default:
      break;
  }
}

// --- steps of a survey -------------------------------------------------------------------

void Engine::survey_next(bool skipping) {
  const auto* c = consultation();
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

void Engine::submit_survey() {
  const auto* c = consultation();
  if (!c) return;
  auto capture = draft_capture();
  capture.id = uuids_.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, catalog(), clock_.now());
  if (!result.ok()) {
    view_.errors = result.errors();
    // Show the first question at fault.
    for (std::size_t i = 0; i < c->questions.size(); ++i)
      if (view_.errors.front().field == "answers." + c->questions[i].id) view_.survey.index = i;
    return;
  }
  commit(result.valid());
}

// --- steps of an idea --------------------------------------------------------------------

std::string Engine::idea_field(IdeaStep step) const {
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

void Engine::idea_next(bool skipping) {
  auto& idea = view_.idea;
  const bool optional = idea.step == IdeaStep::place || idea.step == IdeaStep::cost;
  if (skipping) {
    if (!optional) return;
    (idea.step == IdeaStep::place ? idea.place : idea.cost).clear();
  }
  if (idea.step == IdeaStep::contact_offer || idea.step == IdeaStep::consent) return;  // answered by their buttons
  if (idea.step == IdeaStep::contact) {
    if (core::is_blank(idea.contact)) {
      view_.errors = {{"idea.contact", "required", "contact details are empty"}};
      return;
    }
    submit_idea();
    return;
  }
  view_.errors = errors_for(idea_field(idea.step));
  if (!view_.errors.empty()) return;
  IdeaStep following = IdeaStep::contact_offer;
  switch (idea.step) {
    case IdeaStep::title: following = IdeaStep::description; break;
    case IdeaStep::description: following = IdeaStep::theme; break;
    case IdeaStep::theme: following = IdeaStep::neighbourhood; break;
    case IdeaStep::neighbourhood: following = IdeaStep::place; break;
    case IdeaStep::place: following = IdeaStep::cost; break;
    default: break;
  }
  if (idea.step == IdeaStep::cost && !view_.contact_offered) {
    submit_idea();
    return;
  }
  idea.history.push_back(idea.step);
  idea.step = following;
}

void Engine::submit_idea() {
  auto capture = draft_capture();
  auto& idea = view_.idea;
  if (idea.wants_contact && idea.consent && sealer_ && !core::is_blank(idea.contact)) {
    std::get<core::Idea>(capture.body).contact = core::SealedContact{true, sealer_->seal(idea.contact)};
  }
  capture.id = uuids_.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, catalog(), clock_.now());
  if (!result.ok()) {
    view_.errors = result.errors();
    const auto& field = view_.errors.front().field;
    for (auto step : {IdeaStep::title, IdeaStep::description, IdeaStep::theme, IdeaStep::neighbourhood,
                      IdeaStep::place, IdeaStep::cost})
      if (field.rfind(idea_field(step), 0) == 0) idea.step = step;
    return;
  }
  commit(result.valid());
}

// --- committing --------------------------------------------------------------------------

core::Capture Engine::draft_capture() const {
  core::Capture capture;
  const auto now = clock_.now();
  capture.kind = view_.activity;
  capture.device = store_.identity().device;
  capture.consultation = view_.consultation;
  capture.version = view_.version;
  capture.channel = view_.channel;
  capture.language = view_.language;
  capture.captured_at = now;
  if (view_.activity == core::CaptureKind::opinion) {
    core::Opinion opinion;
    if (const auto* c = consultation())
      for (const auto& q : c->questions)  // answers to questions no longer asked are dropped
        if (auto it = view_.survey.answers.find(q.id); it != view_.survey.answers.end() && is_shown(q, view_.survey.answers))
          opinion.answers.insert(*it);
    capture.body = std::move(opinion);
  } else {
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
    capture.body = std::move(idea);
  }
  return capture;
}

std::vector<core::ValidationError> Engine::errors_for(const std::string& field) const {
  auto result = core::validate(draft_capture(), catalog(), clock_.now());
  std::vector<core::ValidationError> out;
  for (const auto& e : result.errors())
    if (e.field == field || e.field.rfind(field + ".", 0) == 0) out.push_back(e);
  return out;
}

void Engine::commit(const core::ValidCapture& capture) {
  try {
    store_.add(capture);
  } catch (const std::exception& e) {
    // Nothing was committed: the resident's answers stay on screen and "Next" tries again.
    view_.failure = e.what();
    return;
  }
  ++view_.captures_made;
  view_.survey = {};
  wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.failure.clear();
  view_.screen = Screen::thanks;
  thanks_at_ms_ = now_ms();
  refresh_status();
  if (on_captured_) on_captured_();
}

// --- kiosk rules -------------------------------------------------------------------------

void Engine::set_staff_pin(const std::string& pin) {
  if (!is_acceptable_pin(pin)) throw std::invalid_argument("the staff PIN must be 4 to 8 digits");
  staff_pin_hash_ = hash_pin(pin, store_.identity().device);
  store_.set_setting(kStaffPinSetting, *staff_pin_hash_);
  view_.staff_pin_set = true;
}

void Engine::submit_pin() {
  if (view_.screen != Screen::pin) return;
  const auto now = now_ms();
  if (view_.pin_locked_until_ms && now < *view_.pin_locked_until_ms) {
    view_.pin_entry.clear();
    return;
  }
  if (staff_pin_hash_ && !view_.pin_entry.empty() && hash_pin(view_.pin_entry, store_.identity().device) == *staff_pin_hash_) {
    view_.pin_failures = 0;
    view_.pin_entry.clear();
    view_.screen = Screen::staff;
    refresh_status();
    return;
  }
  view_.pin_entry.clear();
  view_.pin_wrong = true;
  if (++view_.pin_failures >= timing::max_pin_attempts) {
    view_.pin_failures = 0;
    view_.pin_locked_until_ms = now + timing::pin_lockout_ms;
    try {  // kept across a restart, so pulling the plug does not reset the count
      store_.set_setting(kPinLockedUntilSetting, std::to_string(*view_.pin_locked_until_ms));
    } catch (const std::exception&) {
    }
  }
}

void Engine::touched() {
  last_input_ms_ = now_ms();
  view_.idle_countdown_ms.reset();
}

namespace {
std::int64_t countdown_length(std::int64_t idle_ms) { return std::min(timing::countdown_ms, idle_ms / 3); }
}  // namespace

void Engine::tick() {
  const auto now = now_ms();
  if (view_.pin_locked_until_ms && now >= *view_.pin_locked_until_ms) view_.pin_locked_until_ms.reset();
  if (view_.kiosk && view_.screen != Screen::welcome) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t idle = now - last_input_ms_;
    if (idle >= idle_ms) {
      reset_session(Screen::welcome);
    } else if (idle >= idle_ms - countdown_length(idle_ms)) {
      view_.idle_countdown_ms = idle_ms - idle;
    } else {
      view_.idle_countdown_ms.reset();
    }
  }
  if (view_.kiosk && view_.screen == Screen::thanks && now - thanks_at_ms_ >= timing::thanks_return_ms)
    reset_session(Screen::welcome);
  if (now - status_read_ms_ >= timing::status_refresh_ms) refresh_status();
}

std::optional<std::int64_t> Engine::ms_until_next_timer() const {
  // From the clock, not from what the last tick() saw: the loop asks this between frames.
  const auto now = now_ms();
  std::int64_t wait = status_read_ms_ + timing::status_refresh_ms - now;
  if (view_.kiosk && view_.screen != Screen::welcome) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t remaining = last_input_ms_ + idle_ms - now;
    const std::int64_t countdown_starts_in = remaining - countdown_length(idle_ms);
    if (countdown_starts_in > 0) wait = std::min(wait, countdown_starts_in);
    else wait = std::min(wait, std::max<std::int64_t>(remaining, 0) % 1000);  // the shown second changes
  }
  if (view_.kiosk && view_.screen == Screen::thanks) wait = std::min(wait, thanks_at_ms_ + timing::thanks_return_ms - now);
  if (view_.pin_locked_until_ms) wait = std::min(wait, *view_.pin_locked_until_ms - now);
  return std::max<std::int64_t>(wait, 0);
}

// --- status ------------------------------------------------------------------------------

void Engine::set_network(Network network, bool running) {
  view_.status.network = network;
  view_.status.sync_running = running;
}

void Engine::refresh_status() {
  status_read_ms_ = now_ms();
  try {
    const auto now = clock_.now();
    view_.status.captures_today = store_.counts_on_day(core::local_day(now)).total();
    view_.status.pending = store_.counts().pending;
    const auto sync = store_.sync_state();
    view_.status.last_success = sync.last_success;
    view_.status.last_error = sync.last_error;
    view_.status.storage_error.clear();
  } catch (const std::exception& e) {
    view_.status.storage_error = e.what();
  }
}

}  // namespace allervers::app
