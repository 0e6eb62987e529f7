// The assembly desk: the assembly (chosen by staff), the head count, the camera picture with a
// framing guide, and the verdict of the last pass — big, coloured, readable from a step away.
// Hand scanners need no field: the App feeds their bursts to the Engine. Without a camera the
// desk says so and still takes hand scanners and typed fallback codes.
//
// Sections: shared helpers (date, camera preview) · the assembly list · the desk.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <utility>

#include "screens/screens.hpp"

namespace allervers::app::screens {

// --- shared helpers ----------------------------------------------------------------------

std::string format_assembly_date(const Ui& ui, const std::string& date) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (std::sscanf(date.c_str(), "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12) return date;
  // Zeller-style day of the week (0 = Sunday), Gregorian calendar.
  const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  const int yy = mo < 3 ? y - 1 : y;
  const int dow = (yy + yy / 4 - yy / 100 + yy / 400 + t[mo - 1] + d) % 7;
  char time[8];
  std::snprintf(time, sizeof time, "%02d:%02d", h, mi);
  return ui.f("date.long", {{"weekday", ui.t("date.weekday." + std::to_string(dow))},
                            {"day", std::to_string(d)},
                            {"month", ui.t("date.month." + std::to_string(mo))},
                            {"time", time}});
}

void camera_preview(const CameraView& camera, Ui& ui, ImVec2 size) {
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const ImVec2 b(a.x + size.x, a.y + size.y);
  ImGui::Dummy(size);
  ui.record("camera", ItemKind::picture);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& p = ui.colours();
  dl->AddRectFilled(a, b, p.camera_bg, ui.unit() * 0.4f);
  if (camera.texture && camera.width > 0 && camera.height > 0) {
    // Fill the box, cropping the camera's longer side (centred), mirrored like a mirror so a
    // person moves their pass the way they expect.
    const float box = size.x / size.y, frame = static_cast<float>(camera.width) / static_cast<float>(camera.height);
    float u0 = 0, u1 = 1, v0 = 0, v1 = 1;
    if (frame > box) {
      const float keep = box / frame;
      u0 = (1 - keep) * 0.5f;
      u1 = 1 - u0;
    } else {
      const float keep = frame / box;
      v0 = (1 - keep) * 0.5f;
      v1 = 1 - v0;
    }
    dl->AddImageRounded(camera.texture, a, b, ImVec2(u1, v0), ImVec2(u0, v1), IM_COL32_WHITE, ui.unit() * 0.4f);
  }
  const float pad = ui.unit();
  if (!camera.problem.empty() || !camera.texture) {
    // No picture: say so plainly, big, then what to check and what still works, in the
    // person's language (the camera's own words — an English sentence naming a device file —
    // are for the log, not for the person holding the tablet).
    ImFont* title = ui.fonts().title;
    const std::string head = ui.t(camera.problem.empty() ? "camera.starting" : "camera.none");
    const ImVec2 hs = ui.measure(head, size.x - 2 * pad, title);
    ui.draw_text(dl, ImVec2(a.x + pad, a.y + pad), p.camera_ink, head, size.x - 2 * pad, title);
    if (camera.problem.empty()) {
      ui.set_text(head);  // the words drawn here are the item's words (tests read them)
      return;
    }
    const std::string text = ui.t("camera.check") + "\n\n" + ui.t("camera.fallback");
    ui.set_text(head + "\n" + text);
    ui.draw_text(dl, ImVec2(a.x + pad, a.y + pad * 2 + hs.y), p.camera_muted, text, size.x - 2 * pad);
    return;
  }
  // The framing guide: four corners of a square where the code should go.
  const float side = std::min(size.x, size.y) * 0.62f;
  const ImVec2 c((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
  const ImVec2 g0(c.x - side * 0.5f, c.y - side * 0.5f), g1(c.x + side * 0.5f, c.y + side * 0.5f);
  const float arm = side * 0.18f, thick = std::max(4.0f, ui.unit() * 0.3f);
  // Yellow on a dark outline: visible over a white pass and over a dark room alike.
  const ImVec2 corners[4] = {g0, ImVec2(g1.x, g0.y), g1, ImVec2(g0.x, g1.y)};
  for (const auto& [colour, width] : {std::pair{p.guide_shadow, thick * 1.8f}, std::pair{p.guide, thick}}) {
    for (int i = 0; i < 4; ++i) {
      const ImVec2 corner = corners[i];
      const float dx = (i == 0 || i == 3) ? arm : -arm, dy = (i < 2) ? arm : -arm;
      const float ox = (i == 0 || i == 3) ? -width * 0.5f : width * 0.5f, oy = (i < 2) ? -width * 0.5f : width * 0.5f;
      dl->AddLine(ImVec2(corner.x + ox, corner.y), ImVec2(corner.x + dx, corner.y), colour, width);
      dl->AddLine(ImVec2(corner.x, corner.y + oy), ImVec2(corner.x, corner.y + dy), colour, width);
    }
  }
  const std::string hint = ui.t("camera.hint");
  ui.set_text(hint);
  const ImVec2 ts = ui.measure(hint, size.x - 2 * pad);
  dl->AddRectFilled(ImVec2(a.x, b.y - ts.y - pad), b, p.camera_caption, ui.unit() * 0.4f, ImDrawFlags_RoundCornersBottom);
  ui.draw_text(dl, ImVec2(a.x + std::max(pad, (size.x - ts.x) * 0.5f), b.y - ts.y - pad * 0.5f), p.camera_ink, hint,
               size.x - 2 * pad);
}

namespace {

const ToneColours& verdict_colours(const Palette& p, VerdictKind kind) {
  switch (kind) {
    case VerdictKind::welcome: return p.verdict_welcome;
    case VerdictKind::already_signed_in: return p.verdict_already;
    case VerdictKind::refused: return p.verdict_refused;
  }
  return p.verdict_none;
}

// The verdict panel: headline in the huge font, the reason under it.
void verdict_panel(const ViewState& view, Ui& ui, ImVec2 size) {
  const auto& s = view.sign_in;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const ImVec2 b(a.x + size.x, a.y + size.y);
  ImGui::Dummy(size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = ui.unit();
  const float wrap = size.x - 2 * pad;
  std::string headline, detail;
  const ToneColours* colours = &ui.colours().verdict_none;
  if (!s.verdict) {
    headline = ui.t("signin.ready");
    detail = ui.t("signin.ready_hint");
    ui.record("verdict:none", ItemKind::panel);
  } else {
    const auto& v = *s.verdict;
    colours = &verdict_colours(ui.colours(), v.kind);
    switch (v.kind) {
      case VerdictKind::welcome:
        headline = ui.t("signin.welcome");
        detail = ui.t(v.typed ? "signin.typed_note" : "signin.welcome_detail");
        break;
      case VerdictKind::already_signed_in:
        headline = ui.f("signin.already", {{"time", v.time}});
        detail = ui.t("signin.already_detail");
        break;
      case VerdictKind::refused: {
        headline = ui.t("signin.refused");
        const std::string key = "signin.problem." + v.problem;
        detail = ui.translations().has(key) ? ui.t(key) : v.detail;
        if (v.problem == "not_recorded" && !v.detail.empty()) detail += "\n" + v.detail;
        break;
      }
    }
    ui.record(std::string("verdict:") + (v.kind == VerdictKind::welcome            ? "welcome"
                                         : v.kind == VerdictKind::already_signed_in ? "already"
                                                                                     : "refused"),
              ItemKind::panel);
    // The colour is the desk's glance from afar; the headline says the verdict in words.
    ui.mark(std::string(v.kind == VerdictKind::welcome ? "welcome" : v.kind == VerdictKind::already_signed_in ? "already here" : "refused"),
            "words: " + headline);
  }
  const ImU32 ink = colours->ink;
  dl->AddRectFilled(a, b, colours->bg, ui.unit() * 0.5f);
  if (colours->border) dl->AddRect(a, b, colours->border, ui.unit() * 0.5f, 0, std::max(1.0f, ui.scale()));
  ImFont* huge = ui.fonts().huge;
  // The words as big as fit the panel (large text sizes on a small panel step them down).
  float huge_px = huge->FontSize, detail_px = ImGui::GetFontSize() * 1.2f;
  ImVec2 hs, ds;
  float total = 0;
  for (int attempt = 0; attempt < 16; ++attempt) {
    hs = ui.measure(headline, wrap, huge, huge_px);
    ds = ui.measure(detail, wrap, ImGui::GetFont(), detail_px);
    total = hs.y + (detail.empty() ? 0 : pad + ds.y);
    if (total <= size.y - 2 * pad && std::max(hs.x, ds.x) <= wrap + 1.0f) break;
    huge_px *= 0.9f;
    // The reason may go a little under the body's size (at 200 % on a portrait tablet a long
    // Spanish or Portuguese reason needs it), never under 0.65 of it.
    detail_px = std::max(detail_px * 0.9f, ImGui::GetFontSize() * 0.65f);
  }
  const float y = a.y + std::max(pad, (size.y - total) * 0.5f);
  ui.draw_text(dl, ImVec2(a.x + pad, y), ink, headline, wrap, huge, huge_px);
  ui.set_content(ImVec2(a.x + pad, y), ImVec2(a.x + pad + std::max(hs.x, ds.x), y + total));
  if (!detail.empty())
    ui.draw_text(dl, ImVec2(a.x + pad, y + hs.y + pad), ink, detail, wrap, ImGui::GetFont(), detail_px);
}

// --- the assembly list -------------------------------------------------------------------

void assembly_list(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  ui.header(ui.t("signin.choose_assembly"));
  ui.begin_body(ui.footer_height(ui.t("signin.staff")), "signin-list");
  if (catalog.assemblies.empty()) ui.hint(ui.t("signin.no_assemblies"));
  for (const auto& a : catalog.assemblies)
    if (ui.card("assembly:" + a.id, a.name.in(view.language), format_assembly_date(ui, a.date) + "\n" + a.place))
      out.push_back(command::ChooseAssembly{a.id});
  ui.end_body();
  if (ui.footer(false, false, true, true, ui.t("signin.staff")) == Ui::Nav::next) out.push_back(command::OpenStaff{});
}

}  // namespace

// --- the desk ----------------------------------------------------------------------------

namespace {

// The assembly, when and where, the head count to the right, and what staff must know.
void desk_header(const ViewState& view, const core::Assembly& assembly, Ui& ui) {
  const auto& s = view.sign_in;
  const float top_y = ImGui::GetCursorPosY();
  const std::string count = std::to_string(s.head_count);
  const std::string people = ui.t(s.head_count > 1 ? "signin.people" : "signin.person");
  ImFont* title = ui.fonts().title;
  const float count_w = std::max(title->CalcTextSizeA(title->FontSize * 1.4f, FLT_MAX, 0, count.c_str()).x,
                                 ImGui::CalcTextSize(people.c_str()).x) + ui.unit();
  const float avail_w = ImGui::GetContentRegionAvail().x;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + avail_w - count_w);
  ui.heading(assembly.name.in(view.language));
  ui.hint(ui.join({format_assembly_date(ui, assembly.date), assembly.place}, " · "));
  ImGui::PopTextWrapPos();
  const float text_bottom = ImGui::GetCursorPosY();
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 w = ImGui::GetWindowPos();
    const float x = w.x + ImGui::GetCursorPosX() + avail_w - count_w + ui.unit();
    const float y = w.y + top_y - ImGui::GetScrollY();
    ui.draw_text(dl, ImVec2(x, y), ui.colours().count, count, 0, title, title->FontSize * 1.4f);
    ui.draw_text(dl, ImVec2(x, y + title->FontSize * 1.4f), ui.colours().muted, people, 0);
  }
  ImGui::SetCursorPosY(std::max(text_bottom, top_y + title->FontSize * 1.4f + ImGui::GetTextLineHeightWithSpacing()));
  if (s.other_day) ui.warning_box(ui.f("signin.other_day", {{"date", format_assembly_date(ui, assembly.date)}}));
  if (!s.verifier_problem.empty()) ui.error_box(ui.t(s.verifier_problem));
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.3f));
}

}  // namespace

void sign_in(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out,
             std::int64_t) {
  const auto& s = view.sign_in;
  const core::Assembly* assembly = catalog.find_assembly(s.assembly);
  if (!assembly) {
    assembly_list(view, catalog, ui, out);
    return;
  }
  // The footer's buttons, sized for their labels (they wrap at large text sizes).
  const float w = ImGui::GetContentRegionAvail().x;
  const float staff_w = std::min(ui.unit() * 8.0f, w * 0.3f);
  const float slot = (w - staff_w - 2 * ui.gap()) / 2.0f;
  const std::string first = s.typing_code ? "‹ " + ui.t("nav.back") : ui.t("signin.without_pass");
  const std::string second = s.typing_code ? ui.t("signin.typed_submit") : ui.t("signin.typed_code");
  const std::string staff = ui.t("signin.staff");
  const float row_h = std::max({ui.button_height(first, slot, ui.compact()), ui.button_height(second, slot, ui.compact()),
                                ui.button_height(staff, staff_w, ui.compact())});
  const float row_reserve = ui.gap() * 0.5f + row_h + 3.0f * ImGui::GetStyle().ItemSpacing.y;

  const float reserved = row_reserve + (s.typing_code ? ui.keyboard_height(TextKind::code) : 0.0f);
  ui.begin_body(reserved, s.typing_code ? "signin-code" : "signin");
  if (s.typing_code) {
    // Typing a code: the field right under its title, above the codes keypad.
    ui.heading(ui.t("signin.typed_title"));
    ui.text_field("fallback_code", s.typed_code, TextKind::code, "K7QM-2XPA-9D4");
    if (s.verdict && s.verdict->kind == VerdictKind::refused && s.verdict->typed) {
      // Said to the person typing: what to check, never "type the fallback code".
      const std::string key = "signin.typed_problem." + s.verdict->problem;
      ui.error_box(ui.translations().has(key) ? ui.t(key) : ui.t("signin.typed_problem.other"));
    }
    ui.hint(ui.t("signin.typed_hint"));
  } else {
    desk_header(view, *assembly, ui);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (avail.x > avail.y * 1.2f) {
      // Landscape: the camera on the left, the verdict on the right, side by side.
      const float h = std::max(avail.y - ImGui::GetStyle().ItemSpacing.y, ui.touch() * 3);
      const float cam_w = std::min((avail.x - ui.gap()) * 0.5f, h * 1.25f);
      camera_preview(camera, ui, ImVec2(cam_w, h));
      ImGui::SameLine(0, ui.gap());
      verdict_panel(view, ui, ImVec2(ImGui::GetContentRegionAvail().x, h));
    } else {
      // Portrait: the verdict above the camera.
      const float h = std::max(avail.y - 2 * ImGui::GetStyle().ItemSpacing.y, ui.touch() * 6);
      verdict_panel(view, ui, ImVec2(avail.x, h * 0.4f));
      camera_preview(camera, ui, ImVec2(avail.x, h * 0.6f));
    }
  }
  ui.end_body();

  // Footer: sign in without a pass (the main alternative), the fallback code, staff.
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  Row row(ui, ui.gap());
  row.next(slot);
  if (s.typing_code) {
    if (ui.button("typed_cancel", first, ImVec2(slot, row_h))) out.push_back(command::OpenTypedCode{false});
    row.next(slot);
    if (ui.button("typed_submit", second, ImVec2(slot, row_h), Tone::primary, s.typed_code.size() >= 8,
                  "signin.refused.code_short"))
      out.push_back(command::SubmitTypedCode{});
  } else {
    if (ui.button("without_pass", first, ImVec2(slot, row_h), Tone::primary)) out.push_back(command::SignInWithoutPass{});
    row.next(slot);
    if (ui.button("typed_code", second, ImVec2(slot, row_h))) out.push_back(command::OpenTypedCode{true});
  }
  row.next(staff_w);
  if (ui.button("staff", staff, ImVec2(staff_w, row_h), Tone::quiet)) out.push_back(command::OpenStaff{});
  if (s.typing_code) {
    std::string entry = s.typed_code;
    bool enter = false;
    if (ui.keyboard(entry, TextKind::code, 16, enter, ui.t("signin.typed_submit_key")))
      out.push_back(command::SetText{TextField::fallback_code, entry});
    if (enter) {
      if (s.typed_code.size() >= 8) out.push_back(command::SubmitTypedCode{});
      else ui.refuse("signin.refused.code_short");
    }
  }
}

}  // namespace allervers::app::screens
