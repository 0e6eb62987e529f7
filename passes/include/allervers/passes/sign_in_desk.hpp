#pragma once
// What the sign-in screen shows after a scan or a typed fallback code: the verdict
// (green "Bienvenue", amber "Déjà enregistré·e à 18:42", red "Code non reconnu" with the
// reason) and whether to record a sign-in. Pure: the screen passes in the verifier, the
// duplicate rule and the assembly, records the sign-in itself, and maps `kind` to colour
// and sound (platform::FeedbackCue).
#include <optional>
#include <string>
#include <string_view>

#include "allervers/core/time.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/passes/sign_in_rule.hpp"

namespace allervers::passes {

struct ScanVerdict {
  enum class Kind { welcome, already_signed_in, refused };
  Kind kind = Kind::refused;
  std::string headline;                    // "Bienvenue", "Déjà enregistré·e à 18:42", "Code non reconnu"
  std::string detail;                      // the reason when refused (French), else empty
  PassProblem problem = PassProblem::none;
  std::optional<PassId> pass;              // the id to record with the sign-in
  std::optional<core::Instant> first_at;   // when already signed in
  bool typed = false;                      // from a fallback code: checked for typos, not signed
  bool record() const { return kind == Kind::welcome; }
};

// A code from the camera or a hand scanner.
ScanVerdict judge_scan(const PassVerifier& verifier, const DuplicateRule& rule, std::string_view assembly,
                       std::string_view code);

// A fallback code typed by staff for a resident whose code will not scan. A revoked pass is
// still refused; anything else that passes the check character is accepted as typed.
ScanVerdict judge_typed_code(const PassVerifier& verifier, const DuplicateRule& rule, std::string_view assembly,
                             std::string_view typed);

}  // namespace allervers::passes
