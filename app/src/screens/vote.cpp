// The vote booth: who votes (the pass at the camera, a hand scanner, or its fallback code
// typed; without a pass, where to get one), the minimum age, the basket (each project with
// its picture, cost and quartier, the running total against each envelope, or the count against
// the rule), the summary (with the pictures) and « Valider mon vote ». A refusal ends the booth with its reason.
//
// Sections: shared wording · identify · age · choose · summary · refused · the screen.
#include <algorithm>
#include <cstdio>

#include "allervers/core/vote.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {

// --- shared wording ------------------------------------------------------------------------

std::string format_day(const Ui& ui, const std::string& day) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(day.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) return day;
  // "1er janvier": French writes the first of a month as an ordinal.
  return ui.f(d == 1 ? "date.first_day" : "date.day",
              {{"day", std::to_string(d)}, {"month", ui.t("date.month." + std::to_string(m))}, {"year", std::to_string(y)}});
}

std::string envelope_name(const Ui& ui, const core::Catalog& catalog, const std::string& neighbourhood,
                          const std::string& language) {
  if (neighbourhood.empty()) return ui.t("vote.envelope.town");
  const auto* n = catalog.town.find_neighbourhood(neighbourhood);
  return ui.f("vote.envelope.quartier", {{"quartier", n ? n->label.in(language) : neighbourhood}});
}

