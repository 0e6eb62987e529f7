// Sections: names · question visibility · construction · commands · steps of a survey ·
// steps of an idea · committing · kiosk rules (PIN, idle, timers) · status.
#include "allervers/app/engine.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "allervers/app/staff_pin.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/passes/sign_in_desk.hpp"
#include "allervers/platform/hand_scanner.hpp"
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
    case Screen::sign_in: return "sign_in";
    case Screen::sign_in_form: return "sign_in_form";
    case Screen::pass_issued: return "pass_issued";
    case Screen::enrol: return "enrol";
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

std::vector<std::size_t> shown_questions(const core::Consultation& c,
                                         const std::map<std::string, core::AnswerValue>& answers) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < c.questions.size(); ++i)
    if (core::is_shown(c.questions[i], answers)) out.push_back(i);
  return out;
}

// --- construction ------------------------------------------------------------------------

Engine::Engine(storage::DeviceStore& store, const core::Clock& clock, EngineConfig config)
    : store_(store), clock_(clock), config_(std::move(config)),
      uuids_(config_.uuid_seed ? core::UuidGenerator(*config_.uuid_seed) : core::UuidGenerator()), history_(store) {
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

  if (auto key = store_.setting(core::settings::office_public_key)) sealer_ = crypto::ContactSealer::from_base64(*key);
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
  // A desk that was open when the app stopped (a power cut mid-assembly) opens again.
  view_.sign_in.assembly = store_.setting("app.assembly").value_or("");
  if (!catalog().find_assembly(view_.sign_in.assembly)) view_.sign_in.assembly.clear();
  if (store_.setting("app.desk_open").value_or("") == "1") {
    view_.desk_open = true;
    if (view_.kiosk) view_.screen = Screen::sign_in;
  }
  load_verifier();
  refresh_head_count();
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
      case TextField::idea_contact: crypto::wipe(idea.contact); idea.contact = x5->text; break;
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
      case TextField::fallback_code: view_.sign_in.typed_code = x5->text.substr(0, 16); break;
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
    reset_session(home());
  } else if (std::holds_alternative<OpenStaff>(c)) {
    if (view_.screen != Screen::welcome && view_.screen != Screen::thanks && view_.screen != Screen::sign_in) return;
    reset_session(view_.kiosk ? Screen::pin : Screen::staff);
    refresh_status();
  } else if (std::holds_alternative<SubmitPin>(c)) {
    submit_pin();
  } else if (std::holds_alternative<CloseStaff>(c)) {
    if (on_staff || view_.screen == Screen::pin) reset_session(home());
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
  } else if (std::holds_alternative<OpenSignIn>(c)) {
    if (on_staff) open_sign_in();
  } else if (std::holds_alternative<CloseSignIn>(c)) {
    if (!on_staff) return;
    view_.desk_open = false;
    store_.set_setting("app.desk_open", "0");
  } else if (auto* x13 = std::get_if<ChooseAssembly>(&c)) {
    // Staff choose the assembly (the desk's list is reached only from the staff screen).
    // On the desk itself only while none is chosen (its list); changing it is staff's.
    if (!on_staff && !(view_.screen == Screen::sign_in && view_.sign_in.assembly.empty())) return;
    if (!x13->id.empty() && !catalog().find_assembly(x13->id)) return;
    view_.sign_in.assembly = x13->id;
    view_.sign_in.verdict.reset();
    store_.set_setting("app.assembly", x13->id);
    refresh_head_count();
  } else if (auto* x14 = std::get_if<Scanned>(&c)) {
    scanned(*x14);
  } else if (auto* x15 = std::get_if<OpenTypedCode>(&c)) {
    if (view_.screen != Screen::sign_in) return;
    view_.sign_in.typing_code = x15->open;
    view_.sign_in.typed_code.clear();
  } else if (std::holds_alternative<SubmitTypedCode>(c)) {
    if (view_.screen != Screen::sign_in || !view_.sign_in.typing_code) return;
    command::Scanned typed{view_.sign_in.typed_code, command::Scanned::Source::typed, 0};
    scanned(typed);
  } else if (std::holds_alternative<SignInWithoutPass>(c)) {
    if (view_.screen != Screen::sign_in || view_.sign_in.assembly.empty()) return;
    view_.sign_in.neighbourhood.clear();
    view_.sign_in.age_bracket.clear();
    view_.sign_in.invite_consent = false;
    view_.sign_in.typing_code = false;
    view_.sign_in.failure.clear();
    view_.screen = Screen::sign_in_form;
  } else if (auto* x16 = std::get_if<SetSignInChoice>(&c)) {
    if (view_.screen != Screen::sign_in_form) return;
    auto& field = x16->field == SignInChoice::neighbourhood ? view_.sign_in.neighbourhood : view_.sign_in.age_bracket;
    field = field == x16->id ? std::string() : x16->id;  // a second tap unticks: both are optional
  } else if (auto* x17 = std::get_if<InviteConsent>(&c)) {
    if (view_.screen == Screen::sign_in_form) view_.sign_in.invite_consent = x17->given;
  } else if (std::holds_alternative<SubmitSignIn>(c)) {
    if (view_.screen == Screen::sign_in_form) submit_sign_in();
  } else if (std::holds_alternative<OpenEnrol>(c)) {
    if (!on_staff) return;
    view_.enrol = {};
    view_.screen = Screen::enrol;
  }
}

