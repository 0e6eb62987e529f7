// Signing in on screen without a pass: neighbourhood and age bracket (both optional, a tap
// each), then "Valider". The pass is issued by the Engine. No "invite me to the next
// assemblies": an invitation needs a way to reach the person, and this form asks for none.
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

// Options as a grid of buttons (a list would scroll): `columns` a row, the chosen one filled.
void option_grid(const std::vector<core::Option>& options, const std::string& chosen, const std::string& prefix,
                 SignInChoice field, int columns, const ViewState& view, Ui& ui, Commands& out) {
  const float w = (ImGui::GetContentRegionAvail().x - ui.gap() * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  Row row(ui, ui.gap(), true);  // `columns` a line, from the reading side
  for (std::size_t i = 0; i < options.size(); ++i) {
    row.next(w);
    const auto& o = options[i];
    if (ui.button(prefix + o.id, o.label.in(view.language), ImVec2(w, 0), chosen == o.id ? Tone::selected : Tone::normal))
      out.push_back(command::SetSignInChoice{field, o.id});
  }
}

}  // namespace

void sign_in_form(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto& s = view.sign_in;
  ui.header(ui.t("signin.form.title"));
  ui.begin_body(ui.footer_height(ui.t("signin.form.submit")), "signin-form");
  ui.hint(ui.t("signin.form.hint"));
  if (!s.failure.empty()) ui.error_box(ui.t("signin.form.failed") + "\n" + s.failure);
  ui.heading(ui.t("signin.form.neighbourhood"));
  const bool wide = ImGui::GetContentRegionAvail().x > ui.unit() * 30;
  option_grid(catalog.town.neighbourhoods, s.neighbourhood, "neighbourhood:", SignInChoice::neighbourhood, wide ? 3 : 2, view,
              ui, out);
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  ui.heading(ui.t("signin.form.age"));
  option_grid(catalog.town.age_brackets, s.age_bracket, "age:", SignInChoice::age_bracket, wide ? 4 : 3, view, ui, out);
  ui.end_body();
  const auto nav = ui.footer(true, false, true, true, ui.t("signin.form.submit"));
  if (nav == Ui::Nav::back) out.push_back(command::Back{});
  if (nav == Ui::Nav::next) out.push_back(command::SubmitSignIn{});
}

}  // namespace allervers::app::screens
