// « Où en est mon idée ? » / « Mon vote a-t-il été compté ? »: the code typed on the keyboard
// or its QR code shown to the camera, then the answer the device holds — each in a panel with
// an icon and words (never colour alone) — and as of when the town hall last said it.
//
// Sections: the answer's panel and icons · asking for the code · the answers · the screen.
#include <algorithm>
#include <cmath>

#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

// --- the answer's panel and icons ------------------------------------------------------------

// What the icon says, whatever the colour: done, under way, no, not known.
enum class Mark { yes, waiting, no, unknown };

struct Look {
  ImU32 bg, ink;
};
Look look_of(Mark mark) {
  switch (mark) {
    case Mark::yes: return {IM_COL32(222, 242, 228, 255), IM_COL32(18, 94, 46, 255)};
    case Mark::waiting: return {IM_COL32(255, 243, 205, 255), IM_COL32(102, 66, 0, 255)};
    case Mark::no: return {IM_COL32(253, 232, 232, 255), IM_COL32(150, 24, 24, 255)};
    case Mark::unknown: return {IM_COL32(232, 236, 242, 255), IM_COL32(40, 48, 62, 255)};
  }
  return {IM_COL32(232, 236, 242, 255), IM_COL32(40, 48, 62, 255)};
}

// A tick, a clock, a cross or a question mark in a ring, drawn (no glyph needed).
void draw_mark(ImDrawList* dl, ImVec2 c, float r, Mark mark, ImU32 ink) {
  const float w = std::max(2.0f, r * 0.16f);
  dl->AddCircle(c, r, ink, 48, w);
  switch (mark) {
    case Mark::yes:
      dl->AddLine(ImVec2(c.x - r * 0.5f, c.y + r * 0.02f), ImVec2(c.x - r * 0.12f, c.y + r * 0.4f), ink, w * 1.3f);
      dl->AddLine(ImVec2(c.x - r * 0.12f, c.y + r * 0.4f), ImVec2(c.x + r * 0.52f, c.y - r * 0.38f), ink, w * 1.3f);
      break;
    case Mark::waiting:
      dl->AddLine(c, ImVec2(c.x, c.y - r * 0.6f), ink, w);
      dl->AddLine(c, ImVec2(c.x + r * 0.45f, c.y + r * 0.2f), ink, w);
      dl->AddCircleFilled(c, w * 0.8f, ink);
      break;
    case Mark::no:
      dl->AddLine(ImVec2(c.x - r * 0.42f, c.y - r * 0.42f), ImVec2(c.x + r * 0.42f, c.y + r * 0.42f), ink, w * 1.3f);
      dl->AddLine(ImVec2(c.x + r * 0.42f, c.y - r * 0.42f), ImVec2(c.x - r * 0.42f, c.y + r * 0.42f), ink, w * 1.3f);
      break;
    case Mark::unknown: {
      // A question mark: an arc, a stem, a dot.
      dl->PathArcTo(ImVec2(c.x, c.y - r * 0.22f), r * 0.3f, 3.4f, 6.9f, 16);
      dl->PathStroke(ink, false, w);
      dl->AddLine(ImVec2(c.x + r * 0.1f, c.y + r * 0.02f), ImVec2(c.x, c.y + r * 0.22f), ink, w);
      dl->AddCircleFilled(ImVec2(c.x, c.y + r * 0.48f), w * 0.9f, ink);
      break;
    }
  }
}

// The headline in the title font and the detail under it, the icon on the side the reader
// starts from (the right in Arabic). `id` names it for tests ("answer:counted" …).
void answer_panel(Ui& ui, const std::string& id, Mark mark, const std::string& headline, const std::string& detail) {
  const Look look = look_of(mark);
  const float pad = ui.unit() * 0.6f;
  const float w = ImGui::GetContentRegionAvail().x;
  const float icon = ui.unit() * 2.4f;
  const float wrap = std::max(ui.unit() * 4, w - icon - 3 * pad);
  ImFont* title = ui.fonts().title;
  const ImVec2 hs = ui.measure(headline, wrap, title, title->FontSize);
  const ImVec2 ds = detail.empty() ? ImVec2(0, 0) : ui.measure(detail, wrap);
  const float text_h = hs.y + (detail.empty() ? 0 : pad * 0.5f + ds.y);
  const float h = std::max(icon, text_h) + 2 * pad;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), look.bg, ui.unit() * 0.3f);
  const float icon_x = ui.start_x(a.x + pad, a.x + w - pad, icon);
  draw_mark(dl, ImVec2(icon_x + icon * 0.5f, a.y + pad + icon * 0.5f), icon * 0.45f, mark, look.ink);
  const float text_left = ui.rtl() ? a.x + pad : a.x + icon + 2 * pad;
  const float text_right = ui.rtl() ? a.x + w - icon - 2 * pad : a.x + w - pad;
  const float hx = ui.start_x(text_left, text_right, hs.x);
  ui.draw_text(dl, ImVec2(hx, a.y + pad), look.ink, headline, wrap, title, title->FontSize);
  if (!detail.empty())
    ui.draw_text(dl, ImVec2(ui.start_x(text_left, text_right, ds.x), a.y + pad + hs.y + pad * 0.5f), look.ink, detail, wrap);
  ImGui::Dummy(ImVec2(w, h));
  ui.record(id, ItemKind::panel);
  ui.set_content(ImVec2(std::min(hx, ui.start_x(text_left, text_right, ds.x)), a.y + pad),
                 ImVec2(std::max(hx + hs.x, ui.start_x(text_left, text_right, ds.x) + ds.x), a.y + pad + text_h));
  ui.set_text(detail.empty() ? headline : headline + "\n" + detail);
  ui.add_reading(headline + (detail.empty() ? "" : "\n" + detail), ui.language());
}

