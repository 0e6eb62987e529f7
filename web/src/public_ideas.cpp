// What became of residents' ideas and votes, on the public pages (issues 12 and 13; docs/web.md,
// "Following an idea, public ideas, results"). Nothing personal is shown: no author, no contact,
// no internal notes, no assignee — only the idea's own text once the town made it public, its
// state, the town's public answer and milestones.
//
// Sections: helpers (dates, money, states) · following an idea (/suivi) · public ideas (/idees)
// and their photos · media (/media: pictures of projects, pictograms) · votes (/votes: the
// projects, results, a ballot's receipt) · routes.
#include <algorithm>
#include <array>

#include "allervers/core/idea_review.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/core/vote.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/media.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/server/office/idea_letter.hpp"
#include "public_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// --- helpers -------------------------------------------------------------------------------

// The states an idea is shown in on /idees: once the town found it admissible. "reçue" is not
// yet read, "non recevable" may be off-topic or hurtful; both stay visible to their author by
// the receipt code only (docs/decisions.md).
bool is_public_state(core::IdeaState s) { return s != core::IdeaState::recue && s != core::IdeaState::non_recevable; }

std::string state_label(const core::Translations& tr, core::IdeaState s) { return tr.get(std::string("public.state.") + core::to_string(s)); }

std::string euros(std::int64_t amount) { return server::french_euros(amount); }

std::string quartier_label(const PublicPageTools& t, const std::string& id) {
  for (const auto& o : t.catalog.town.neighbourhoods)
    if (o.id == id) return o.label.in(t.tr.language());
  return id;
}

std::string query(const PublicPageTools& t, const char* name) {
  auto it = t.request.query.find(name);
  return it == t.request.query.end() ? std::string() : it->second;
}

json milestone_values(const PublicPageTools& t, const std::string& idea_id, const std::vector<server::IdeaMilestone>& milestones) {
  json out = json::array();
  for (const auto& m : milestones) {
    json v = {{"day", m.day}, {"day_label", core::long_day(t.tr, m.day)}, {"text", m.text}};
    if (!m.photo.empty()) {
      v["photo"] = "/idees/" + idea_id + "/jalons/" + std::to_string(m.n);
      v["photo_alt"] = t.tr.format("public.milestone.photo_alt", {{"day", core::long_day(t.tr, m.day)}});
    }
    out.push_back(std::move(v));
  }
  return out;
}

HttpResponse image(std::string type, std::string bytes) {
  HttpResponse r;
  r.content_type = std::move(type);
  r.body = std::move(bytes);
  add_security_headers(r, Caching::revalidate);
  return r;
}

// --- following an idea (/suivi) ------------------------------------------------------------

HttpResponse follow(PublicPageTools& t) {
  json v = t.base(t.tr.get("public.follow.title"));
  const std::string typed = query(t, "code");
  v["code"] = typed;
  if (!typed.empty()) {
    const auto code = core::read_receipt_code(typed);
    std::vector<server::IdeaOutcome> found;
    if (code) found = t.store.ideas_by_receipt(*code);
    if (found.empty()) {
      v["error"] = code ? t.tr.format("public.follow.unknown", {{"code", *code}}) : t.tr.get("public.follow.not_a_code");
      return t.render("follow", v, code ? 404 : 400);
    }
    v["shown_code"] = *code;
    json ideas = json::array();
    for (const auto& o : found) {
      json i = {{"title", o.title},
                {"state", core::to_string(o.state)},
                {"state_label", state_label(t.tr, o.state)},
                {"state_text", t.tr.get(std::string("public.state_text.") + core::to_string(o.state))},
                {"answer", o.public_answer}};
      if (!o.merged_into_title.empty()) i["merged"] = t.tr.format("public.follow.merged", {{"title", o.merged_into_title}});
      if (!o.milestones.empty()) i["milestones"] = milestone_values(t, o.kept_id, o.milestones);
      if (is_public_state(o.state)) i["public_href"] = "/idees/" + o.kept_id;
      ideas.push_back(std::move(i));
    }
    v["ideas"] = ideas;
    if (found.size() > 1) v["shared"] = t.tr.get("public.follow.shared");
  }
  return t.render("follow", v, 200);
}

// --- public ideas (/idees) -----------------------------------------------------------------

