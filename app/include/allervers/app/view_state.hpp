#pragma once
// What the screens see: a plain value the Engine owns and updates. Screens read it and emit
// commands (commands.hpp); they never change it themselves.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/capture.hpp"
#include "allervers/core/time.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/status.hpp"

namespace allervers::app {

enum class Screen {
  staff,                // agent home / kiosk settings: consultation, channel, status, scale, PIN
  welcome,              // language buttons; the start for every resident
  consultation_choice,  // which consultation (skipped when staff featured one)
  activity_choice,      // give an opinion or propose an idea (when the consultation does both)
  survey,               // one question per screen
  idea,                 // one step per screen (IdeaStep)
  thanks,               // only after storage committed the capture
  pin,                  // staff PIN before the kiosk settings
  sign_in,              // assembly desk: pick the assembly, then scan passes (camera or hand scanner)
  sign_in_form,         // a resident without a pass signs in on screen (a few taps)
  pass_issued,          // the new pass, full screen, to photograph
  enrol,                // staff: scan the server's enrolment QR code
  vote,                 // a participatory-budget vote: the pass, the age, the basket, the summary (VoteStep)
  vote_results,         // a closed vote's published results (from the synced catalog)
  follow,               // « Où en est mon idée ? » / « Mon vote a-t-il été compté ? »: a receipt code's outcome
};
const char* to_string(Screen screen);
// The screen called `name` (core's capture-kind registry names the screen of each kind).
std::optional<Screen> screen_named(std::string_view name);

// The vote's steps: who votes (a pass scanned or its fallback code typed), the minimum age
// when the vote has one, the basket, the summary with « Valider mon vote »; `refused` ends it.
enum class VoteStep { identify, age, choose, summary, refused };
const char* to_string(VoteStep step);

enum class IdeaStep { title, description, theme, neighbourhood, place, cost, contact_offer, consent, contact };
const char* to_string(IdeaStep step);

// Text a screen edits through the keyboard; each maps to one draft field.
enum class TextField { idea_title, idea_description, idea_place, idea_cost, idea_contact, survey_text, pin, new_pin, fallback_code, vote_code,
                       follow_code };
enum class IdeaChoice { theme, neighbourhood };

// The network as the sync thread last found it: sync's own enum, shown on the status line.
using Network = sync::Network;

// The last verdict of the sign-in desk, as the screen shows it.
enum class VerdictKind { welcome, already_signed_in, refused };
struct VerdictView {
  VerdictKind kind = VerdictKind::refused;
  std::string headline;  // "Bienvenue", "Déjà enregistré·e à 18:42", "Code non reconnu"
  std::string detail;    // the reason when refused
  std::string problem;   // passes::to_string(PassProblem): the translation key's tail
  std::string pass;      // the pass id, when one was read
  std::string time;      // "18:42": when already signed in
  bool typed = false;    // from a fallback code
  std::int64_t at_ms = 0;  // engine clock, for how long it stays on screen
  std::uint64_t serial = 0;  // increases with every verdict
  std::int64_t frame_steady_ns = 0;  // camera frame's arrival (steady clock), 0 when not from a frame
};

enum class SignInChoice { neighbourhood, age_bracket };

struct SignInView {
  std::string assembly;  // chosen by staff; empty: the list of assemblies
  // The assembly is dated another day than today (the device's clock): the desk warns staff
  // and residents, who may be at the wrong meeting (or the device on the wrong one).
  bool other_day = false;
  std::int64_t head_count = 0;
  std::optional<VerdictView> verdict;
  std::uint64_t verdicts = 0;
  // No town key yet (or a damaged one): scans cannot be checked; the sentence says why.
  std::string verifier_problem;
  bool typing_code = false;  // the fallback-code field is open
  std::string typed_code;
  // The on-screen sign-in without a pass.
  std::string neighbourhood, age_bracket;
  bool invite_consent = false;
  // The pass just issued (QR payload and fallback code), or why none could be issued.
  std::string issued_code, issued_fallback;
  std::string issue_problem;  // translation key: signin.no_device_key, signin.issue_failed
  std::string failure;        // storage failure recording a sign-in, as a sentence
};

// The vote being cast (the resident's session: forgotten by a reset). The pass itself never
// reaches the view: the vote controller keeps only its keyed hash, and only until the reset.
struct VoteView {
  std::string vote;  // the vote's id (core::Vote)
  VoteStep step = VoteStep::identify;
  bool typing_code = false;  // the fallback-code field is open
  std::string typed_code;
  // Why this pass cannot vote (a translation key: vote.refused.*, signin.problem.*), on the
  // identify step (try another pass) or as the end of the vote (`refused`).
  std::string problem;
  std::vector<std::string> basket;  // project ids, in the order chosen
  std::vector<core::ValidationError> errors;  // core::check_basket's, said on the choose step
};

// « Où en est mon idée ? » (an idea's receipt code) or « Mon vote a-t-il été compté ? » (a
// ballot's): the code typed or scanned, then what the device holds of it (sync/outcomes.hpp).
// Part of the resident's session: forgotten by a reset.
enum class FollowKind { idea, ballot };
struct FollowView {
  FollowKind kind = FollowKind::idea;
  bool scanning = false;   // the camera is open for the thank-you screen's QR code (else the keyboard)
  std::string typed_code;
  bool answered = false;   // a code was looked up: the answer shows
  std::string found;       // sync::to_string(FollowFound): invalid_code, known, here_pending, here_sent, unknown
  std::string code;        // as shown ("K7QM-2XHD"), or as typed when invalid
  std::vector<sync::protocol::IdeaOutcomeEntry> ideas;  // an idea's code: the town's answers
  std::string vote;        // a ballot's code: the vote's id
  bool counted = false;    // a ballot known: counted (else flagged, a second ballot)
  std::optional<core::Instant> checked_at;  // when the town last confirmed what the device holds
};

struct EnrolView {
  enum class State { scanning, working, done, failed } state = State::scanning;
  std::string message;  // the server's or the sync client's sentence
};

struct StatusView {
  std::int64_t captures_today = 0;
  std::int64_t pending = 0;
  std::optional<core::Instant> last_success;
  std::string last_error;
  Network network = Network::unknown;
  bool sync_running = false;
  std::string storage_error;  // when the status could not be read
};

struct SurveyDraft {
  std::size_t index = 0;  // into the consultation's questions
  std::map<std::string, core::AnswerValue> answers;
  std::vector<std::size_t> history;  // questions seen before, for Back
};

struct IdeaDraft {
  IdeaStep step = IdeaStep::title;
  std::string title, description, theme, neighbourhood, place, cost;
  bool wants_contact = false;
  bool consent = false;
  std::string contact;  // clear text only until it is sealed at submit; wiped on reset
  std::vector<IdeaStep> history;
};

// A refusal said in words, for a few seconds (the engine's clock).
struct NoticeView {
  std::string key;  // translation key
  std::map<std::string, std::string> values;
  std::int64_t until_ms = 0;
};

struct ViewState {
  Screen screen = Screen::welcome;
  bool kiosk = false;
  std::string language = "fr";
  std::vector<std::string> languages;  // offered on the welcome screen
  core::Channel channel = core::Channel::door_to_door;
  std::string featured_consultation;  // chosen by staff; empty: the resident chooses
  bool contact_offered = false;       // an office key is configured

