// Telling residents what became of their ideas, in the console (issue 12): the letter per
// quartier (a PDF, server/office/idea_letter.hpp) and the outbox of mails about ideas
// (server/store/mail.hpp, sent by web/idea_mail.hpp's loop) — each mail's state, attempts and
// last error, « Réessayer maintenant ». Addresses stay sealed on these pages: an admin may open
// one (open_contacts), in memory for that page only, and the opening is audited.
//
// Sections: letters · the mail outbox · routes.
#include "allervers/core/idea_review.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/core/contact.hpp"
#include "allervers/server/office/idea_letter.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/idea_mail.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

std::string query_of(const ConsolePage& p, const std::string& name) {
  const auto it = p.request.query.find(name);
  return it == p.request.query.end() ? std::string() : it->second;
}

// --- letters -------------------------------------------------------------------------------

constexpr std::int64_t kCountLimit = 1'000'000;  // counting ideas per quartier: every one

HttpResponse letters_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  json v = tools.base(p, "letters.title", "/office/letters");
  json quartiers = json::array();
  for (const auto& q : catalog.town.neighbourhoods) {
    if (q.outside) continue;
    server::IdeaFilter f;
    f.neighbourhood = q.id;
    f.include_merged = false;
    std::int64_t described = 0;
    const auto all = p.store.idea_count(f);
    for (auto s : core::kAllIdeaStates) {
      if (s == core::IdeaState::recue || s == core::IdeaState::non_recevable) continue;
      f.state = s;
      described += p.store.idea_count(f);
    }
    const std::string label = q.label.in(p.tr.language());
    quartiers.push_back({{"id", q.id},
                         {"label", label},
                         {"ideas", all},
                         {"described", described},
                         {"href", "/office/letter.pdf?quartier=" + query_escape(q.id)},
                         {"link_label", p.tr.format("letters.pdf_of", {{"quartier", label}})}});
  }
  v["quartiers"] = quartiers;
  json consultations = json::array();
  for (const auto* c : catalog.current())
    if (c->ideas.enabled) consultations.push_back({{"id", c->id}, {"label", c->title.in(p.tr.language())}});
  v["consultations"] = consultations;
  return tools.render(p, "letters", v);
}

HttpResponse letter_pdf(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const std::string quartier = query_of(p, "quartier"), consultation = query_of(p, "consultation");
  server::Letter letter;
  try {
    const std::string lang = query_of(p, "lang") == "en" ? "en" : "fr";  // the letter is written in these two
    letter = server::quartier_letter(p.store, catalog, tools.translations(lang), {quartier, consultation}, p.now);
  } catch (const server::LetterError& e) {
    json v = tools.base(p, "letters.title", "/office/letters");
    v["message"] = e.what();
    return tools.render(p, "message", v, 400);
  }
  server::audit(p.store, tools.actor(p), "letter.print", quartier,
                "ideas=" + std::to_string(letter.ideas) + " pages=" + std::to_string(letter.pages) +
                    (consultation.empty() ? "" : " consultation=" + consultation),
                p.now);
  HttpResponse r;
  r.content_type = "application/pdf";
  r.headers["Content-Disposition"] = "attachment; filename=\"" + letter.file_name + "\"";
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.body = std::move(letter.pdf);
  return r;
}

// --- the mail outbox -----------------------------------------------------------------------

constexpr std::int64_t kMailRows = 200;  // the newest; the counts above the table say how many in all

// The loop's reasons for stopping a mail (web/idea_mail.cpp), as the office reads them.
std::string why_text(const core::Translations& tr, const std::string& error) {
  if (error == "unsubscribed") return tr.get("mails.why.unsubscribed");
  if (error == "no contact that opens") return tr.get("mails.why.no_contact");
  if (error == "the contact is a phone number") return tr.get("mails.why.phone");
  if (error == "the idea or its capture is gone") return tr.get("mails.why.gone");
  return error;  // the relay's own words
}

// The page; `opened` is the one mail whose address an admin just opened (capture, state, address).
struct Opened {
  std::string capture, state, address;
};

