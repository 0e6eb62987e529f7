// A sign-in at an assembly: the pass shown (or none), and who when they said.
#include <cctype>

#include "allervers/core/limits.hpp"
#include "kinds.hpp"

namespace allervers::core::kinds {

using nlohmann::json;

SignIn read(std::type_identity<SignIn>, const json* j, RecordReader& r) {
  SignIn s;
  if (!j || !j->is_object()) {
    r.error("signin", j ? "wrong_type" : "required", "a sign-in needs a \"signin\" object (assembly, pass …)");
    return s;
  }
  r.reject_unknown_keys(*j, {"assembly", "pass", "neighbourhood", "age_bracket", "invite_consent"}, "signin.");
  s.assembly = r.string(*j, "assembly", "signin.assembly").value_or("");
  s.pass = r.string(*j, "pass", "signin.pass").value_or("");
  s.neighbourhood = r.string(*j, "neighbourhood", "signin.neighbourhood").value_or("");
  s.age_bracket = r.string(*j, "age_bracket", "signin.age_bracket").value_or("");
  if (const json* consent = r.get(*j, "invite_consent")) {
    if (consent->is_boolean()) s.invite_consent = consent->get<bool>();
    else r.error("signin.invite_consent", "wrong_type", "expected true or false");
  }
  return s;
}

void write(const SignIn& body, Fields& out) {
  out.text("assembly", body.assembly);
  out.boolean("invite_consent", body.invite_consent);
  if (!body.pass.empty()) out.text("pass", body.pass);
  if (!body.neighbourhood.empty()) out.text("neighbourhood", body.neighbourhood);
  if (!body.age_bracket.empty()) out.text("age_bracket", body.age_bracket);
}

void check(const SignIn& body, const Consultation*, Checker& check) {
  const Catalog& catalog = check.catalog();
  if (body.assembly.empty()) check.error("signin.assembly", "required", "say which assembly");
  else if (!catalog.find_assembly(body.assembly))
    check.error("signin.assembly", "unknown_assembly", "\"" + Checker::printable(body.assembly) + "\" is not a known assembly");
  if (!body.pass.empty()) {
    bool ok = body.pass.size() <= limits::pass_id;
    for (char ch : body.pass) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
    if (!ok) check.error("signin.pass", "invalid_pass", "a pass id has 1 to 128 letters, digits, '-' or '_'");
  }
  if (!body.neighbourhood.empty())
    check.option("signin.neighbourhood", body.neighbourhood, catalog.town.neighbourhoods, "one of the town's neighbourhoods");
  if (!body.age_bracket.empty())
    check.option("signin.age_bracket", body.age_bracket, catalog.town.age_brackets, "one of the town's age brackets");
}

}  // namespace allervers::core::kinds
