// A closed vote's results as the office published them (the catalog synced down, so offline):
// participation, then each envelope with its money and its projects ranked, the winners first
// and said so, with their votes.
#include "allervers/core/vote.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {

void vote_results(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const core::Vote* v = catalog.find_vote(view.vote.vote);
  if (!v || !v->results) return;
  const auto& lang = view.language;
  const auto& r = *v->results;
  ui.header(v->title.in(lang));
  ui.begin_body(ui.footer_height(), "vote-results");
  ui.heading(ui.t("vote.results.title"));
  ui.text(ui.f("vote.results.participation", {{"counted", std::to_string(r.counted)}}), "participation");
  for (const auto& e : r.envelopes) {
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
    ui.heading(envelope_name(ui, catalog, e.neighbourhood, lang));
    ui.hint(ui.f("vote.results.envelope", {{"amount", format_euros(e.amount_eur, lang)},
                                           {"allotted", format_euros(e.allotted_eur, lang)},
                                           {"ballots", std::to_string(e.ballots)}}));
    for (const auto& p : e.projects) {
      const core::Project* project = v->find_project(p.project);
      const std::string title = project ? project->title.in(lang) : p.project;
      const std::string cost = project ? format_euros(project->cost_eur, lang) : "";
      const std::string line = ui.f(p.winner ? "vote.results.winner" : "vote.results.project",
                                    {{"title", title}, {"votes", std::to_string(p.votes)}, {"cost", cost}});
      if (p.winner) ui.good_box(line, "winner:" + p.project);  // the winners stand out, with a tick
      else ui.text(line, "result:" + p.project);
    }
  }
  ui.end_body();
  if (ui.footer(true, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

}  // namespace allervers::app::screens