HttpResponse mails_page_with(const ConsoleTools& tools, ConsolePage& p, const Opened* opened) {
  json v = tools.base(p, "mails.title", "/office/mails");
  const auto counts = p.store.idea_mail_counts();
  v["counts"] = p.tr.format("mails.counts", {{"queued", std::to_string(counts.queued)},
                                             {"failing", std::to_string(counts.failing)},
                                             {"sent", std::to_string(counts.sent)},
                                             {"stopped", std::to_string(counts.stopped)}});
  if (query_of(p, "done") == "retry") v["notice"] = p.tr.get("mails.done.retry");
  const bool may_open = server::allows(p.session->user.role, server::Permission::open_contacts);
  json rows = json::array();
  for (const auto& m : p.store.idea_mails(kMailRows)) {
    const auto idea = p.store.idea(m.capture);
    const auto& town = tools.town_time();
    std::string status_id = server::to_string(m.status), status;
    if (m.status == server::MailStatus::sent) {
      status = p.tr.format("mails.status.sent", {{"when", m.sent_ms ? town.format(*m.sent_ms) : ""}});
    } else if (m.status == server::MailStatus::stopped) {
      status = p.tr.get("mails.status.stopped");
    } else if (m.attempts > 0) {
      status_id = "failing";
      status = p.tr.format("mails.status.failing", {{"when", town.format(m.next_try_ms)}});
    } else {
      status = p.tr.get("mails.status.queued");
    }
    const std::string receipt = idea ? idea->receipt : m.capture;
    json row = {{"capture", m.capture},
                {"state_id", m.state},
                {"receipt", receipt},
                {"title", idea ? idea->title : ""},
                {"href", "/office/idea?id=" + query_escape(m.capture)},
                {"state", p.tr.get("idea.state." + m.state)},
                {"status_id", status_id},
                {"status", status},
                {"attempts", m.attempts},
                {"error", why_text(p.tr, m.last_error)},
                {"created", town.format(m.created_ms)},
                {"may_open", may_open},
                {"open_label", p.tr.format("mails.open_label", {{"receipt", receipt}})},
                {"may_retry", m.status == server::MailStatus::queued},
                {"retry_label", p.tr.format("mails.retry_label", {{"receipt", receipt}})}};
    if (opened && opened->capture == m.capture && opened->state == m.state)
      row["address"] = opened->address.empty() ? p.tr.get("mails.no_address") : opened->address;
    rows.push_back(std::move(row));
  }
  if (!rows.empty())
    v["mails"] = {{"rows", rows}, {"shown", p.tr.format("mails.shown", {{"n", std::to_string(rows.size())}})}};
  return tools.render(p, "mails", v);
}

HttpResponse mails_page(const ConsoleTools& tools, ConsolePage& p) { return mails_page_with(tools, p, nullptr); }

HttpResponse mail_retry(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request);
  const auto mail = p.store.idea_mail(form.get("capture"), form.get("state"));
  if (!mail) return tools.message(p, 404, "mails.title", "mails.error.unknown");
  auto tx = p.store.transaction();
  if (!p.store.retry_idea_mail_now(mail->capture, mail->state, p.now.utc_ms)) return tools.message(p, 409, "mails.title", "mails.error.not_queued");
  const auto idea = p.store.idea(mail->capture);
  server::audit(p.store, tools.actor(p), "mail.retry", idea ? idea->receipt : mail->capture,
                "state=" + mail->state + " attempts=" + std::to_string(mail->attempts), p.now);
  tx.commit();
  HttpResponse r;
  r.status = 303;
  r.headers["Location"] = "/office/mails?done=retry";
  return r;
}

// An admin opens one author's address: in memory for this page (never stored, never cached),
// the opening audited before the page is made.
HttpResponse mail_contact(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request);
  const auto mail = p.store.idea_mail(form.get("capture"), form.get("state"));
  if (!mail) return tools.message(p, 404, "mails.title", "mails.error.unknown");
  const auto body = p.store.capture_body_and_language(mail->capture);
  std::string contact = body ? open_idea_contact(server::office_keys(p.store, p.now), body->first) : std::string();
  auto checked = core::check_contact(contact);
  crypto::wipe(contact);
  Opened opened{mail->capture, mail->state, ""};
  if (checked.contact) {
    opened.address = checked.contact->text;
    crypto::wipe(checked.contact->text);
  }
  const auto idea = p.store.idea(mail->capture);
  server::audit(p.store, tools.actor(p), "contacts.open", idea ? idea->receipt : mail->capture,
                "mail state=" + mail->state + (opened.address.empty() ? " none" : ""), p.now);
  auto page = mails_page_with(tools, p, &opened);
  crypto::wipe(opened.address);
  return page;
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& residents_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/letters", Permission::tell_residents, false, &letters_page},
      {"GET", "/office/letter.pdf", Permission::tell_residents, false, &letter_pdf},
      {"GET", "/office/mails", Permission::tell_residents, false, &mails_page},
      {"POST", "/office/mails/retry", Permission::tell_residents, true, &mail_retry},
      {"POST", "/office/mails/contact", Permission::open_contacts, true, &mail_contact},
  };
  return kRoutes;
}

}  // namespace allervers::web