// --- asking for the code ---------------------------------------------------------------------

const char* kind_name(FollowKind kind) { return kind == FollowKind::idea ? "idea" : "ballot"; }

// The languages as small buttons: the welcome screen showed this one in its language, a
// resident who reads another switches here without starting again.
void language_row(const ViewState& view, Ui& ui, Commands& out) {
  if (view.languages.size() < 2) return;
  const float gap = ui.gap() * 0.5f;
  const float avail = ImGui::GetContentRegionAvail().x;
  // From the reading side: French first at the left, at the right on an Arabic screen.
  Row row(ui, gap, true);
  for (const auto& language : view.languages) {
    const std::string name = ui.language_name(language);
    const float bw = std::min(avail, ui.measure(name, avail).x + ui.unit() * 1.2f);
    row.next(bw);
    if (ui.button("follow_language:" + language, name, ImVec2(bw, ui.compact()),
                  language == view.language ? Tone::selected : Tone::quiet)) {
      // The language already shown: back to the top, where the code is typed, as a new
      // language's page opens (its scroll is its own).
      if (language == view.language) ImGui::SetScrollY(0.0f);
      else out.push_back(command::ShowLanguage{language});
    }
  }
  ImGui::Dummy(ImVec2(0, gap));
}

void ask(const ViewState& view, const CameraView& camera, Ui& ui, Commands& out) {
  const auto& f = view.follow;
  const std::string kind = kind_name(f.kind);
  const float w = ImGui::GetContentRegionAvail().x;
  const float slot = (w - 2 * ui.gap()) / 3.0f;
  const std::string back = "‹ " + ui.t("nav.back");
  const std::string other = ui.t(f.scanning ? "follow.type" : "follow.scan");
  const std::string submit = ui.t("follow.submit");
  const float row_h = ui.row_height({back, other, submit}, slot);
  const float row_reserve = ui.gap() * 0.5f + row_h + 3.0f * ImGui::GetStyle().ItemSpacing.y;
  // Scrolled per language: a language chosen at the bottom shows the new one from the top.
  ui.begin_body(row_reserve + (f.scanning ? 0.0f : ui.keyboard_height(TextKind::code)),
                "follow-" + kind + (f.scanning ? "-scan-" : "-") + view.language);
  // The languages after the field while typing: the field stays in sight above the keyboard
  // whatever the text size; before the camera's picture, which takes what is left.
  if (f.scanning) language_row(view, ui, out);
  if (f.scanning) {
    ui.heading(ui.t("follow.scan_title"));
    if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float h = std::max(avail.y - ImGui::GetStyle().ItemSpacing.y, ui.touch() * 3);
    camera_preview(camera, ui, ImVec2(std::min(avail.x, h * 1.4f), h));
  } else {
    ui.heading(ui.t("follow." + kind + ".type"));
    ui.text_field("follow_code", f.typed_code, TextKind::code, kind == "idea" ? "K7QM-2XHD" : "K7M2-9QXD");
    if (f.found == "invalid_code") ui.error_box(ui.f("follow.invalid", {{"code", f.code}}));
    if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
    ui.hint(ui.t("follow." + kind + ".where"));
    language_row(view, ui, out);
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  Row row(ui, ui.gap());
  row.next(slot);
  if (ui.button("back", back, ImVec2(slot, row_h))) out.push_back(command::Back{});
  row.next(slot);
  if (ui.button(f.scanning ? "follow_type" : "follow_scan", other, ImVec2(slot, row_h)))
    out.push_back(command::OpenTypedCode{f.scanning});
  row.next(slot);
  // Eight characters make a code (hyphens and spaces aside); fewer are refused in words.
  const auto chars = std::count_if(f.typed_code.begin(), f.typed_code.end(), [](char c) { return c != '-' && c != ' '; });
  const bool ready = !f.scanning && chars >= 8;
  if (ui.button("follow_submit", submit, ImVec2(slot, row_h), Tone::primary, ready,
                f.scanning ? "follow.refused.scanning" : "follow.refused.short"))
    out.push_back(command::SubmitTypedCode{});
  if (f.scanning) return;
  std::string entry = f.typed_code;
  bool enter = false;
  if (ui.keyboard(entry, TextKind::code, 16, enter, ui.t("follow.submit_key")))
    out.push_back(command::SetText{TextField::follow_code, entry});
  if (enter) {
    if (ready) out.push_back(command::SubmitTypedCode{});
    else ui.refuse("follow.refused.short");
  }
}

// --- the answers -----------------------------------------------------------------------------

Mark mark_of_state(const std::string& state) {
  if (state == "recevable" || state == "faisable" || state == "laureate" || state == "realisee") return Mark::yes;
  if (state == "non_recevable" || state == "non_faisable" || state == "non_retenue") return Mark::no;
  return Mark::waiting;  // reçue, en étude, soumise au vote, en travaux: under way
}

void idea_answer(const sync::protocol::IdeaOutcomeEntry& idea, std::size_t n, Ui& ui) {
  const std::string state_key = "follow.state." + idea.state;
  const std::string state = ui.translations().has(state_key) ? ui.t(state_key) : idea.state;
  std::string detail = ui.f("follow.idea.your_idea", {{"title", idea.title}});
  if (!idea.merged_into.empty()) detail += "\n" + ui.f("follow.idea.merged", {{"title", idea.merged_into}});
  answer_panel(ui, "answer:" + std::to_string(n) + ":" + idea.state, mark_of_state(idea.state), state, detail);
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.3f));
  if (idea.answer.empty()) {
    ui.hint(ui.t("follow.idea.no_answer"));
  } else {
    ui.heading(ui.t("follow.idea.answer"));
    ui.text(idea.answer, "public_answer");  // the town's words, as written (French when not translated)
  }
  if (!idea.milestones.empty()) {
    ui.heading(ui.t("follow.idea.milestones"));
    for (const auto& m : idea.milestones) ui.text(ui.join({format_day(ui, m.day), m.text}, " — "), "milestone");
  }
}