void Engine::reset_session(Screen to) {
  ++view_.session;
  view_.consultation.clear();
  view_.version = 0;
  view_.survey = {};
  crypto::wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.failure.clear();
  view_.idle_countdown_ms.reset();
  view_.pin_entry.clear();
  view_.pin_wrong = false;
  view_.new_pin.clear();
  view_.staff_notice.clear();
  view_.language = config_.default_language;
  view_.sign_in.typing_code = false;
  view_.sign_in.typed_code.clear();
  view_.sign_in.neighbourhood.clear();
  view_.sign_in.age_bracket.clear();
  view_.sign_in.invite_consent = false;
  view_.sign_in.issued_code.clear();
  view_.sign_in.issued_fallback.clear();
  view_.sign_in.issue_problem.clear();
  view_.sign_in.failure.clear();
  // Back to the residents' start: a catalog the sync thread saved since shows now.
  if (to == Screen::welcome || to == Screen::sign_in) reload_catalog();
  view_.screen = to;
}

void Engine::start_activity() {
  view_.errors.clear();
  view_.failure.clear();
  view_.survey = {};
  crypto::wipe(view_.idea.contact);
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
    else reset_session(home());
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
      else reset_session(home());
      break;
    case Screen::consultation_choice:
    case Screen::pin:
    case Screen::sign_in_form:
      reset_session(home());
      break;
    case Screen::enrol:
      if (view_.enrol.state != EnrolView::State::working) view_.screen = Screen::staff;
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
        if (auto it = view_.survey.answers.find(q.id); it != view_.survey.answers.end() && core::is_shown(q, view_.survey.answers))
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
  crypto::wipe(view_.idea.contact);
  view_.idea = {};
  view_.errors.clear();
  view_.failure.clear();
  view_.screen = Screen::thanks;
  thanks_at_ms_ = now_ms();
  refresh_status();
  if (on_captured_) on_captured_();
}

// --- the assembly desk -------------------------------------------------------------------

void Engine::load_verifier() {
  view_.sign_in.verifier_problem.clear();
  verifier_.reset();
  try {
    const auto town_key = store_.setting(std::string(passes::kTownKeySetting));
    if (!town_key || town_key->empty()) {
      view_.sign_in.verifier_problem = "signin.no_town_key";
      return;
    }
    verifier_ = passes::verifier_from_settings(*town_key, store_.setting(std::string(passes::kCertificatesSetting)),
                                               store_.setting(std::string(passes::kRevocationsSetting)));
    if (!verifier_) view_.sign_in.verifier_problem = "signin.no_town_key";
  } catch (const std::exception& e) {
    // A damaged key or list: say so rather than refuse every pass as forged.
    view_.sign_in.verifier_problem = "signin.damaged_keys";
    view_.sign_in.failure = e.what();
  }
}

void Engine::open_sign_in() {
  view_.desk_open = true;
  store_.set_setting("app.desk_open", "1");
  view_.sign_in.verdict.reset();
  reset_session(Screen::sign_in);
  refresh_head_count();
}

void Engine::refresh_head_count() {
  if (view_.sign_in.assembly.empty()) {
    view_.sign_in.head_count = 0;
    return;
  }
  try {
    view_.sign_in.head_count = store_.head_count(view_.sign_in.assembly);
  } catch (const std::exception& e) {
    view_.sign_in.failure = e.what();
  }
}

bool Engine::wants_scanner() const {
  return (view_.screen == Screen::sign_in && !view_.sign_in.assembly.empty()) ||
         (view_.screen == Screen::enrol && view_.enrol.state != EnrolView::State::working &&
          view_.enrol.state != EnrolView::State::done);
}

