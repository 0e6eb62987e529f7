#pragma once
// One screen per file. Each draws from the view-state it is given and appends commands;
// none opens SQL, files or sockets, and none holds state of its own.
#include "allervers/app/commands.hpp"
#include "allervers/app/ui.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/core/consultation.hpp"

namespace allervers::app::screens {

void status_line(const ViewState& view, Ui& ui);                  // agent mode, top of every screen
void status_panel(const ViewState& view, Ui& ui);                 // the staff screen's fuller view
void welcome(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void consultation_choice(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void activity_choice(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void survey(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void idea(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void thanks(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void pin(const ViewState& view, Ui& ui, Commands& out, std::int64_t now_ms);
void staff(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void idle_overlay(const ViewState& view, Ui& ui, Commands& out);
void quit_confirmation(const ViewState& view, Ui& ui, Commands& out);
void sign_in(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out,
             std::int64_t now_ms);
void sign_in_form(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void pass_issued(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void enrol(const ViewState& view, const CameraView& camera, Ui& ui, Commands& out);
void vote(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out);
void vote_results(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out);
void follow(const ViewState& view, const core::Catalog& catalog, const CameraView& camera, Ui& ui, Commands& out);
// The camera picture (or a grey box saying why there is none) with a framing guide.
void camera_preview(const CameraView& camera, Ui& ui, ImVec2 size);
// The consultation's online page as a QR code with its title ("online.title" …) beside it.
void online_qr(Ui& ui, const std::string& url, const std::string& title_key);
// "mardi 10 décembre · 18:00" from "2026-12-10T18:00", in the screen's language.
std::string format_assembly_date(const Ui& ui, const std::string& date);

// "1 novembre 2026" from "2026-11-01", in the screen's language.
std::string format_day(const Ui& ui, const std::string& day);
// "Toute la ville", "Quartier Gare": a vote's envelope by its quartier ("" the whole town).
std::string envelope_name(const Ui& ui, const core::Catalog& catalog, const std::string& neighbourhood,
                          const std::string& language);
// Read-aloud and the welcome screen's accessibility toggles (read_aloud.cpp).
struct Spoken {
  std::string text, language;  // language: the one the text is really in (French when it fell back)
};
// What a speaker says for `label`: its spoken form in `language` when the catalog gives one,
// else the label itself, in the language it is really written in.
Spoken spoken_form(const core::LocalizedText& label, const core::LocalizedText& spoken, const std::string& language);
// What a question or option shows: its easy-read wording in the « Facile à lire » mode when
// the catalog has one in `language`, else its label.
const std::string& shown_label(const ViewState& view, const core::LocalizedText& label, const core::LocalizedText& easy);
// What its speaker says: the easy-read wording when shown, else spoken_form().
Spoken spoken_label(const ViewState& view, const core::LocalizedText& label, const core::LocalizedText& spoken,
                    const core::LocalizedText& easy);
// The « audio », « Facile à lire » and high-contrast toggles (and why audio is unavailable,
// without a device).
void accessibility_toggles(const ViewState& view, Ui& ui, Commands& out);

// Shared wording helpers.
std::string error_sentence(const Ui& ui, const core::ValidationError& error);
std::string format_euros(std::int64_t amount, const std::string& language);
std::string format_local_time(const core::Instant& when, const core::Instant& now);

}  // namespace allervers::app::screens
