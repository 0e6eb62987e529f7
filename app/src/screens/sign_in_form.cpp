// Signing in on screen without a pass: neighbourhood and age bracket (both optional, a tap
// each), the consent to be invited again, then "Valider". The pass is issued by the Engine.
#include "screens/screens.hpp"

namespace allervers::app::screens {

void sign_in_form(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto& s = view.sign_in;
  ui.header(ui.t("signin.form.title"));
  ui.begin_body(ui.footer_height(), "signin-form");
  ui.hint(ui.t("signin.form.hint"));
  if (!s.failure.empty()) ui.error_box(ui.t("signin.form.failed") + "\n" + s.failure);
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  ui.heading(ui.t("signin.form.neighbourhood"));
  for (const auto& n : catalog.town.neighbourhoods)
    if (ui.choice("neighbourhood:" + n.id, n.label.in(view.language), s.neighbourhood == n.id, false))
      out.push_back(command::SetSignInChoice{SignInChoice::neighbourhood, n.id});
  ImGui::Dummy(ImVec2(0, ui.gap()));
  ui.heading(ui.t("signin.form.age"));
  for (const auto& a : catalog.town.age_brackets)
    if (ui.choice("age:" + a.id, a.label.in(view.language), s.age_bracket == a.id, false))
      out.push_back(command::SetSignInChoice{SignInChoice::age_bracket, a.id});
  ImGui::Dummy(ImVec2(0, ui.gap()));
  ui.heading(ui.t("signin.form.invite"));
  ui.hint(ui.t("signin.form.invite_hint"));
  if (ui.choice("invite", ui.t("signin.form.invite_yes"), s.invite_consent, true))
    out.push_back(command::InviteConsent{!s.invite_consent});
  ui.end_body();
  const auto nav = ui.footer(true, false, true, true, ui.t("signin.form.submit"));
  if (nav == Ui::Nav::back) out.push_back(command::Back{});
  if (nav == Ui::Nav::next) out.push_back(command::SubmitSignIn{});
}

}  // namespace allervers::app::screens
