// One question per screen, with progress, back, skip for optional questions, and the
// question's own input: choices, a 1–5 scale, smileys, yes/no or short text.
#include <algorithm>
#include <cmath>

#include "allervers/app/engine.hpp"
#include "allervers/core/limits.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

// A face from very unhappy (1) to very happy (5), drawn so it needs no emoji font.
// The face's colour goes with its mouth (the shape says it), in every theme.
void smiley_face(ImDrawList* dl, ImVec2 c, float r, int level, bool selected) {
  static constexpr ImU32 colours[5] = {IM_COL32(200, 50, 40, 255), IM_COL32(230, 120, 40, 255),
                                       IM_COL32(220, 180, 30, 255), IM_COL32(120, 180, 50, 255),
                                       IM_COL32(30, 150, 70, 255)};
  const ImU32 ink = IM_COL32(30, 30, 30, 255);  // on the face's own colour
  dl->AddCircleFilled(c, r, colours[level - 1], 48);
  dl->AddCircle(c, r, ink, 48, selected ? r * 0.12f : r * 0.04f);
  dl->AddCircleFilled(ImVec2(c.x - r * 0.35f, c.y - r * 0.25f), r * 0.1f, ink);
  dl->AddCircleFilled(ImVec2(c.x + r * 0.35f, c.y - r * 0.25f), r * 0.1f, ink);
  // The mouth bends from a frown (-1) to a smile (+1).
  const float bend = static_cast<float>(level - 3) / 2.0f;
  const int n = 16;
  ImVec2 pts[n + 1];
  for (int i = 0; i <= n; ++i) {
    const float t = static_cast<float>(i) / n * 2.0f - 1.0f;  // -1 … 1
    pts[i] = ImVec2(c.x + t * r * 0.45f, c.y + r * 0.35f + bend * r * 0.25f * (1.0f - t * t) - bend * r * 0.1f);
  }
  dl->AddPolyline(pts, n + 1, ink, 0, r * 0.08f);
}

bool answered(const ViewState& view, const core::Question& q) { return view.survey.answers.count(q.id) != 0; }

}  // namespace

