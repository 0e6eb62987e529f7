#pragma once
// The assembly desk: staff open it for an assembly; each pass scanned (camera, hand scanner)
// or typed (its fallback code) is judged by passes/ against the town's keys and this
// device's sign-ins, recorded as a SignIn capture when it is a welcome, and shown as a
// verdict with its sound. A resident without a pass signs in on a short form and may get a
// pass this device issues.
#include <cstdint>
#include <optional>
#include <string>

#include "allervers/app/commands.hpp"
#include "allervers/app/sign_in_history.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/platform/feedback.hpp"
#include "engine/context.hpp"

namespace allervers::app {

class AssemblyDesk {
 public:
  explicit AssemblyDesk(EngineContext& engine);  // a desk open when the app stopped opens again

  // Staff's, from the staff screen.
  void open();
  void close();
  void choose_assembly(const std::string& id);
  // The desk's own.
  void scanned(const command::Scanned& scan);
  void open_typed_code(bool open);
  void set_typed_code(const std::string& text);
  void submit_typed_code();
  void without_pass();  // the sign-in form
  void set_choice(SignInChoice field, const std::string& id);
  void invite_consent(bool given);
  void submit_form();
  void forget();  // a new session: the form, the typed code, the issued pass

  void set_feedback(platform::FeedbackSound* sound) { sound_ = sound; }
  // Re-reads the town key, the certificates and the revocations from the settings.
  void load_verifier();
  void refresh_head_count();
  bool wants_scanner() const { return view_.screen == Screen::sign_in && !view_.sign_in.assembly.empty(); }
  void tick(std::int64_t now);  // a verdict's time on screen is over
  std::optional<std::int64_t> ms_until_next(std::int64_t now) const;

 private:
  void show_verdict(VerdictView verdict);
  bool record(const core::SignIn& sign_in);

  EngineContext& e_;
  ViewState& view_;
  StoreSignInHistory history_;
  std::optional<passes::PassVerifier> verifier_;
  platform::FeedbackSound* sound_ = nullptr;  // not owned; none: silent
};

}  // namespace allervers::app
