// Sections: opening and choosing · scans and their verdicts · signing in without a pass ·
// the town's keys and the head count · timers.
#include "engine/desk.hpp"

#include "allervers/core/settings.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/passes/sign_in_desk.hpp"
#include "allervers/platform/hand_scanner.hpp"
#include "allervers/storage/device_store.hpp"

namespace allervers::app {

AssemblyDesk::AssemblyDesk(EngineContext& engine) : e_(engine), view_(engine.view), history_(engine.store) {
  // A desk that was open when the app stopped (a power cut mid-assembly) opens again.
  view_.sign_in.assembly = e_.store.setting(core::settings::assembly).value_or("");
  if (!e_.catalog().find_assembly(view_.sign_in.assembly)) view_.sign_in.assembly.clear();
  if (e_.store.setting(core::settings::desk_open).value_or("") == "1") {
    view_.desk_open = true;
    if (view_.kiosk) view_.screen = Screen::sign_in;
  }
  load_verifier();
  refresh_head_count();
}

// --- opening and choosing ------------------------------------------------------------------

void AssemblyDesk::open() {
  if (!e_.on_staff_screen()) return;
  view_.desk_open = true;
  e_.store.set_setting(core::settings::desk_open, "1");
  view_.sign_in.verdict.reset();
  e_.reset_session(Screen::sign_in);
  refresh_head_count();
}

void AssemblyDesk::close() {
  if (!e_.on_staff_screen()) return;
  view_.desk_open = false;
  e_.store.set_setting(core::settings::desk_open, "0");
}

void AssemblyDesk::choose_assembly(const std::string& id) {
  // Staff choose the assembly (the desk's list is reached only from the staff screen).
  // On the desk itself only while none is chosen (its list); changing it is staff's.
  if (!e_.on_staff_screen() && !(view_.screen == Screen::sign_in && view_.sign_in.assembly.empty())) return;
  if (!id.empty() && !e_.catalog().find_assembly(id)) return;
  view_.sign_in.assembly = id;
  view_.sign_in.verdict.reset();
  e_.store.set_setting(core::settings::assembly, id);
  refresh_head_count();
}

void AssemblyDesk::forget() {
  auto& s = view_.sign_in;
  s.typing_code = false;
  s.typed_code.clear();
  s.neighbourhood.clear();
  s.age_bracket.clear();
  s.invite_consent = false;
  s.issued_code.clear();
  s.issued_fallback.clear();
  s.issue_problem.clear();
  s.failure.clear();
}

// --- scans and their verdicts --------------------------------------------------------------

void AssemblyDesk::open_typed_code(bool open) {
  if (view_.screen != Screen::sign_in) return;
  view_.sign_in.typing_code = open;
  view_.sign_in.typed_code.clear();
}

void AssemblyDesk::set_typed_code(const std::string& text) { view_.sign_in.typed_code = text.substr(0, 16); }

void AssemblyDesk::submit_typed_code() {
  if (view_.screen != Screen::sign_in || !view_.sign_in.typing_code) return;
  scanned(command::Scanned{view_.sign_in.typed_code, command::Scanned::Source::typed, 0});
}

void AssemblyDesk::show_verdict(VerdictView verdict) {
  verdict.at_ms = e_.now_ms();
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

void AssemblyDesk::scanned(const command::Scanned& scan) {
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
    if (!record(sign_in)) {
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

bool AssemblyDesk::record(const core::SignIn& sign_in) {
  core::Capture capture = e_.new_capture(core::Channel::assembly);
  capture.body = sign_in;
  capture.id = e_.uuids.next(capture.captured_at.utc_ms);
  auto result = core::validate(capture, e_.catalog(), e_.clock.now());
  if (!result.ok()) {
    view_.sign_in.failure = result.errors().front().field + ": " + result.errors().front().message;
    return false;
  }
  if (!e_.commit(result.valid(), view_.sign_in.failure)) return false;
  refresh_head_count();
  return true;
}

// --- signing in without a pass -------------------------------------------------------------

void AssemblyDesk::without_pass() {
  if (view_.screen != Screen::sign_in || view_.sign_in.assembly.empty()) return;
  auto& s = view_.sign_in;
  s.neighbourhood.clear();
  s.age_bracket.clear();
  s.invite_consent = false;
  s.typing_code = false;
  s.failure.clear();
  view_.screen = Screen::sign_in_form;
}

void AssemblyDesk::set_choice(SignInChoice field, const std::string& id) {
  if (view_.screen != Screen::sign_in_form) return;
  auto& chosen = field == SignInChoice::neighbourhood ? view_.sign_in.neighbourhood : view_.sign_in.age_bracket;
  chosen = chosen == id ? std::string() : id;  // a second tap unticks: both are optional
}

void AssemblyDesk::invite_consent(bool given) {
  if (view_.screen == Screen::sign_in_form) view_.sign_in.invite_consent = given;
}

void AssemblyDesk::submit_form() {
  if (view_.screen != Screen::sign_in_form) return;
  core::SignIn sign_in;
  sign_in.assembly = view_.sign_in.assembly;
  sign_in.neighbourhood = view_.sign_in.neighbourhood;
  sign_in.age_bracket = view_.sign_in.age_bracket;
  sign_in.invite_consent = view_.sign_in.invite_consent;
  std::string code, fallback, problem;
  const auto key = e_.store.setting(core::settings::device_key);
  const auto certificate = e_.store.setting(core::settings::device_certificate);
  if (key && certificate && !key->empty() && !certificate->empty()) {
    try {
      passes::DevicePassIssuer issuer(passes::SecretKey::parse(*key), passes::DeviceCertificate::parse(*certificate));
      const auto id = passes::PassId::random();
      code = issuer.issue(id, e_.clock.now().utc_ms / 1000);
      fallback = id.fallback_code();
      sign_in.pass = id.str();
    } catch (const std::exception&) {
      problem = "signin.issue_failed";  // e.g. the certificate expired: sign in without a pass
    }
  } else {
    problem = "signin.no_device_key";
  }
  if (!record(sign_in)) return;  // the failure shows on the form; "Valider" tries again
  view_.sign_in.issued_code = code;
  view_.sign_in.issued_fallback = fallback;
  view_.sign_in.issue_problem = problem;
  view_.screen = Screen::pass_issued;
  e_.end_screen_at_ms = e_.now_ms();
  VerdictView v;
  v.kind = VerdictKind::welcome;
  v.headline = "Bienvenue";
  v.pass = sign_in.pass;
  show_verdict(std::move(v));
}

// --- the town's keys and the head count ----------------------------------------------------

void AssemblyDesk::load_verifier() {
  view_.sign_in.verifier_problem.clear();
  verifier_.reset();
  try {
    const auto town_key = e_.store.setting(core::settings::town_key);
    if (!town_key || town_key->empty()) {
      view_.sign_in.verifier_problem = "signin.no_town_key";
      return;
    }
    verifier_ = passes::verifier_from_settings(*town_key, e_.store.setting(core::settings::certificates),
                                               e_.store.setting(core::settings::revocations),
                                               e_.store.setting(core::settings::retired_town_keys));
    if (!verifier_) view_.sign_in.verifier_problem = "signin.no_town_key";
  } catch (const std::exception& e) {
    // A damaged key or list: say so rather than refuse every pass as forged.
    view_.sign_in.verifier_problem = "signin.damaged_keys";
    view_.sign_in.failure = e.what();
  }
}

void AssemblyDesk::refresh_head_count() {
  const auto* assembly = e_.catalog().find_assembly(view_.sign_in.assembly);
  // "2026-12-03T18:30" is the town's local time: its day against today's, on this device.
  view_.sign_in.other_day = assembly && assembly->date.substr(0, 10) != core::local_day(e_.clock.now());
  if (view_.sign_in.assembly.empty()) {
    view_.sign_in.head_count = 0;
    return;
  }
  try {
    view_.sign_in.head_count = e_.store.head_count(view_.sign_in.assembly);
  } catch (const std::exception& e) {
    view_.sign_in.failure = e.what();  // the count shown stays the last one read
  }
}

// --- timers --------------------------------------------------------------------------------

void AssemblyDesk::tick(std::int64_t now) {
  if (view_.sign_in.verdict && now - view_.sign_in.verdict->at_ms >= timing::verdict_hold_ms) view_.sign_in.verdict.reset();
}

std::optional<std::int64_t> AssemblyDesk::ms_until_next(std::int64_t now) const {
  if (!view_.sign_in.verdict) return std::nullopt;
  return view_.sign_in.verdict->at_ms + timing::verdict_hold_ms - now;
}

}  // namespace allervers::app