std::optional<server::IdeaRow> public_idea(PublicPageTools& t, const std::string& id) {
  if (!core::Uuid::parse(id)) return std::nullopt;
  auto idea = t.store.idea(id);
  if (!idea || !idea->merged_into.empty() || !is_public_state(idea->state)) return std::nullopt;
  return idea;
}

json idea_card(PublicPageTools& t, const server::IdeaRow& idea) {
  return {{"title", idea.title},
          {"href", "/idees/" + idea.id},
          {"quartier", quartier_label(t, idea.neighbourhood)},
          {"state", core::to_string(idea.state)},
          {"state_label", state_label(t.tr, idea.state)}};
}

// At most this many on the list, newest first (a town's year of ideas is a few hundred).
constexpr std::int64_t kIdeasListed = 500;

HttpResponse ideas_list(PublicPageTools& t) {
  json v = t.base(t.tr.get("public.ideas.title"));
  const std::string quartier = query(t, "quartier");
  server::IdeaFilter f;
  f.include_merged = false;
  if (!quartier.empty()) f.neighbourhood = quartier;
  auto rows = t.store.ideas(f, 100'000);
  std::reverse(rows.begin(), rows.end());
  json list = json::array();
  for (const auto& idea : rows) {
    if (!is_public_state(idea.state)) continue;
    if (static_cast<std::int64_t>(list.size()) == kIdeasListed) break;
    list.push_back(idea_card(t, idea));
  }
  json quartiers = json::array();
  for (const auto& o : t.catalog.town.neighbourhoods)
    if (!o.outside) quartiers.push_back({{"value", o.id}, {"label", o.label.in(t.tr.language())}, {"selected", o.id == quartier}});
  v["quartiers"] = quartiers;
  if (!list.empty()) v["ideas"] = list;
  v["count"] = t.tr.format("public.ideas.count", {{"n", std::to_string(list.size())}});
  return t.render("ideas", v, 200);
}

HttpResponse idea_page(PublicPageTools& t, const std::string& id) {
  const auto idea = public_idea(t, id);
  if (!idea) return t.message(404, "public.not_found.title", t.tr.get("public.ideas.not_public"));
  json v = t.base(idea->title);
  json i = idea_card(t, *idea);
  i["description"] = idea->description;
  i["answer"] = idea->public_answer;
  i["state_text"] = t.tr.get(std::string("public.state_text.") + core::to_string(idea->state));
  if (t.store.idea_photo(idea->id)) {
    i["photo"] = "/idees/" + idea->id + "/photo";
    i["photo_alt"] = t.tr.format("public.ideas.photo_alt", {{"title", idea->title}});
  }
  // The project made of it, in a vote published: its picture (the town's), with what it shows.
  for (const auto& vote : t.catalog.votes)
    for (const auto& project : vote.projects)
      if (project.idea == idea->id && !project.picture.empty() && !i.contains("project_picture")) {
        i["project_picture"] = "/media/" + project.picture;
        i["project_picture_alt"] = !project.picture_alt.empty() ? project.picture_alt.in(t.tr.language())
                                                                : t.tr.format("public.votes.picture_alt", {{"title", project.title.in(t.tr.language())}});
        i["project_vote"] = "/votes/" + vote.id;
      }
  const auto milestones = t.store.idea_milestones(idea->id);
  if (!milestones.empty()) i["milestones"] = milestone_values(t, idea->id, milestones);
  const auto merged = t.store.ideas_merged_into(idea->id);
  if (merged > 0) i["merged"] = t.tr.format("public.ideas.merged_count", {{"n", std::to_string(merged + 1)}});
  v["idea"] = i;
  return t.render("idea_public", v, 200);
}

HttpResponse idea_photo(PublicPageTools& t, const std::string& id) {
  const auto idea = public_idea(t, id);
  auto photo = idea ? t.store.idea_photo(id) : std::nullopt;
  if (!photo) return t.message(404, "public.not_found.title", t.tr.get("public.not_found"));
  return image(photo->content_type, std::move(photo->data));
}

HttpResponse milestone_photo(PublicPageTools& t, const std::string& id, const std::string& n) {
  if (const auto idea = public_idea(t, id))
    for (const auto& m : t.store.idea_milestones(id))
      if (std::to_string(m.n) == n && !m.photo.empty())
        if (auto bytes = crypto::from_base64(m.photo)) return image(m.photo_type, std::string(bytes->begin(), bytes->end()));
  return t.message(404, "public.not_found.title", t.tr.get("public.not_found"));
}

// --- media (/media/HASH) --------------------------------------------------------------------

// A media file the published catalog makes public (a project's picture of a vote published, a
// pictogram): immutable, as its name is its content. Any other — a draft's picture — is not found.
HttpResponse public_media(PublicPageTools& t, const std::string& hash) {
  auto file = core::is_media_hash(hash) && server::media_is_public(t.catalog, hash) ? t.store.media(hash) : std::nullopt;
  if (!file) return t.message(404, "public.not_found.title", t.tr.get("public.not_found"));
  auto r = server::media_response(*file, t.request.header("if-none-match"), true);
  add_security_headers(r, Caching::immutable);
  return r;
}

// --- votes (/votes) ------------------------------------------------------------------------

HttpResponse votes_list(PublicPageTools& t) {
  json v = t.base(t.tr.get("public.votes.title"));
  json list = json::array();
  for (const auto& vote : t.catalog.votes)
    list.push_back({{"title", vote.title.in(t.tr.language())},
                    {"summary", vote.summary.in(t.tr.language())},
                    {"href", "/votes/" + vote.id},
                    {"status", t.tr.get(vote.results ? "public.votes.results_published"
                                                     : vote.state == core::VoteState::open ? "public.votes.open" : "public.votes.closed")}});
  if (!list.empty()) v["votes"] = list;
  return t.render("votes", v, 200);
}

HttpResponse vote_page(PublicPageTools& t, const std::string& id) {
  const core::Vote* vote = t.catalog.find_vote(id);
  if (!vote) return t.message(404, "public.not_found.title", t.tr.get("public.not_found"));
  const std::string& lang = t.tr.language();
  json v = t.base(vote->title.in(lang));
  v["summary"] = vote->summary.in(lang);
  v["dates"] = t.tr.format("public.votes.dates", {{"opens", core::long_day(t.tr, vote->opens)}, {"closes", core::long_day(t.tr, vote->closes)}});
  // What is voted on: each project with its picture (its alt text the coordinator's words, else
  // its title said as a picture's).
  json offered = json::array();
  for (const auto& project : vote->projects) {
    json p = {{"title", project.title.in(lang)},
              {"summary", project.summary.in(lang)},
              {"cost", euros(project.cost_eur)},
              {"quartier", project.neighbourhood.empty() ? t.tr.get("public.votes.town_wide") : quartier_label(t, project.neighbourhood)}};
    if (!project.picture.empty()) {
      p["picture"] = "/media/" + project.picture;
      p["picture_alt"] = !project.picture_alt.empty() ? project.picture_alt.in(lang)
                                                      : t.tr.format("public.votes.picture_alt", {{"title", project.title.in(lang)}});
    }
    offered.push_back(std::move(p));
  }
  v["has_projects"] = !offered.empty();
  v["projects"] = offered;
  if (!vote->results) {
    v["no_results"] = t.tr.get(vote->state == core::VoteState::open ? "public.votes.not_yet" : "public.votes.counting");
    return t.render("vote", v, 200);
  }
  const auto& results = *vote->results;
  v["participation"] = t.tr.format("public.votes.participation", {{"n", std::to_string(results.counted)}});
  json envelopes = json::array();
  for (const auto& e : results.envelopes) {
    json projects = json::array(), winners = json::array();
    for (const auto& pr : e.projects) {
      const auto* project = vote->find_project(pr.project);
      const std::string title = project ? project->title.in(lang) : pr.project;
      json p = {{"title", title},
                {"votes", t.tr.format("public.votes.votes", {{"n", std::to_string(pr.votes)}})},
                {"cost", project ? euros(project->cost_eur) : std::string()},
                {"winner", pr.winner}};
      if (pr.winner) winners.push_back(p);
      projects.push_back(std::move(p));
    }
    envelopes.push_back({{"name", e.neighbourhood.empty() ? t.tr.get("public.votes.town_wide") : quartier_label(t, e.neighbourhood)},
                         {"amount", t.tr.format("public.votes.envelope", {{"amount", euros(e.amount_eur)}, {"allotted", euros(e.allotted_eur)}})},
                         {"ballots", t.tr.format("public.votes.envelope_ballots", {{"n", std::to_string(e.ballots)}})},
                         {"projects", projects},
                         {"winners", winners}});
  }
  v["envelopes"] = envelopes;
  return t.render("vote", v, 200);
}

HttpResponse vote_receipt(PublicPageTools& t) {
  json v = t.base(t.tr.get("public.receipt.title"));
  const std::string typed = query(t, "code");
  v["code"] = typed;
  if (!typed.empty()) {
    const auto check = t.store.find_receipt(typed);
    const std::string shown = core::normal_receipt(typed).empty() ? typed : core::shown_receipt(core::normal_receipt(typed));
    const char* key = check.state == server::ReceiptState::counted       ? "public.receipt.counted"
                      : check.state == server::ReceiptState::not_counted ? "public.receipt.not_counted"
                                                                         : "public.receipt.unknown";
    std::string vote_title;
    if (const auto* vote = t.catalog.find_vote(check.vote)) vote_title = vote->title.in(t.tr.language());
    v["result"] = {{"state", server::to_string(check.state)}, {"text", t.tr.format(key, {{"code", shown}, {"vote", vote_title}})}};
  }
  return t.render("receipt", v, 200);
}

// --- unsubscribing (/desabonnement) ----------------------------------------------------------

// The mail's link opens a page with one button (a link scanner's GET changes nothing); the
// button, or a mail client's one-click POST (RFC 8058), stops every later mail about the idea.
HttpResponse unsubscribe(PublicPageTools& t, bool confirm) {
  std::string token = query(t, "t");
  if (confirm) {
    try {
      const auto form = parse_form(t.request, FormLimits{.max_fields = 4, .max_name_bytes = 40, .max_value_bytes = 2048, .max_files = 0, .max_file_bytes = 0});
      if (form.has("t")) token = form.get("t");
    } catch (const FormError&) {
    }
  }
  const auto payload = t.signer().open(token_purposes::unsubscribe, token);
  if (!payload || !(*payload)["c"].is_string()) return t.message(400, "public.form_refused.title", t.tr.get("public.unsubscribe.invalid"));
  const std::string capture = (*payload)["c"].get<std::string>();
  const auto idea = t.store.idea(capture);
  if (!idea) return t.message(404, "public.not_found.title", t.tr.get("public.unsubscribe.invalid"));
  if (!confirm) {
    json v = t.base(t.tr.get("public.unsubscribe.title"));
    v["intro"] = t.tr.format("public.unsubscribe.intro", {{"title", idea->title}});
    v["token"] = token;
    return t.render("unsubscribe", v, 200);
  }
  auto tx = t.store.transaction();
  const bool added = t.store.stop_idea_mails(capture, t.now.utc_ms);
  if (added) server::audit(t.store, {"resident", "public"}, "mail.unsubscribe", idea->receipt, "", t.now);
  tx.commit();
  return t.message(200, "public.unsubscribe.title", t.tr.get("public.unsubscribe.done"));
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

std::optional<HttpResponse> route_public_ideas(PublicPageTools& t, const std::vector<std::string>& s) {
  if (s.size() == 1 && s[0] == "desabonnement" && t.request.method == "POST") return unsubscribe(t, true);
  if (t.request.method != "GET" && t.request.method != "HEAD") return std::nullopt;
  if (s.size() == 1 && s[0] == "desabonnement") return unsubscribe(t, false);
  if (s.size() == 1 && s[0] == "suivi") return follow(t);
  if (!s.empty() && s[0] == "idees") {
    if (s.size() == 1) return ideas_list(t);
    if (s.size() == 2) return idea_page(t, s[1]);
    if (s.size() == 3 && s[2] == "photo") return idea_photo(t, s[1]);
    if (s.size() == 4 && s[2] == "jalons") return milestone_photo(t, s[1], s[3]);
  }
  if (s.size() == 2 && s[0] == "media") return public_media(t, s[1]);
  if (!s.empty() && s[0] == "votes") {
    if (s.size() == 1) return votes_list(t);
    if (s.size() == 2 && s[1] == "recu") return vote_receipt(t);
    if (s.size() == 2) return vote_page(t, s[1]);
  }
  return std::nullopt;
}

std::optional<std::string> known_idea_receipt(server::ServerStore& store, const std::string& typed) {
  const auto code = core::read_receipt_code(typed);
  if (!code || store.idea_ids_with_receipt(*code).empty()) return std::nullopt;
  return code;
}

}  // namespace allervers::web
