// A consultation that both asks questions and collects ideas: which one now?
#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/vote.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {

void activity_choice(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto* c = catalog.find(view.consultation, view.version);
  if (!c) return;
  ui.header(c->title.in(view.language));
  ui.begin_body(ui.footer_height(), "activity");
  ui.text(c->summary.in(view.language));
  ImGui::Dummy(ImVec2(0, ui.gap()));
  // One button per kind the consultation offers (core's registry), each with its own label.
  for (const auto kind : core::offered_kinds(*c)) {
    const auto& info = core::info(kind);
    if (info.activity_label_key.empty()) continue;
    if (ui.button("activity:" + std::string(info.name), ui.t(std::string(info.activity_label_key)),
                  ImVec2(0, ui.touch() * 1.5f), Tone::primary))
      out.push_back(command::ChooseActivity{kind});
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  }
  // The town's open votes (the catalog's, not the consultation's), each with its dates: a tap
  // outside them is refused in words by the booth.
  for (const auto& vote : catalog.votes) {
    if (vote.state == core::VoteState::closed && vote.results) {
      // A closed vote whose results the office published: who won, read from the synced copy.
      if (ui.card("results:" + vote.id, ui.t("activity.vote_results"), vote.title.in(view.language)))
        out.push_back(command::ShowVoteResults{vote.id});
      ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
      continue;
    }
    if (vote.state != core::VoteState::open) continue;
    const std::string dates = ui.f("vote.dates", {{"opens", format_day(ui, vote.opens)}, {"closes", format_day(ui, vote.closes)}});
    if (ui.card("vote:" + vote.id, ui.t("activity.ballot"), vote.title.in(view.language) + "\n" + dates))
      out.push_back(command::ChooseVote{vote.id});
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  }
  ImGui::Dummy(ImVec2(0, ui.gap()));
  online_qr(ui, c->online_url, "online.title");
  ui.end_body();
  if (ui.footer(true, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

}  // namespace allervers::app::screens
