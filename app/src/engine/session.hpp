#pragma once
// The resident's session: language, consultation, activity, then the survey (one question a
// screen, show_if) or the idea (one step a screen, the optional sealed contact), validated by
// core step by step, committed whole, and "thank you" only once storage has it.
#include <optional>
#include <string>
#include <vector>

#include "allervers/app/commands.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "engine/context.hpp"

namespace allervers::app {

class ResidentSession {
 public:
  explicit ResidentSession(EngineContext& engine);  // reads the office key (the contact step)

  void choose_language(const std::string& language);
  void choose_consultation(const std::string& id);
  void choose_activity(core::CaptureKind kind);
  void set_answer(const command::SetAnswer& answer);
  void set_text(TextField field, const std::string& text);  // the idea's fields and the survey's text answer
  void set_idea_choice(IdeaChoice field, const std::string& id);
  void contact_offer(bool wanted);
  void consent(bool given);
  void next();  // on the survey or the idea: validate this step, then move on or submit
  void skip();  // an optional question or step
  void back();  // on the survey, the idea, the activity or consultation choice
  void forget();  // a new session: nothing of this resident stays

 private:
  void start_activity();
  void before_activity();
  void survey_next(bool skipping);
  void idea_next(bool skipping);
  void submit_survey();
  void submit_idea();
  void commit(const core::ValidCapture& capture);
  // The screen of the current activity's flow (from core's registry of capture kinds).
  Screen flow_screen() const;
  core::Capture draft_capture() const;
  core::CaptureBody survey_body() const;
  core::CaptureBody idea_body() const;
  std::vector<core::ValidationError> errors_for(const std::string& field) const;

  EngineContext& e_;
  ViewState& view_;
  std::optional<crypto::ContactSealer> sealer_;
};

}  // namespace allervers::app
