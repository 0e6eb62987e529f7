// What a kiosk's scanner or a person's typing hands to the pass reader: the QR payload, the
// fallback code, the bare id.
#include "allervers/passes/pass.hpp"
#include "harness.hpp"

using namespace allervers;

ALLERVERS_FUZZ_TARGET(pass) {
  const auto text = fuzz::text_of(data, size);
  const auto check = passes::parse_pass(text);
  (void)passes::to_string(check.problem);
  (void)passes::explain(check.problem);
  fuzz::require(!check.ok() || check.pass.has_value(), "a pass accepted without its content");
  const auto typed = passes::read_fallback_code(text);
  fuzz::require((typed.problem == passes::FallbackProblem::none) == typed.id.has_value(), "a fallback code read without its id");
  if (typed.id) {
    const auto back = passes::read_fallback_code(typed.id->fallback_code());
    fuzz::require(back.id && *back.id == *typed.id, "a fallback code does not read back to its pass");
  }
  if (const auto id = passes::PassId::parse(text)) fuzz::require(id->str() == text, "a pass id has two spellings");
  return 0;
}