namespace {

std::string project_quartier(const Ui& ui, const core::Catalog& catalog, const core::Project& p, const std::string& language) {
  if (p.neighbourhood.empty()) return ui.t("vote.project.whole_town");
  const auto* n = catalog.town.find_neighbourhood(p.neighbourhood);
  return n ? n->label.in(language) : p.neighbourhood;
}

// The running total: one line per envelope (budget), or the count against the rule (approval).
std::string basket_summary(const ViewState& view, const core::Catalog& catalog, const core::Vote& vote, const Ui& ui) {
  const auto& lang = view.language;
  std::string out;
  if (vote.rule == core::VoteRule::approval) {
    const std::size_t most = vote.max_projects ? vote.max_projects : vote.projects.size();
    return ui.f("vote.total.approval", {{"n", std::to_string(view.vote.basket.size())},
                                        {"min", std::to_string(vote.min_projects)},
                                        {"max", std::to_string(most)}});
  }
  const auto totals = core::basket_totals(vote, view.vote.basket);
  for (std::size_t i = 0; i < vote.envelopes.size(); ++i) {
    const auto& e = vote.envelopes[i];
    std::int64_t spent = 0;
    for (const auto& t : totals)
      if (t.envelope == i) spent = t.cost_eur;
    if (!out.empty()) out += "\n";
    std::map<std::string, std::string> values{{"envelope", envelope_name(ui, catalog, e.neighbourhood, lang)},
                                              {"spent", format_euros(spent, lang)},
                                              {"amount", format_euros(e.amount_eur, lang)}};
    if (vote.min_share_percent > 0) {
      values["min"] = format_euros(e.amount_eur * vote.min_share_percent / 100, lang);
      out += ui.f("vote.total.budget_min", values);
    } else {
      out += ui.f("vote.total.budget", values);
    }
  }
  return out;
}

bool in_basket(const ViewState& view, const std::string& id) {
  return std::find(view.vote.basket.begin(), view.vote.basket.end(), id) != view.vote.basket.end();
}

// --- identify ------------------------------------------------------------------------------

void identify(const ViewState& view, const CameraView& camera, Ui& ui, Commands& out) {
  const auto& v = view.vote;
  const float w = ImGui::GetContentRegionAvail().x;
  const float slot = (w - ui.gap()) / 2.0f;
  const std::string first = "‹ " + ui.t("nav.back");
  const std::string second = v.typing_code ? ui.t("signin.typed_submit") : ui.t("signin.typed_code");
  const float row_h = std::max(ui.button_height(first, slot, ui.compact()), ui.button_height(second, slot, ui.compact()));
  const float row_reserve = ui.gap() * 0.5f + row_h + 3.0f * ImGui::GetStyle().ItemSpacing.y;
  ui.begin_body(row_reserve + (v.typing_code ? ui.keyboard_height(TextKind::code) : 0.0f),
                v.typing_code ? "vote-code" : "vote-identify");
  if (v.typing_code) {
    ui.heading(ui.t("signin.typed_title"));
    ui.text_field("vote_code", v.typed_code, TextKind::code, "K7QM-2XPA-9D4");
    if (!v.problem.empty()) ui.error_box(ui.t(v.problem));
    ui.hint(ui.t("signin.typed_hint"));
  } else {
    ui.heading(ui.t("vote.identify.title"));
    ui.text(ui.f("vote.identify.how", {{"button", ui.t("signin.typed_code")}}));
    if (!v.problem.empty()) ui.error_box(ui.t(v.problem));
    if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
    ui.hint(ui.t("vote.identify.no_pass"));
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float h = std::max(avail.y - ImGui::GetStyle().ItemSpacing.y, ui.touch() * 3);
    camera_preview(camera, ui, ImVec2(std::min(avail.x, h * 1.4f), h));
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  Row row(ui, ui.gap());
  row.next(slot);
  if (v.typing_code) {
    if (ui.button("typed_cancel", first, ImVec2(slot, row_h))) out.push_back(command::OpenTypedCode{false});
    row.next(slot);
    if (ui.button("typed_submit", second, ImVec2(slot, row_h), Tone::primary, v.typed_code.size() >= 8,
                  "signin.refused.code_short"))
      out.push_back(command::SubmitTypedCode{});
    std::string entry = v.typed_code;
    bool enter = false;
    if (ui.keyboard(entry, TextKind::code, 16, enter, ui.t("signin.typed_submit_key")))
      out.push_back(command::SetText{TextField::vote_code, entry});
    if (enter) {
      if (v.typed_code.size() >= 8) out.push_back(command::SubmitTypedCode{});
      else ui.refuse("signin.refused.code_short");
    }
  } else {
    if (ui.button("back", first, ImVec2(slot, row_h))) out.push_back(command::Back{});
    row.next(slot);
    if (ui.button("typed_code", second, ImVec2(slot, row_h))) out.push_back(command::OpenTypedCode{true});
  }
}

// --- age -----------------------------------------------------------------------------------

void age(const ViewState&, const core::Vote& vote, Ui& ui, Commands& out) {
  const std::string years = std::to_string(vote.min_age);
  const std::string yes = ui.f("vote.age.yes", {{"age", years}}), no = ui.f("vote.age.no", {{"age", years}});
  const float w = ImGui::GetContentRegionAvail().x;
  const float slot = (w - ui.gap()) / 2.0f;
  const float h = std::max({ui.button_height(yes, slot, ui.touch() * 1.3f), ui.button_height(no, slot, ui.touch() * 1.3f)});
  ui.begin_body(ui.footer_height() + h + ui.gap(), "vote-age");
  ui.heading(ui.f("vote.age.question", {{"age", years}}));
  ui.hint(ui.t("vote.age.why"));
  ui.end_body();
  // Yes and no weigh the same: side by side, same size and tone.
  Row row(ui, ui.gap());
  row.next(slot);
  if (ui.button("age:yes", yes, ImVec2(slot, h))) out.push_back(command::ConfirmAge{true});
  row.next(slot);
  if (ui.button("age:no", no, ImVec2(slot, h))) out.push_back(command::ConfirmAge{false});
  if (ui.footer(true, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

// --- choose --------------------------------------------------------------------------------

void choose(const ViewState& view, const core::Catalog& catalog, const core::Vote& vote, Ui& ui, Commands& out) {
  const auto& lang = view.language;
  const std::string totals = basket_summary(view, catalog, vote, ui);
  const std::string next_label = ui.t("vote.to_summary");
  // The basket's messages sit by its total, under the list, so a tap never moves the list —
  // unless that would leave the list less than half the screen (large text on a small
  // screen): then both open the list, which scrolls.
  std::string messages;
  for (const auto& e : view.vote.errors) messages += (messages.empty() ? "" : "\n") + error_sentence(ui, e);
  const float width = ImGui::GetContentRegionAvail().x;
  float totals_h = ui.measure(totals, width).y + ImGui::GetStyle().ItemSpacing.y * 2 + ui.gap() * 0.5f;
  if (!messages.empty()) totals_h += ui.box_height(messages) + ImGui::GetStyle().ItemSpacing.y;
  const float footer_h = ui.footer_height(next_label);
  const bool below = ImGui::GetContentRegionAvail().y - footer_h - totals_h > ImGui::GetContentRegionAvail().y * 0.5f;
  const auto basket_state = [&] {
    if (!messages.empty()) ui.error_box(messages);
    ui.text(totals, "vote_totals");
  };
  ui.begin_body(footer_h + (below ? totals_h : 0.0f), "vote-choose");
  ui.text(vote.summary.in(lang));
  if (vote.rule == core::VoteRule::budget) {
    ui.hint(vote.min_share_percent > 0 ? ui.f("vote.rule.budget_min", {{"percent", std::to_string(vote.min_share_percent)}})
                                       : ui.t("vote.rule.budget"));
  } else {
    const std::size_t most = vote.max_projects ? vote.max_projects : vote.projects.size();
    ui.hint(ui.f("vote.rule.approval", {{"min", std::to_string(vote.min_projects)}, {"max", std::to_string(most)}}));
  }
  if (!below) basket_state();
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  for (const auto& p : vote.projects) {
    std::string label = p.title.in(lang);
    if (!p.summary.in(lang).empty()) label += "\n" + p.summary.in(lang);
    label += "\n" + ui.join({format_euros(p.cost_eur, lang), project_quartier(ui, catalog, p, lang)}, " · ");
    // Its picture beside its words, when the device holds it (pictures.hpp): the words alone otherwise.
    if (ui.choice("project:" + p.id, label, in_basket(view, p.id), true, 0, ui.picture(p.picture), ui.unit() * 4.2f))
      out.push_back(command::ToggleProject{p.id});
  }
  ui.end_body();
  if (below) {
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
    basket_state();
  }
  if (auto nav = ui.footer(true, false, true, true, next_label); nav == Ui::Nav::back) out.push_back(command::Back{});
  else if (nav == Ui::Nav::next) out.push_back(command::Next{});
}

// --- summary -------------------------------------------------------------------------------

void summary(const ViewState& view, const core::Catalog& catalog, const core::Vote& vote, Ui& ui, Commands& out) {
  const auto& lang = view.language;
  const std::string cast = ui.t("vote.cast");
  ui.begin_body(ui.footer_height(cast), "vote-summary");
  ui.heading(ui.t("vote.summary.title"));
  for (const auto& id : view.vote.basket)
    if (const auto* p = vote.find_project(id))
      ui.pictured_text("summary:" + id, ui.picture(p->picture), ui.unit() * 2.6f, "• " + ui.join({p->title.in(lang), format_euros(p->cost_eur, lang)}, " — "));
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  ui.text(basket_summary(view, catalog, vote, ui), "vote_totals");
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  ui.hint(ui.t("vote.summary.final"));
  if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
  ui.end_body();
  if (auto nav = ui.footer(true, false, true, true, cast); nav == Ui::Nav::back) out.push_back(command::Back{});
  else if (nav == Ui::Nav::next) out.push_back(command::CastBallot{});
}

// --- refused -------------------------------------------------------------------------------

void refused(const ViewState& view, const core::Vote& vote, Ui& ui, Commands& out) {
  const std::string finish = ui.t("thanks.finish");
  const float h = ui.button_height(finish, ImGui::GetContentRegionAvail().x, ui.touch());
  ui.begin_body(h + ui.gap() + 2 * ImGui::GetStyle().ItemSpacing.y, "vote-refused");
  ui.heading(ui.t("vote.refused.title"));
  ui.error_box(ui.f(view.vote.problem, {{"age", std::to_string(vote.min_age)}}));
  ui.hint(ui.t("vote.refused.nothing_recorded"));
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  if (ui.button("finish", finish, ImVec2(0, h), Tone::primary)) out.push_back(command::CancelSession{});
}

}  // namespace

// --- the screen ----------------------------------------------------------------------------

void vote(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out) {
  const core::Vote* v = catalog.find_vote(view.vote.vote);
  if (!v) return;
  ui.header(v->title.in(view.language));
  switch (view.vote.step) {
    case VoteStep::identify: identify(view, camera, ui, out); break;
    case VoteStep::age: age(view, *v, ui, out); break;
    case VoteStep::choose: choose(view, catalog, *v, ui, out); break;
    case VoteStep::summary: summary(view, catalog, *v, ui, out); break;
    case VoteStep::refused: refused(view, *v, ui, out); break;
  }
}

}  // namespace allervers::app::screens