void Engine::reload_catalog() {
  try {
    store_.reload_catalog();
  } catch (const std::exception& e) {
    view_.status.storage_error = e.what();  // the catalog held before stays in use
  }
  if (!view_.featured_consultation.empty() && !catalog().latest(view_.featured_consultation))
    view_.featured_consultation.clear();
  if (!view_.sign_in.assembly.empty() && !catalog().find_assembly(view_.sign_in.assembly))
    view_.sign_in.assembly.clear();
  load_verifier();
}

void Engine::sync_news(bool catalog_changed, bool pass_keys_changed) {
  if (catalog_changed && (view_.screen == Screen::welcome || view_.screen == Screen::sign_in)) reload_catalog();
  else if (pass_keys_changed) load_verifier();
}

void Engine::show_verdict(VerdictView verdict) {
  verdict.at_ms = now_ms();
  verdict.serial = ++view_.sign_in.verdicts;
  if (sound_) {
    switch (verdict.kind) {
      case VerdictKind::welcome: sound_->play(platform::FeedbackCue::welcome); break;
      case VerdictKind::already_signed_in: sound_->play(platform::FeedbackCue::already_signed_in); break;
      case VerdictKind::refused: sound_->play(platform::FeedbackCue::refused); break;
    }
  }
  view_.sign_in.verdict = std::move(verdict);
}

void Engine::scanned(const command::Scanned& scan) {
  if (view_.screen == Screen::enrol) {
    if (view_.enrol.state == EnrolView::State::working || view_.enrol.state == EnrolView::State::done) return;
    if (!enroller_) {
      view_.enrol = {EnrolView::State::failed, ""};
      return;
    }
    view_.enrol = {EnrolView::State::working, ""};
    enroller_(scan.code);
    return;
  }
  if (view_.screen != Screen::sign_in || view_.sign_in.assembly.empty()) return;
  const bool typed = scan.source == command::Scanned::Source::typed;
  if (!typed) {  // a scan while the fallback field is open: the scan wins, the field closes
    view_.sign_in.typing_code = false;
    view_.sign_in.typed_code.clear();
  }
  VerdictView v;
  v.frame_steady_ns = scan.frame_steady_ns;
  v.typed = typed;
  if (!verifier_) {
    v.kind = VerdictKind::refused;
    v.problem = "no_town_key";
    show_verdict(std::move(v));
    return;
  }
  passes::DuplicateRule rule(history_);
  auto verdict = typed ? passes::judge_typed_code(*verifier_, rule, view_.sign_in.assembly, scan.code)
                       : passes::judge_scan(*verifier_, rule, view_.sign_in.assembly, scan.code);
  if (scan.source == command::Scanned::Source::hand_scanner && verdict.problem == passes::PassProblem::wrong_prefix) {
    // A hand scanner left in its US layout on an AZERTY kiosk types "QV&)" for "AV1-".
    auto retry = passes::judge_scan(*verifier_, rule, view_.sign_in.assembly, platform::undo_us_scanner_on_azerty(scan.code));
    if (retry.problem != passes::PassProblem::wrong_prefix) verdict = std::move(retry);
  }
  if (verdict.record()) {
    core::SignIn sign_in;
    sign_in.assembly = view_.sign_in.assembly;
    sign_in.pass = verdict.pass->str();
    if (!record_sign_in(sign_in)) {
      v.kind = VerdictKind::refused;
      v.problem = "not_recorded";
      v.detail = view_.sign_in.failure;
      show_verdict(std::move(v));
      return;
    }
  }
  switch (verdict.kind) {
    case passes::ScanVerdict::Kind::welcome: v.kind = VerdictKind::welcome; break;
    case passes::ScanVerdict::Kind::already_signed_in: v.kind = VerdictKind::already_signed_in; break;
    case passes::ScanVerdict::Kind::refused: v.kind = VerdictKind::refused; break;
  }
  v.headline = verdict.headline;
  v.detail = verdict.detail;
  if (verdict.problem != passes::PassProblem::none) v.problem = passes::to_string(verdict.problem);
  if (verdict.pass && verdict.kind != passes::ScanVerdict::Kind::refused) v.pass = verdict.pass->str();
  if (verdict.first_at) v.time = passes::local_hour_minute(*verdict.first_at);
  if (typed && v.kind != VerdictKind::refused) {
    view_.sign_in.typing_code = false;
    view_.sign_in.typed_code.clear();
  }
  show_verdict(std::move(v));
}