void answer(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto& f = view.follow;
  const std::string kind = kind_name(f.kind);
  const std::string again = ui.t("follow.again"), finish = ui.t("thanks.finish");
  const float w = ImGui::GetContentRegionAvail().x;
  const float slot = (w - ui.gap()) / 2.0f;
  const float row_h = ui.row_height({again, finish}, slot);
  ui.begin_body(ui.gap() * 0.5f + row_h + 3.0f * ImGui::GetStyle().ItemSpacing.y, "follow-answer-" + view.language);
  language_row(view, ui, out);
  ui.text(ui.f("follow.code", {{"code", f.code}}), "follow_code_shown");
  const std::string vote_title = [&] {
    const core::Vote* v = catalog.find_vote(f.vote);
    return v ? v->title.in(view.language) : f.vote;
  }();
  if (f.found == "known" && f.kind == FollowKind::idea) {
    for (std::size_t i = 0; i < f.ideas.size(); ++i) {
      if (i > 0) ImGui::Dummy(ImVec2(0, ui.gap()));
      idea_answer(f.ideas[i], i, ui);
    }
  } else if (f.found == "known") {
    if (f.counted) answer_panel(ui, "answer:counted", Mark::yes, ui.t("follow.ballot.counted"), ui.f("follow.ballot.counted_detail", {{"vote", vote_title}}));
    else answer_panel(ui, "answer:flagged", Mark::no, ui.t("follow.ballot.flagged"), ui.f("follow.ballot.flagged_detail", {{"vote", vote_title}}));
  } else {
    const Mark mark = f.found == "unknown" ? Mark::unknown : Mark::waiting;
    answer_panel(ui, "answer:" + f.found, mark, ui.t("follow." + kind + "." + f.found),
                 ui.f("follow." + kind + "." + f.found + "_detail", {{"vote", vote_title}}));
  }
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  // As of when: the kiosk answers from its last sync, so it says how old that is.
  if (f.checked_at) {
    const std::string text = core::format_instant(*f.checked_at);  // 2026-11-23T10:15:00.123+01:00
    ui.hint(ui.f("follow.as_of", {{"date", format_day(ui, text.substr(0, 10))}, {"time", text.substr(11, 5)}}));
  } else {
    ui.hint(ui.t("follow.never"));
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  Row row(ui, ui.gap());
  row.next(slot);
  if (ui.button("follow_again", again, ImVec2(slot, row_h))) out.push_back(command::FollowAgain{});
  row.next(slot);
  if (ui.button("finish", finish, ImVec2(slot, row_h), Tone::primary)) out.push_back(command::CancelSession{});
}

}  // namespace

// --- the screen --------------------------------------------------------------------------------

void follow(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out) {
  ui.header(ui.t(view.follow.kind == FollowKind::idea ? "follow.idea.title" : "follow.ballot.title"));
  if (view.follow.answered) answer(view, catalog, ui, out);
  else ask(view, camera, ui, out);
}

}  // namespace allervers::app::screens