  // The resident's session: everything here is forgotten by a reset.
  std::uint64_t session = 0;  // changes on every reset: UI state keyed to it starts afresh
  std::string consultation;
  std::int32_t version = 0;
  core::CaptureKind activity = core::CaptureKind::opinion;
  SurveyDraft survey;
  IdeaDraft idea;
  std::vector<core::ValidationError> errors;  // of the current step or of the last submit
  std::string failure;                        // a storage failure, said as a sentence
  std::string receipt;  // the idea's receipt code (core/receipt.hpp), on its thank-you screen
  std::string receipt_url;  // the public page checking it (PUBLIC/suivi?code=…, PUBLIC/votes/recu?code=…), or ""
  FollowView follow;        // « Où en est mon idée ? » / « Mon vote a-t-il été compté ? »
  VoteView vote;        // the vote being cast
  // A vote left half-way (idle reset or cancel): the welcome screen says nothing was recorded,
  // until this time (engine clock) or the next resident's first tap.
  std::optional<std::int64_t> vote_abandoned_until_ms;

  StatusView status;

  SignInView sign_in;  // the assembly desk (kept across residents: staff opened it)
  bool desk_open = false;  // residents start on the sign-in desk, not the welcome screen
  EnrolView enrol;

  // Kiosk rules.
  std::optional<std::int64_t> idle_countdown_ms;  // shown while the kiosk is about to reset
  std::int64_t idle_seconds = 90;
  std::string pin_entry;
  int pin_failures = 0;
  bool pin_wrong = false;
  std::optional<std::int64_t> pin_locked_until_ms;
  bool staff_pin_set = false;
  std::string new_pin;
  std::string staff_notice;  // translation key of the last staff action's result
  bool confirm_quit = false;  // "Quit the app?" is asked over the staff screen

  std::optional<NoticeView> notice;  // shown under the body until it expires or the screen changes

  float scale = 1.0f;  // the user setting, multiplied with the display's DPI scale
  // Read-aloud: the resident's « audio » mode (forgotten by a reset) and staff's volume.
  bool audio_mode = false;
  // « Facile à lire »: easy-read wordings where the catalog has them, and larger text (forgotten by a reset).
  bool easy_read = false;
  // High contrast (palette.hpp): shown now, and what each resident starts with (staff's; a
  // reset comes back to it).
  bool high_contrast = false;
  bool high_contrast_default = false;
  int volume = 80;  // percent
  bool quit = false;
  std::uint64_t captures_made = 0;  // this run, for tests and the thank-you counter
};

}  // namespace allervers::app
