// An idea for the participatory budget, one step per screen: title, description, theme,
// neighbourhood, place (optional), cost (optional), then — only when an office key is set —
// the offer to be kept informed, the consent in the resident's language, and the contact.
#include <algorithm>
#include <charconv>

#include "allervers/core/limits.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

struct StepText {
  TextField field;
  TextKind kind;
  std::size_t max_chars;
};

std::optional<StepText> text_step(IdeaStep step) {
  switch (step) {
    case IdeaStep::title: return StepText{TextField::idea_title, TextKind::single_line, core::limits::idea_title};
    case IdeaStep::description:
      return StepText{TextField::idea_description, TextKind::multi_line, core::limits::idea_description};
    case IdeaStep::place: return StepText{TextField::idea_place, TextKind::single_line, core::limits::idea_place};
    case IdeaStep::cost: return StepText{TextField::idea_cost, TextKind::digits_only, 9};
    case IdeaStep::contact: return StepText{TextField::idea_contact, TextKind::contact, 200};
    default: return std::nullopt;
  }
}

const std::string& text_of(const IdeaDraft& d, IdeaStep step) {
  switch (step) {
    case IdeaStep::title: return d.title;
    case IdeaStep::description: return d.description;
    case IdeaStep::place: return d.place;
    case IdeaStep::cost: return d.cost;
    default: return d.contact;
  }
}

}  // namespace

void idea(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto* c = catalog.find(view.consultation, view.version);
  if (!c) return;
  const auto& d = view.idea;
  const auto& lang = view.language;
  const std::string step_name = to_string(d.step);
  const int total = view.contact_offered ? 7 : 6;
  const int number = std::min(total, static_cast<int>(d.step) + 1);
  const auto text = text_step(d.step);
  const bool last = (d.step == IdeaStep::cost && !view.contact_offered) || d.step == IdeaStep::contact;

  ui.header(ui.t("idea." + step_name + ".title"), static_cast<float>(number) / static_cast<float>(total),
            ui.f("idea.progress", {{"n", std::to_string(number)}, {"total", std::to_string(total)}}));
  const std::string next_label = last ? ui.t("nav.send") : ui.t("nav.next");
  const float reserved = ui.footer_height(next_label) + (text ? ui.keyboard_height(text->kind) : 0.0f);
  ui.begin_body(reserved, "idea:" + step_name);
  // A field comes first, right under its title, so it stays in sight above the keyboard at any
  // text size; what it is for and what is wrong with it come under it.
  const std::string hint_key = "idea." + step_name + ".hint";
  std::string hint;
  if (d.step == IdeaStep::cost) {
    const std::int64_t max = c->ideas.max_cost_eur ? c->ideas.max_cost_eur : core::limits::idea_cost_eur;
    hint = ui.f(hint_key, {{"max", format_euros(max, lang)}});
  } else if (ui.t(hint_key) != hint_key) {
    hint = ui.t(hint_key);
  }
  const auto messages = [&] {
    for (const auto& e : view.errors) ui.error_box(error_sentence(ui, e));
    if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
  };

  switch (d.step) {
    case IdeaStep::theme:
      if (!hint.empty()) ui.hint(hint);
      messages();
      for (const auto& o : c->ideas.themes)
        if (ui.choice("answer:" + o.id, o.label.in(lang), d.theme == o.id, false, 0, view.easy_read ? ui.picture(o.pictogram) : nullptr))
          out.push_back(command::SetIdeaChoice{IdeaChoice::theme, o.id});
      break;
    case IdeaStep::neighbourhood:
      if (!hint.empty()) ui.hint(hint);
      messages();
      // Where the idea would be built: the neighbourhoods the consultation runs in, never "I live elsewhere".
      for (const auto& o : c->quartiers(catalog.town))
        if (ui.choice("answer:" + o.id, o.label.in(lang), d.neighbourhood == o.id, false))
          out.push_back(command::SetIdeaChoice{IdeaChoice::neighbourhood, o.id});
      break;
    case IdeaStep::contact_offer: {
      if (!hint.empty()) ui.hint(hint);
      messages();
      // Both answers alike: the same size, the same colour; neither leans.
      const float w = (ImGui::GetContentRegionAvail().x - ui.gap()) / 2.0f;
      Row row(ui, ui.gap());
      row.next(w);
      if (ui.button("contact:yes", ui.t("idea.contact_offer.yes"), ImVec2(w, ui.touch() * 1.5f), Tone::normal))
        out.push_back(command::ContactOffer{true});
      row.next(w);
      if (ui.button("contact:no", ui.t("idea.contact_offer.no"), ImVec2(w, ui.touch() * 1.5f), Tone::normal))
        out.push_back(command::ContactOffer{false});
      break;
    }
    case IdeaStep::consent: {
      ui.text(ui.t("consent.body"));
      messages();
      ImGui::Dummy(ImVec2(0, ui.gap()));
      // Accepting and refusing weigh the same: side by side, the same size and colour.
      const float w = (ImGui::GetContentRegionAvail().x - ui.gap()) / 2.0f;
      const float h = std::max(ui.button_height(ui.t("consent.accept"), w), ui.button_height(ui.t("consent.refuse"), w));
      Row row(ui, ui.gap());
      row.next(w);
      if (ui.button("consent:yes", ui.t("consent.accept"), ImVec2(w, h), Tone::normal)) out.push_back(command::Consent{true});
      row.next(w);
      if (ui.button("consent:no", ui.t("consent.refuse"), ImVec2(w, h), Tone::normal)) out.push_back(command::Consent{false});
      break;
    }
    default:
      if (text) {
        std::string shown = text_of(d, d.step);
        ui.text_field("field", shown, text->kind, ui.t("idea." + step_name + ".placeholder"));
        // The amount as it will be read, « 12 500 € »; none for digits past any amount.
        std::int64_t euros = 0;
        if (d.step == IdeaStep::cost && !d.cost.empty() &&
            std::from_chars(d.cost.data(), d.cost.data() + d.cost.size(), euros).ec == std::errc())
          ui.text(format_euros(euros, lang));
        messages();
        if (!hint.empty()) ui.hint(hint);
      }
      break;
  }
  ui.end_body();

  const bool buttons_answer = d.step == IdeaStep::contact_offer || d.step == IdeaStep::consent;
  const bool optional = d.step == IdeaStep::place || d.step == IdeaStep::cost;
  bool ready = true;
  if (d.step == IdeaStep::theme) ready = !d.theme.empty();
  if (d.step == IdeaStep::neighbourhood) ready = !d.neighbourhood.empty();
  const auto nav = ui.footer(true, optional, !buttons_answer, ready, next_label,
                             d.step == IdeaStep::theme ? "idea.refused.theme" : "idea.refused.neighbourhood");
  if (nav == Ui::Nav::back) out.push_back(command::Back{});
  if (nav == Ui::Nav::skip) out.push_back(command::Skip{});
  if (nav == Ui::Nav::next) out.push_back(command::Next{});
  if (text) {
    std::string edited = text_of(d, d.step);
    bool enter = false;
    if (ui.keyboard(edited, text->kind, text->max_chars, enter)) out.push_back(command::SetText{text->field, edited});
    if (enter) out.push_back(command::Next{});
  }
}

}  // namespace allervers::app::screens
