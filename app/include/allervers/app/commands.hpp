#pragma once
// What screens ask for. Each is a small value; the Engine applies them after the frame.
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
struct Quit {};
}  // namespace command

using Command = std::variant<command::ChooseLanguage, command::ChooseConsultation, command::ChooseActivity,
                             command::SetAnswer, command::SetText, command::SetIdeaChoice, command::ContactOffer,
                             command::Consent, command::Next, command::Back, command::Skip, command::CancelSession,
                             command::Finish, command::OpenStaff, command::SubmitPin, command::CloseStaff,
                             command::SetChannel, command::FeatureConsultation, command::SetScale,
                             command::SetIdleSeconds, command::ChangePin, command::StillHere, command::Quit>;
using Commands = std::vector<Command>;

}  // namespace allervers::app