bool Engine::record_sign_in(const core::SignIn& sign_in) {
  core::Capture capture;
  capture.device = store_.identity().device;
  capture.channel = core::Channel::assembly;
  capture.language = view_.language;
  capture.captured_at = clock_.now();
  capture.body = sign_in;
  capture.id = uuids_.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, catalog(), clock_.now());
  if (!result.ok()) {
    view_.sign_in.failure = result.errors().front().field + ": " + result.errors().front().message;
    return false;
  }
  try {
    store_.add(result.valid());
  } catch (const std::exception& e) {
    view_.sign_in.failure = e.what();
    return false;
  }
  view_.sign_in.failure.clear();
  ++view_.captures_made;
  refresh_head_count();
  refresh_status();
  if (on_captured_) on_captured_();
  return true;
}

void Engine::submit_sign_in() {
  core::SignIn sign_in;
  sign_in.assembly = view_.sign_in.assembly;
  sign_in.neighbourhood = view_.sign_in.neighbourhood;
  sign_in.age_bracket = view_.sign_in.age_bracket;
  sign_in.invite_consent = view_.sign_in.invite_consent;
  std::string code, fallback, problem;
  const auto key = store_.setting(std::string(passes::kDeviceKeySetting));
  const auto certificate = store_.setting(std::string(passes::kDeviceCertificateSetting));
  if (key && certificate && !key->empty() && !certificate->empty()) {
    try {
      passes::DevicePassIssuer issuer(passes::SecretKey::parse(*key), passes::DeviceCertificate::parse(*certificate));
      const auto id = passes::PassId::random();
      code = issuer.issue(id, clock_.now().utc_ms / 1000);
      fallback = id.fallback_code();
      sign_in.pass = id.str();
    } catch (const std::exception&) {
      problem = "signin.issue_failed";  // e.g. the certificate expired: sign in without a pass
    }
  } else {
    problem = "signin.no_device_key";
  }
  if (!record_sign_in(sign_in)) return;  // the failure shows on the form; "Valider" tries again
  view_.sign_in.issued_code = code;
  view_.sign_in.issued_fallback = fallback;
  view_.sign_in.issue_problem = problem;
  view_.screen = Screen::pass_issued;
  thanks_at_ms_ = now_ms();
  VerdictView v;
  v.kind = VerdictKind::welcome;
  v.headline = "Bienvenue";
  v.pass = sign_in.pass;
  show_verdict(std::move(v));
}

void Engine::enrolment_finished(bool ok, const std::string& message) {
  view_.enrol.state = ok ? EnrolView::State::done : EnrolView::State::failed;
  view_.enrol.message = message;
  if (ok) {
    reload_catalog();
    refresh_status();
  }
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
  if (view_.kiosk && view_.screen != Screen::welcome && view_.screen != home()) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t idle = now - last_input_ms_;
    if (idle >= idle_ms) {
      reset_session(home());
    } else if (idle >= idle_ms - countdown_length(idle_ms)) {
      view_.idle_countdown_ms = idle_ms - idle;
    } else {
      view_.idle_countdown_ms.reset();
    }
  }
  if (view_.kiosk && (view_.screen == Screen::thanks || view_.screen == Screen::pass_issued) &&
      now - thanks_at_ms_ >= timing::thanks_return_ms * (view_.screen == Screen::pass_issued ? 6 : 1))
    reset_session(home());
  if (view_.sign_in.verdict && now - view_.sign_in.verdict->at_ms >= timing::verdict_hold_ms) view_.sign_in.verdict.reset();
  if (now - status_read_ms_ >= timing::status_refresh_ms) refresh_status();
}

std::optional<std::int64_t> Engine::ms_until_next_timer() const {
  // From the clock, not from what the last tick() saw: the loop asks this between frames.
  const auto now = now_ms();
  std::int64_t wait = status_read_ms_ + timing::status_refresh_ms - now;
  if (view_.kiosk && view_.screen != Screen::welcome && view_.screen != home()) {
    const std::int64_t idle_ms = view_.idle_seconds * 1000;
    const std::int64_t remaining = last_input_ms_ + idle_ms - now;
    const std::int64_t countdown_starts_in = remaining - countdown_length(idle_ms);
    if (countdown_starts_in > 0) wait = std::min(wait, countdown_starts_in);
    else wait = std::min(wait, std::max<std::int64_t>(remaining, 0) % 1000);  // the shown second changes
  }
  if (view_.kiosk && view_.screen == Screen::thanks) wait = std::min(wait, thanks_at_ms_ + timing::thanks_return_ms - now);
  if (view_.kiosk && view_.screen == Screen::pass_issued)
    wait = std::min(wait, thanks_at_ms_ + 6 * timing::thanks_return_ms - now);
  if (view_.sign_in.verdict) wait = std::min(wait, view_.sign_in.verdict->at_ms + timing::verdict_hold_ms - now);
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