void survey(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto* c = catalog.find(view.consultation, view.version);
  if (!c || view.survey.index >= c->questions.size()) return;
  const auto& q = c->questions[view.survey.index];
  const auto& lang = view.language;
  const auto shown = shown_questions(*c, view.survey.answers);
  const bool last = !shown.empty() && shown.back() == view.survey.index;
  // "Question 4 sur 10" counts every question of the consultation, in its order: the total
  // never changes under the resident's eyes when an answer brings in (or leaves out) a
  // follow-up question; one that is not asked is simply stepped over.
  const std::size_t number = view.survey.index + 1, total = c->questions.size();
  const auto it = view.survey.answers.find(q.id);
  const core::AnswerValue* answer = it == view.survey.answers.end() ? nullptr : &it->second;

  const Spoken question_spoken = spoken_label(view, q.label, q.spoken, q.easy);
  ui.add_reading(question_spoken.text, question_spoken.language);
  for (const auto& o : q.options) ui.add_reading(spoken_label(view, o.label, o.spoken, o.easy).text, question_spoken.language);
  ui.header(shown_label(view, q.label, q.easy), static_cast<float>(number) / static_cast<float>(std::max<std::size_t>(total, 1)),
            ui.f("survey.progress", {{"n", std::to_string(number)}, {"total", std::to_string(total)}}));
  // A short text is one line: ↵ says "Suivant" and moves on.
  const bool typing = q.type == core::QuestionType::short_text;
  const std::string next_label = last ? ui.t("nav.send") : ui.t("nav.next");
  const float reserved = ui.footer_height(next_label) + (typing ? ui.keyboard_height(TextKind::single_line) : 0.0f);
  ui.begin_body(reserved, "question:" + q.id);
  // « Facile à lire »: the question's pictogram first, and each option's beside its words.
  const auto pictogram = [&](const std::string& hash) { return view.easy_read ? ui.picture(hash) : nullptr; };
  // The question's pictogram beside its speaker, at most two fifths of what the body shows at
  // once, never below a finger's size: above a text question the keyboard leaves little room
  // (text at 200 % on a landscape tablet), and the body then scrolls to the field.
  ui.pictured_speaker("question_pictogram", pictogram(q.pictogram),
                      std::min(ui.pictogram_height() * 1.5f, std::max(ui.visible_height() * 0.4f, ui.min_target())),
                      "speak:question", question_spoken.text, question_spoken.language, ui.t("speech.listen"));
  const auto explain = [&] {
    if (!q.help.empty()) ui.hint(q.help.in(lang));
    if (!q.required) ui.hint(ui.t("survey.optional"));
  };
  const auto messages = [&] {
    for (const auto& e : view.errors) ui.error_box(error_sentence(ui, e));
    if (!view.failure.empty()) ui.error_box(ui.t("failure.storage") + "\n" + view.failure);
  };
  if (!typing) {
    explain();
    messages();
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.3f));
  }

  std::string text_answer;
  switch (q.type) {
    case core::QuestionType::single_choice:
    case core::QuestionType::neighbourhood:
    case core::QuestionType::age_bracket:
      for (const auto& o : q.options) {
        const bool selected = answer && std::get_if<std::string>(answer) && *std::get_if<std::string>(answer) == o.id;
        const Spoken said = spoken_label(view, o.label, o.spoken, o.easy);
        if (ui.spoken_choice("answer:" + o.id, shown_label(view, o.label, o.easy), said.text, said.language, selected, false,
                             pictogram(o.pictogram)))
          out.push_back(command::SetAnswer{q.id, core::AnswerValue{o.id}});
      }
      break;
    case core::QuestionType::multiple_choice: {
      std::vector<std::string> chosen;
      if (answer)
        if (auto* ids = std::get_if<std::vector<std::string>>(answer)) chosen = *ids;
      const std::size_t max = q.max_choices ? q.max_choices : q.options.size();
      if (max < q.options.size()) ui.hint(ui.f("survey.max_choices", {{"max", std::to_string(max)}}));
      for (const auto& o : q.options) {
        const auto found = std::find(chosen.begin(), chosen.end(), o.id);
        const bool selected = found != chosen.end();
        const Spoken said = spoken_label(view, o.label, o.spoken, o.easy);
        if (ui.spoken_choice("answer:" + o.id, shown_label(view, o.label, o.easy), said.text, said.language, selected, true,
                             pictogram(o.pictogram))) {
          auto next = chosen;
          if (selected) {
            next.erase(next.begin() + (found - chosen.begin()));
          } else if (next.size() < max) {
            next.push_back(o.id);
          } else {
            // Full: said in words, and nothing is unticked behind the resident's back.
            ui.refuse("survey.max_reached", {{"max", std::to_string(max)}});
            continue;
          }
          // Keep the catalog's order, so the stored answer does not depend on tapping order.
          std::vector<std::string> ordered;
          for (const auto& opt : q.options)
            if (std::find(next.begin(), next.end(), opt.id) != next.end()) ordered.push_back(opt.id);
          if (ordered.empty()) out.push_back(command::SetAnswer{q.id, std::nullopt});
          else out.push_back(command::SetAnswer{q.id, core::AnswerValue{ordered}});
        }
      }
      break;
    }
    case core::QuestionType::scale_1_5:
    case core::QuestionType::smiley: {
      const bool faces = q.type == core::QuestionType::smiley;
      const std::int64_t value = answer && std::get_if<std::int64_t>(answer) ? *std::get_if<std::int64_t>(answer) : 0;
      const float w = ImGui::GetContentRegionAvail().x;
      const float cell = (w - 4 * ui.gap()) / 5.0f;
      // A face as big as the cell allows, and small enough that the row fits the body at once.
      const float face = std::max(ui.unit(), std::min({cell, ui.unit() * 5.0f, ui.visible_height() - ui.unit() * 2.6f}));
      const float h = faces ? face + ui.unit() * 2.6f : ui.touch() * 1.4f;
      // The scale reads in the reader's direction: 1 on the right in Arabic.
      Row row(ui, ui.gap());
      for (int i = 1; i <= 5; ++i) {
        row.next(cell);
        const std::string id = "answer:" + std::to_string(i);
        if (!faces) {
          if (ui.button(id, std::to_string(i), ImVec2(cell, h), value == i ? Tone::selected : Tone::normal))
            out.push_back(command::SetAnswer{q.id, core::AnswerValue{std::int64_t{i}}});
          continue;
        }
        if (ui.button(id, "", ImVec2(cell, h), value == i ? Tone::selected : Tone::quiet))
          out.push_back(command::SetAnswer{q.id, core::AnswerValue{std::int64_t{i}}});
        const ImVec2 a = ImGui::GetItemRectMin();
        const float r = face * 0.38f;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        smiley_face(dl, ImVec2(a.x + cell * 0.5f, a.y + ui.unit() * 0.4f + r), r, i, value == i);
        const std::string& label = ui.t("smiley." + std::to_string(i));
        const float label_px = ImGui::GetFontSize() * 0.85f;
        const ImVec2 size = ui.measure(label, cell - ui.unit() * 0.4f, ImGui::GetFont(), label_px);
        ui.draw_text(dl, ImVec2(a.x + std::max(ui.unit() * 0.2f, (cell - size.x) * 0.5f), a.y + ui.unit() * 0.8f + 2 * r),
                     ui.colours().tone(value == i ? Tone::selected : Tone::quiet).ink, label,
                     cell - ui.unit() * 0.4f, ImGui::GetFont(), label_px);
      }
      break;
    }
    case core::QuestionType::yes_no: {
      const bool has = answer && std::holds_alternative<bool>(*answer);
      const bool yes = has && std::get<bool>(*answer);
      const float w = (ImGui::GetContentRegionAvail().x - ui.gap()) / 2.0f;
      Row row(ui, ui.gap());
      row.next(w);
      if (ui.button("answer:yes", ui.t("answer.yes"), ImVec2(w, ui.touch() * 1.5f), has && yes ? Tone::selected : Tone::normal))
        out.push_back(command::SetAnswer{q.id, core::AnswerValue{true}});
      row.next(w);
      if (ui.button("answer:no", ui.t("answer.no"), ImVec2(w, ui.touch() * 1.5f), has && !yes ? Tone::selected : Tone::normal))
        out.push_back(command::SetAnswer{q.id, core::AnswerValue{false}});
      break;
    }
    case core::QuestionType::short_text:
      if (answer)
        if (auto* s = std::get_if<std::string>(answer)) text_answer = *s;
      ui.text_field("field", text_answer, TextKind::single_line, ui.t("survey.type_here"));
      messages();
      explain();
      break;
  }
  ui.end_body();

  const bool has_answer = answered(view, q);
  const auto nav = ui.footer(true, !q.required, true, has_answer, next_label,
                             q.required ? "survey.refused.required" : "survey.refused.optional");
  if (nav == Ui::Nav::back) out.push_back(command::Back{});
  if (nav == Ui::Nav::skip) out.push_back(command::Skip{});
  if (nav == Ui::Nav::next) out.push_back(command::Next{});
  if (typing) {
    bool enter = false;
    const std::size_t max = q.max_length ? q.max_length : core::limits::short_text;
    if (ui.keyboard(text_answer, TextKind::single_line, max, enter))
      out.push_back(command::SetText{TextField::survey_text, text_answer});
    if (enter) {  // ↵ is "Suivant": the same as the button, refusal included
      if (has_answer) out.push_back(command::Next{});
      else if (!q.required) out.push_back(command::Skip{});  // nothing to say: on to the next
      else ui.refuse("survey.refused.required");
    }
  }
}

}  // namespace allervers::app::screens
