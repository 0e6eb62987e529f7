#pragma once
// What screens ask for. Each is a small value; the Engine applies them after the frame.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "allervers/app/view_state.hpp"

namespace allervers::app {
namespace command {
struct ChooseLanguage { std::string language; };
struct ChooseConsultation { std::string id; };
struct ChooseActivity { core::CaptureKind kind; };
struct SetAnswer { std::string question; std::optional<core::AnswerValue> value; };  // nullopt clears
struct SetText { TextField field; std::string text; };
struct SetIdeaChoice { IdeaChoice field; std::string id; };
struct ContactOffer { bool wanted; };
struct Consent { bool given; };
struct Next {};            // validates the current step, then moves on (or submits on the last)
struct Back {};
struct Skip {};            // an optional question or step, left unanswered
struct CancelSession {};   // the resident gives up: back to welcome, everything forgotten
struct Finish {};          // thank-you → welcome
struct OpenStaff {};       // kiosk: asks the PIN; agent mode: opens the agent home
struct SubmitPin {};
struct CloseStaff {};      // staff → welcome
struct SetChannel { core::Channel channel; };
struct FeatureConsultation { std::string id; };  // empty: residents choose
struct SetScale { float scale; };
struct SetIdleSeconds { std::int64_t seconds; };
struct ChangePin {};       // the new_pin field becomes the staff PIN
struct StillHere {};       // dismisses the idle countdown
struct Quit {};            // asks "really quit?" (staff screen only)
struct ConfirmQuit { bool quit; };  // the answer: quit, or stay
// A refusal said in words (a fourth choice, a full field, a disabled button): shown for a few
// seconds under the body. `key` is a translation key, `values` fill its placeholders.
struct Notice {
  std::string key;
  std::map<std::string, std::string> values;
};
// The assembly desk and enrolment.
struct OpenSignIn {};            // staff: the sign-in desk (residents then start there)
struct CloseSignIn {};           // staff: residents start on the welcome screen again
struct ChooseAssembly { std::string id; };  // empty: back to the list
struct Scanned {
  enum class Source { camera, hand_scanner, typed };  // typed: a fallback code entered on screen
  std::string code;
  Source source = Source::camera;
  std::int64_t frame_steady_ns = 0;  // the camera frame's arrival, for the latency figure
};
struct OpenTypedCode { bool open; };  // the fallback-code field
struct SubmitTypedCode {};
struct SignInWithoutPass {};     // the on-screen form
struct SetSignInChoice { SignInChoice field; std::string id; };
struct InviteConsent { bool given; };
struct SubmitSignIn {};
// The vote (the pass is identified through Scanned / OpenTypedCode / SubmitTypedCode, routed by screen).
struct ChooseVote { std::string id; };       // from the activity choice
struct ConfirmAge { bool reached; };         // the vote's minimum age: reached, or not
struct ToggleProject { std::string id; };    // in or out of the basket
struct CastBallot {};                        // « Valider mon vote »
struct ShowVoteResults { std::string id; };  // a closed vote's published results
// « Où en est mon idée ? » / « Mon vote a-t-il été compté ? » (the code through SetText,
// OpenTypedCode — false: the camera —, SubmitTypedCode and Scanned, routed by screen).
struct OpenFollow { FollowKind kind; };
struct FollowAgain {};                         // another code
struct ShowLanguage { std::string language; };  // the follow screen in another language, staying on it
struct OpenEnrol {};             // staff: scan the enrolment QR code
// Read-aloud (speech.hpp). Speak and StopSpeech go to the App's voice, not the engine.
struct Speak { std::string text; std::string language; };  // the spoken form, in its own language
struct StopSpeech {};
struct SetAudioMode { bool on; };  // the welcome screen: every screen is read as it appears
struct SetVolume { int percent; };  // staff: read-aloud's volume, 0–100
struct SetEasyRead { bool on; };  // the welcome screen: easy-read wordings (FALC), larger text
// The high-contrast theme: the resident's on the welcome screen, every resident's default on
// the staff screen.
struct SetHighContrast { bool on; };
}  // namespace command

using Command = std::variant<command::ChooseLanguage, command::ChooseConsultation, command::ChooseActivity,
                             command::SetAnswer, command::SetText, command::SetIdeaChoice, command::ContactOffer,
                             command::Consent, command::Next, command::Back, command::Skip, command::CancelSession,
                             command::Finish, command::OpenStaff, command::SubmitPin, command::CloseStaff,
                             command::SetChannel, command::FeatureConsultation, command::SetScale,
                             command::SetIdleSeconds, command::ChangePin, command::StillHere, command::Quit, command::ConfirmQuit, command::Notice,
                             command::OpenSignIn, command::CloseSignIn, command::ChooseAssembly, command::Scanned, command::OpenTypedCode,
                             command::SubmitTypedCode, command::SignInWithoutPass, command::SetSignInChoice,
                             command::InviteConsent, command::SubmitSignIn, command::OpenEnrol,
                             command::ChooseVote, command::ConfirmAge, command::ToggleProject, command::CastBallot,
                             command::ShowVoteResults, command::OpenFollow, command::FollowAgain, command::ShowLanguage,
                             command::Speak, command::StopSpeech, command::SetAudioMode, command::SetVolume,
                             command::SetEasyRead, command::SetHighContrast>;
using Commands = std::vector<Command>;

}  // namespace allervers::app
