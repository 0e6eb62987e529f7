#include "allervers/passes/sign_in_desk.hpp"

namespace allervers::passes {

namespace {

ScanVerdict refused(PassProblem problem, const char* detail) {
  ScanVerdict v;
  v.kind = ScanVerdict::Kind::refused;
  v.headline = "Code non reconnu";
  v.detail = detail;
  v.problem = problem;
  return v;
}

ScanVerdict admitted(const DuplicateRule& rule, std::string_view assembly, const PassId& id, bool typed) {
  const auto decision = rule.decide(assembly, id.str());
  ScanVerdict v;
  v.kind = decision.record() ? ScanVerdict::Kind::welcome : ScanVerdict::Kind::already_signed_in;
  v.headline = decision.message();
  v.pass = id;
  v.first_at = decision.first_at;
  v.typed = typed;
  return v;
}

}  // namespace

ScanVerdict judge_scan(const PassVerifier& verifier, const DuplicateRule& rule, std::string_view assembly,
                       std::string_view code) {
  const PassCheck check = verifier.verify(code);
  if (!check.ok()) {
    auto v = refused(check.problem, explain(check.problem));
    if (check.pass) v.pass = check.pass->id;
    return v;
  }
  return admitted(rule, assembly, check.pass->id, false);
}

ScanVerdict judge_typed_code(const PassVerifier& verifier, const DuplicateRule& rule, std::string_view assembly,
                             std::string_view typed) {
  const FallbackRead read = read_fallback_code(typed);
  switch (read.problem) {
    case FallbackProblem::none: break;
    case FallbackProblem::wrong_length:
      return refused(PassProblem::truncated, "Le code de secours a 11 caractères, par exemple K7QM-2XPA-9D4");
    case FallbackProblem::bad_character:
      return refused(PassProblem::malformed, "Ce caractère n’existe pas dans les codes de secours : vérifiez la saisie");
    case FallbackProblem::wrong_check:
      return refused(PassProblem::malformed, "Faute de frappe probable : vérifiez le code de secours");
  }
  if (verifier.revocations().passes.contains(*read.id)) {
    auto v = refused(PassProblem::revoked_pass, explain(PassProblem::revoked_pass));
    v.pass = read.id;
    return v;
  }
  return admitted(rule, assembly, *read.id, true);
}

}  // namespace allervers::passes
