// The console's participatory-budget votes: the list; a draft written and changed (texts, dates,
// the rule and its numbers, envelopes per quartier, minimum age, projects — prefilled from the
// ideas « soumise au vote » on request); opened and closed (each a catalog publication devices
// receive at their next sync); the count (votes per project, winners per envelope, the
// tie-break said in a sentence), participation by channel and device, the flagged later
// ballots with both devices (never counted), a receipt looked up; the results exported (CSV,
// XLSX) and published (devices' results screen, public pages). Every change and every export
// is audited in the transaction of what it records.
//
// Who: manage_votes (coordinator, admin) changes; view_dashboard (a viewer: elected officials)
// reads the count and participation only; export_captures exports.
//
// Sections: numbers and ids · the draft form (vote ⇄ form values, form → vote with French
// errors) · the list · the vote page · save · open, close, publish results · export · routes.
#include <algorithm>
#include <set>

#include "allervers/core/idea_review.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/text.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/media.hpp"
#include "allervers/server/office/idea_letter.hpp"
#include "allervers/server/office/vote_exports.hpp"
#include "allervers/server/vote_admin.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/photo.hpp"
#include "catalog_reasons.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// A draft holds at most this many projects (the form's fields stay under FormLimits).
constexpr std::size_t kMaxProjects = 40;
// What a project's texts may hold (the catalog's own limit is 2,000 characters).
constexpr std::size_t kTitleMax = 160, kSummaryMax = 1000, kPictureAltMax = 300;
// The draft form with a picture per project: its fields, and a phone's photo per row at most.
FormLimits draft_form_limits() {
  FormLimits limits;
  limits.max_fields = 12 * kMaxProjects + 40;
  limits.max_files = kMaxProjects;
  limits.max_file_bytes = PhotoLimits{}.max_bytes;
  return limits;
}

// --- numbers and ids -----------------------------------------------------------------------

// "12 000 €", "12000", "12 000" → 12000; anything else (letters, decimals, a minus) → nothing.
std::optional<std::int64_t> read_whole(std::string text, bool euros) {
  for (const std::string_view space : {"\xC2\xA0", "\xE2\x80\xAF", " "}) {
    for (auto at = text.find(space); at != std::string::npos; at = text.find(space)) text.erase(at, space.size());
  }
  if (euros && text.size() >= 3 && text.compare(text.size() - 3, 3, "\xE2\x82\xAC") == 0) text.resize(text.size() - 3);
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  return n;
}

// An id from a title: "Un jardin partagé" → "un-jardin-partage" (a-z 0-9 -, at most 48),
// made unique among `taken`.
std::string slug_of(const std::string& title, const std::string& fallback, const std::set<std::string>& taken) {
  std::string slug;
  for (const char ch : core::fold_for_search(title)) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) slug += ch;
    else if (!slug.empty() && slug.back() != '-') slug += '-';
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = fallback;
  std::string id = slug;
  for (int n = 2; taken.count(id); ++n) id = slug + "-" + std::to_string(n);
  return id;
}

bool is_day(const std::string& text) { return text.size() == 10 && server::day_from_text(text).has_value(); }

// "2027-03-01" → "01/03/2027".
std::string french_day(const std::string& day) {
  return is_day(day) ? day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4) : day;
}

std::string euros(std::int64_t n) { return server::french_euros(n); }

const char* stage_key(server::VoteStage stage) {
  switch (stage) {
    case server::VoteStage::draft: return "votes.stage.draft";
    case server::VoteStage::open: return "votes.stage.open";
    case server::VoteStage::closed: return "votes.stage.closed";
  }
  return "votes.stage.draft";
}

struct Quartier {
  std::string id, label;
};
// The town's own quartiers (not "outside the town"): where a project or an envelope may be.
std::vector<Quartier> quartiers_of(const core::Catalog& catalog) {
  std::vector<Quartier> out;
  for (const auto& q : catalog.town.neighbourhoods)
    if (!q.outside) out.push_back({q.id, q.label.in("fr")});
  return out;
}

std::string quartier_label(ConsolePage& p, const core::Catalog& catalog, const std::string& id) {
  if (id.empty()) return p.tr.get("votes.whole_town");
  const auto* q = catalog.town.find_neighbourhood(id);
  return q ? q->label.in("fr") : id;
}

// --- the draft form ------------------------------------------------------------------------

// One project row as the form shows it.
struct ProjectFields {
  std::string id, title, summary, cost, quartier, picture;  // picture: its media name, or ""
  std::string picture_alt;                                  // what it shows, in French
  std::string idea = {};                                    // the idea it was made from (« reprendre les idées »)
};

// What the draft form shows: from a vote held, or as typed.
struct DraftFields {
  std::string id;  // "" for a new vote
  std::string title, summary, opens, closes, rule = "budget", min_share = "0", min_projects = "1", max_projects = "0",
                                                   min_age = "0";
  std::map<std::string, std::string> envelopes;  // quartier id ("" town-wide) → amount as typed
  std::vector<ProjectFields> projects;
};

DraftFields fields_of(const core::Vote& vote) {
  DraftFields f;
  f.id = vote.id;
  f.title = vote.title.in("fr");
  f.summary = vote.summary.in("fr");
  f.opens = vote.opens;
  f.closes = vote.closes;
  f.rule = core::to_string(vote.rule);
  f.min_share = std::to_string(vote.min_share_percent);
  f.min_projects = std::to_string(vote.min_projects);
  f.max_projects = std::to_string(vote.max_projects);
  f.min_age = std::to_string(vote.min_age);
  for (const auto& e : vote.envelopes) f.envelopes[e.neighbourhood] = std::to_string(e.amount_eur);
  for (const auto& p : vote.projects)
    f.projects.push_back(
        {p.id, p.title.in("fr"), p.summary.in("fr"), std::to_string(p.cost_eur), p.neighbourhood, p.picture, p.picture_alt.in("fr"), p.idea});
  return f;
}

// Field names: "envelope" + "." + quartier ("envelope." for the whole town); "p3.title" …
// `uploaded`: the media names of pictures sent with this form, by row ("p3."), already kept.
DraftFields fields_of(const Form& form, const core::Catalog& catalog, const std::map<std::string, std::string>& uploaded) {
  DraftFields f;
  f.id = form.get("id");
  f.title = form.get("title");
  f.summary = form.get("summary");
  f.opens = form.get("opens");
  f.closes = form.get("closes");
  f.rule = form.get("rule");
  f.min_share = form.get("min_share");
  f.min_projects = form.get("min_projects");
  f.max_projects = form.get("max_projects");
  f.min_age = form.get("min_age");
  if (const auto town = form.get("envelope."); !core::is_blank(town)) f.envelopes[""] = town;
  for (const auto& q : quartiers_of(catalog))
    if (const auto amount = form.get("envelope." + q.id); !core::is_blank(amount)) f.envelopes[q.id] = amount;
  std::size_t rows = 0;
  try {
    rows = std::min<std::size_t>(std::stoul(form.get("projects")), kMaxProjects);
  } catch (const std::exception&) {
  }
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string at = "p" + std::to_string(i) + ".";
    if (form.has(at + "remove")) continue;
    ProjectFields p{form.get(at + "id"),       form.get(at + "title"),    form.get(at + "summary"),
                    form.get(at + "cost"),     form.get(at + "quartier"), form.get(at + "picture"),
                    form.get(at + "picture_alt"),
                    form.get(at + "idea")};
    if (const auto it = uploaded.find(at); it != uploaded.end()) p.picture = it->second;
    if (form.has(at + "picture_remove")) p.picture.clear();
    if (core::is_blank(p.title) && core::is_blank(p.summary) && core::is_blank(p.cost) && core::is_blank(p.picture)) continue;
    f.projects.push_back(std::move(p));
  }
  return f;
}

// The form's values for the template, with `blank_rows` empty project rows after the others.
json form_values(ConsolePage& p, const core::Catalog& catalog, const DraftFields& f, std::size_t blank_rows) {
  json v = {{"id", f.id},
            {"is_new", f.id.empty()},
            {"title", f.title},
            {"summary", f.summary},
            {"opens", f.opens},
            {"closes", f.closes},
            {"budget", f.rule != "approval"},
            {"approval", f.rule == "approval"},
            {"min_share", f.min_share},
            {"min_projects", f.min_projects},
            {"max_projects", f.max_projects},
            {"min_age", f.min_age}};
  const auto quartiers = quartiers_of(catalog);
  json envelopes = json::array();
  auto amount = [&](const std::string& q) {
    const auto it = f.envelopes.find(q);
    return it == f.envelopes.end() ? std::string() : it->second;
  };
  envelopes.push_back({{"field", "envelope."}, {"dom", "env-town"}, {"label", p.tr.get("votes.whole_town")}, {"value", amount("")}});
  for (const auto& q : quartiers)
    envelopes.push_back({{"field", "envelope." + q.id}, {"dom", "env-" + q.id}, {"label", q.label}, {"value", amount(q.id)}});
  v["envelopes"] = envelopes;
  json rows = json::array();
  std::vector<ProjectFields> all = f.projects;
  for (std::size_t i = 0; i < blank_rows && all.size() < kMaxProjects; ++i) all.push_back({});
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& pr = all[i];
    json options = json::array();
    options.push_back({{"value", ""}, {"label", p.tr.get("votes.whole_town")}, {"sel", pr.quartier.empty()}});
    for (const auto& q : quartiers) options.push_back({{"value", q.id}, {"label", q.label}, {"sel", pr.quartier == q.id}});
    rows.push_back({{"n", std::to_string(i)},
                    {"number", std::to_string(i + 1)},
                    {"id", pr.id},
                    {"title", pr.title},
                    {"summary", pr.summary},
                    {"cost", pr.cost},
                    {"picture", pr.picture},
                    {"picture_alt", pr.picture_alt},
                    {"idea", pr.idea},
                    {"picture_src", pr.picture.empty() ? std::string() : "/office/media?hash=" + pr.picture},
                    {"quartiers", options}});
  }
  v["projects"] = rows;
  v["project_count"] = std::to_string(all.size());
  return v;
}

// A refusal naming the field, in French.
struct DraftError {
  std::string message;
};

bool line_ok(const std::string& text, std::size_t max) {
  return !core::is_blank(text) && !core::find_text_problem(text, core::Lines::single) && core::code_point_count(text) <= max;
}
bool text_ok(const std::string& text, std::size_t max) {
  return !core::find_text_problem(text, core::Lines::multi) && core::code_point_count(text) <= max;
}

// The vote the form says, or the first thing wrong with it (its field named).
core::Vote vote_of(ConsolePage& p, const core::Catalog& catalog, const DraftFields& f, const std::set<std::string>& taken_ids) {
  auto fail = [&](const std::string& key, const std::map<std::string, std::string>& values = {}) -> void {
    throw DraftError{p.tr.format(key, values)};
  };
  core::Vote vote;
  vote.id = f.id.empty() ? slug_of(f.title, "vote", taken_ids) : f.id;
  if (!line_ok(f.title, kTitleMax)) fail("votes.error.title");
  vote.title = core::LocalizedText(f.title);
  if (!text_ok(f.summary, kSummaryMax)) fail("votes.error.summary");
  if (!core::is_blank(f.summary)) vote.summary = core::LocalizedText(f.summary);
  if (!is_day(f.opens)) fail("votes.error.opens");
  if (!is_day(f.closes)) fail("votes.error.closes");
  if (f.closes < f.opens) fail("votes.error.dates", {{"opens", french_day(f.opens)}, {"closes", french_day(f.closes)}});
  vote.opens = f.opens;
  vote.closes = f.closes;
  const auto rule = core::vote_rule_from(f.rule);
  if (!rule) fail("votes.error.rule");
  vote.rule = *rule;
  const auto share = read_whole(f.min_share, false);
  const auto min_projects = read_whole(f.min_projects, false);
  const auto max_projects = read_whole(f.max_projects, false);
  if (vote.rule == core::VoteRule::budget) {
    if (!share || *share > 100) fail("votes.error.min_share", {{"typed", f.min_share}});
    vote.min_share_percent = static_cast<int>(*share);
  } else {
    if (!min_projects || *min_projects < 1 || *min_projects > 1000) fail("votes.error.min_projects", {{"typed", f.min_projects}});
    if (!max_projects || *max_projects > 1000) fail("votes.error.max_projects", {{"typed", f.max_projects}});
    if (*max_projects && *max_projects < *min_projects)
      fail("votes.error.min_over_max", {{"min", std::to_string(*min_projects)}, {"max", std::to_string(*max_projects)}});
    vote.min_projects = static_cast<std::size_t>(*min_projects);
    vote.max_projects = static_cast<std::size_t>(*max_projects);
  }
  const auto age = read_whole(f.min_age.empty() ? "0" : f.min_age, false);
  if (!age || *age > 120) fail("votes.error.min_age", {{"typed", f.min_age}});
  vote.min_age = static_cast<int>(*age);

  // Envelopes: the town-wide one first, then the quartiers' in the town's order.
  std::vector<std::string> order = {""};
  for (const auto& q : quartiers_of(catalog)) order.push_back(q.id);
  for (const auto& q : order) {
    const auto it = f.envelopes.find(q);
    if (it == f.envelopes.end()) continue;
    const auto amount = read_whole(it->second, true);
    if (!amount || *amount < 1)
      fail("votes.error.envelope_amount", {{"envelope", quartier_label(p, catalog, q)}, {"typed", it->second}});
    vote.envelopes.push_back({q, *amount});
  }
  if (vote.envelopes.empty()) fail("votes.error.no_envelope");
  auto has_envelope = [&](const std::string& q) {
    return std::any_of(vote.envelopes.begin(), vote.envelopes.end(), [&](const core::Envelope& e) { return e.neighbourhood == q; });
  };

  if (f.projects.empty()) fail("votes.error.no_project");
  std::set<std::string> project_ids;
  for (const auto& pr : f.projects)
    if (!pr.id.empty()) project_ids.insert(pr.id);
  for (std::size_t i = 0; i < f.projects.size(); ++i) {
    const auto& pr = f.projects[i];
    const std::string n = std::to_string(i + 1);
    if (!line_ok(pr.title, kTitleMax)) fail("votes.error.project_title", {{"n", n}});
    const std::map<std::string, std::string> named = {{"n", n}, {"title", pr.title}};
    if (!text_ok(pr.summary, kSummaryMax)) fail("votes.error.project_summary", named);
    const auto cost = read_whole(pr.cost, true);
    if (!cost || *cost < 1) fail("votes.error.project_cost", {{"n", n}, {"title", pr.title}, {"typed", pr.cost}});
    if (!pr.quartier.empty()) {
      const auto* q = catalog.town.find_neighbourhood(pr.quartier);
      if (!q || q->outside) fail("votes.error.project_quartier", named);
    }
    if (!has_envelope(pr.quartier) && !has_envelope(""))
      fail("votes.error.project_envelope", {{"n", n}, {"title", pr.title}, {"quartier", quartier_label(p, catalog, pr.quartier)}});
    if (!pr.picture.empty() && (!core::is_media_hash(pr.picture) || !p.store.has_media(pr.picture)))
      fail("votes.error.project_picture", named);
    if (!pr.picture_alt.empty() && !line_ok(pr.picture_alt, kPictureAltMax)) fail("votes.error.project_picture_alt", named);
    if (!pr.idea.empty() && !p.store.idea(pr.idea)) fail("votes.error.project_idea", named);
    core::Project project;
    project.id = pr.id;
    if (project.id.empty()) {
      project.id = slug_of(pr.title, "projet", project_ids);
      project_ids.insert(project.id);
    }
    project.title = core::LocalizedText(pr.title);
    if (!core::is_blank(pr.summary)) project.summary = core::LocalizedText(pr.summary);
    project.cost_eur = *cost;
    project.neighbourhood = pr.quartier;
    project.picture = pr.picture;
    if (!pr.picture.empty() && !core::is_blank(pr.picture_alt)) project.picture_alt = core::LocalizedText(pr.picture_alt);
    project.idea = pr.idea;
    vote.projects.push_back(std::move(project));
  }
  return vote;
}

// --- the list ------------------------------------------------------------------------------

HttpResponse votes_page(const ConsoleTools& tools, ConsolePage& p) {
  json v = tools.base(p, "votes.title", "/office/votes");
  json rows = json::array();
  for (const auto& r : p.store.votes())
    rows.push_back({{"href", "/office/vote?id=" + query_escape(r.vote.id)},
                    {"title", r.vote.title.in("fr")},
                    {"stage", p.tr.get(stage_key(r.stage))},
                    {"dates", p.tr.format("votes.dates", {{"opens", french_day(r.vote.opens)}, {"closes", french_day(r.vote.closes)}})},
                    {"ballots", r.stage == server::VoteStage::draft ? std::string("—") : std::to_string(p.store.ballot_count(r.vote.id))},
                    {"published", r.results_published_ms ? p.tr.get("votes.results_published_short") : std::string()}});
  if (!rows.empty()) v["votes"] = {{"rows", rows}};
  if (server::allows(p.session->user.role, server::Permission::manage_votes)) v["may_create"] = true;
  return tools.render(p, "votes", v);
}

// --- the vote page -------------------------------------------------------------------------

// The count: per envelope its projects ranked, the winners marked, the tie-break said.
json count_values(ConsolePage& p, const core::Catalog& catalog, const core::Vote& vote, const server::VoteCount& count,
                  const ConsoleTools& tools, bool manager) {
  json v;
  json envelopes = json::array();
  for (const auto& e : count.results.envelopes) {
    json projects = json::array();
    for (std::size_t i = 0; i < e.projects.size(); ++i) {
      const auto& r = e.projects[i];
      const core::Project* project = vote.find_project(r.project);
      projects.push_back({{"rank", std::to_string(i + 1)},
                          {"title", project ? project->title.in("fr") : r.project},
                          {"cost", euros(project ? project->cost_eur : 0)},
                          {"votes", std::to_string(r.votes)},
                          {"winner", r.winner}});
    }
    // Ties with the next project: say how the count decided, in a sentence.
    json ties = json::array();
    for (std::size_t i = 0; i + 1 < e.projects.size(); ++i) {
      const auto& a = e.projects[i];
      const auto& b = e.projects[i + 1];
      if (a.votes != b.votes || a.votes == 0) continue;
      const core::Project* pa = vote.find_project(a.project);
      const core::Project* pb = vote.find_project(b.project);
      if (!pa || !pb) continue;
      const std::map<std::string, std::string> names = {{"first", pa->title.in("fr")},
                                                         {"second", pb->title.in("fr")},
                                                         {"votes", std::to_string(a.votes)}};
      ties.push_back({{"text", p.tr.format(pa->cost_eur < pb->cost_eur ? "votes.tie.cost" : "votes.tie.order", names)}});
    }
    envelopes.push_back({{"label", quartier_label(p, catalog, e.neighbourhood)},
                         {"amount", euros(e.amount_eur)},
                         {"allotted", euros(e.allotted_eur)},
                         {"ballots", std::to_string(e.ballots)},
                         {"projects", projects},
                         {"ties", ties}});
  }
  v["envelopes"] = envelopes;
  v["counted"] = std::to_string(count.results.counted);
  v["duplicates"] = std::to_string(count.results.duplicates);
  v["paper"] = std::to_string(count.paper);
  json channels = json::array(), devices = json::array();
  for (const auto& t : count.by_channel) {
    const std::string key = "channel." + t.key;
    const std::string label = p.tr.get(key);
    channels.push_back({{"label", label == key ? t.label : label}, {"ballots", std::to_string(t.ballots)}});
  }
  for (const auto& t : count.by_device) devices.push_back({{"label", t.label.empty() ? t.key : t.label}, {"ballots", std::to_string(t.ballots)}});
  v["channels"] = channels;
  v["devices"] = devices;
  if (manager) {
    json flagged = json::array();
    for (const auto& f : count.flagged)
      flagged.push_back({{"receipt", core::shown_receipt(f.receipt)},
                         {"device", f.device_name.empty() ? f.device : f.device_name},
                         {"when", tools.town_time().format(f.corrected_ms)},
                         {"kept_device", f.kept_device_name.empty() ? f.kept_device : f.kept_device_name},
                         {"kept_when", tools.town_time().format(f.kept_corrected_ms)}});
    v["flagged"] = {{"rows", flagged}, {"any", !flagged.empty()}};
  }
  return v;
}

json vote_values(const ConsoleTools& tools, ConsolePage& p, const server::VoteRecord& record, const core::Catalog& catalog) {
  const auto role = p.session->user.role;
  const bool manager = server::allows(role, server::Permission::manage_votes);
  const core::Vote& vote = record.vote;
  json v = tools.base(p, "votes.title", "/office/votes");
  v["title"] = vote.title.in("fr");
  v["vote"] = {{"id", vote.id},
               {"stage", p.tr.get(stage_key(record.stage))},
               {"dates", p.tr.format("votes.dates", {{"opens", french_day(vote.opens)}, {"closes", french_day(vote.closes)}})},
               {"rule", vote.rule == core::VoteRule::budget
                            ? p.tr.format("votes.rule.budget_is", {{"share", std::to_string(vote.min_share_percent)}})
                            : p.tr.format("votes.rule.approval_is", {{"min", std::to_string(vote.min_projects)},
                                                                     {"max", vote.max_projects ? std::to_string(vote.max_projects) : p.tr.get("votes.no_max")}})},
               {"min_age", vote.min_age ? p.tr.format("votes.min_age_is", {{"age", std::to_string(vote.min_age)}}) : p.tr.get("votes.no_min_age")}};
  if (record.stage == server::VoteStage::draft) {
    if (manager) {
      v["draft"] = form_values(p, catalog, fields_of(vote), 1);
      v["may_open"] = true;
    } else {
      v["draft_note"] = true;
    }
    return v;
  }
  const auto count = p.store.count_vote(vote);
  v["count"] = count_values(p, catalog, vote, count, tools, manager);
  if (record.results_published_ms)
    v["published"] = p.tr.format("votes.results_published", {{"when", tools.town_time().format(record.results_published_ms)}});
  if (manager) {
    if (record.stage == server::VoteStage::open) v["may_close"] = true;
    if (record.stage == server::VoteStage::closed) v["may_publish"] = true;
    v["receipt_form"] = true;
  }
  if (server::allows(role, server::Permission::export_captures)) {
    v["exports"] = {{"csv", "/office/vote/export?format=csv&id=" + query_escape(vote.id)},
                    {"xlsx", "/office/vote/export?format=xlsx&id=" + query_escape(vote.id)}};
  }
  return v;
}

std::string query_of(ConsolePage& p, const std::string& name) {
  const auto it = p.request.query.find(name);
  return it == p.request.query.end() ? std::string() : it->second;
}

HttpResponse vote_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto record = p.store.vote(query_of(p, "id"));
  if (!record) return tools.message(p, 404, "votes.title", "votes.error.unknown");
  const auto catalog = published_catalog(p);
  json v = vote_values(tools, p, *record, catalog);
  // "done" says what the last action did; an address kept from then (reloaded, bookmarked, the
  // draft's page after the vote was opened) must not contradict the vote's stage now.
  const auto done = query_of(p, "done");
  const bool still_true = (done == "saved" && record->stage == server::VoteStage::draft) ||
                          (done == "opened" && record->stage == server::VoteStage::open) ||
                          (done == "closed" && record->stage == server::VoteStage::closed && !record->results_published_ms) ||
                          (done == "published" && record->results_published_ms);
  if (still_true) v["notice"] = p.tr.get("votes.done." + done);
  // A receipt looked up (managers): counted, not counted (a later ballot), or unknown here.
  if (const auto typed = query_of(p, "receipt"); !typed.empty() && v.contains("receipt_form")) {
    const auto check = p.store.find_receipt(typed);
    std::string key = "votes.receipt.unknown";
    if (check.state != server::ReceiptState::unknown && check.vote != record->vote.id) key = "votes.receipt.other_vote";
    else if (check.state == server::ReceiptState::counted) key = "votes.receipt.counted";
    else if (check.state == server::ReceiptState::not_counted) key = "votes.receipt.not_counted";
    v["receipt"] = {{"typed", typed},
                    {"text", p.tr.format(key, {{"code", typed}, {"when", check.corrected_ms ? tools.town_time().format(check.corrected_ms) : ""}})}};
  }
  return tools.render(p, "vote", v);
}

HttpResponse vote_new(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  json v = tools.base(p, "votes.new", "/office/votes");
  DraftFields blank;
  blank.min_share = "0";
  v["draft"] = form_values(p, catalog, blank, 3);
  return tools.render(p, "vote", v);
}

// --- save ----------------------------------------------------------------------------------

HttpResponse draft_again(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog, const DraftFields& f,
                         std::size_t blank_rows, const std::string& error, const std::string& notice, int status) {
  json v = tools.base(p, f.id.empty() ? "votes.new" : "votes.title", "/office/votes");
  if (!f.id.empty()) {
    if (const auto held = p.store.vote(f.id)) v["title"] = held->vote.title.in("fr");
  }
  v["draft"] = form_values(p, catalog, f, blank_rows);
  if (!error.empty()) v["error"] = error;
  if (!notice.empty()) v["notice"] = notice;
  return tools.render(p, "vote", v, status);
}

// action=save: the draft checked and kept; add_project: one more empty row; from_ideas: the
// ideas « soumise au vote » not yet among the projects added as rows. Only save writes.
// The pictures sent with the form ("p3.picture_file"), each made a picture for every screen
// (web/photo.hpp: at most 1600 px, JPEG, EXIF gone) and kept as a media file at once, whatever
// the action: a form shown again holds their names, so nothing chosen is lost. A file that is
// not a usable picture is the error, its project named.
std::map<std::string, std::string> keep_pictures(ConsolePage& p, const Form& form, std::string& error) {
  std::map<std::string, std::string> kept;
  for (const auto& file : form.files()) {
    constexpr std::string_view suffix = "picture_file";
    if (file.data.empty() || file.field.size() <= suffix.size() || file.field.compare(file.field.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string row = file.field.substr(0, file.field.size() - suffix.size());  // "p3."
    try {
      const auto photo = process_photo(file.data);
      kept[row] = server::keep_media(p.store, photo.jpeg, p.now.utc_ms).hash;
    } catch (const PhotoError& e) {
      if (error.empty()) {
        const std::string title = form.get(row + "title");
        const auto index = read_whole(row.substr(1, row.size() > 2 ? row.size() - 2 : 0), false);
        const std::string n = index ? std::to_string(*index + 1) : "?";
        error = p.tr.format("votes.error.project_picture_file", {{"n", n}, {"title", title}, {"why", p.tr.get("public.photo." + e.code())}});
      }
    } catch (const sync::media::MediaError& e) {
      if (error.empty()) error = p.tr.format("votes.error.catalog", {{"why", e.what()}});
    }
  }
  return kept;
}

HttpResponse vote_save(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request, draft_form_limits());
  const auto catalog = published_catalog(p);
  std::string picture_error;
  const auto pictures = keep_pictures(p, form, picture_error);
  DraftFields f = fields_of(form, catalog, pictures);
  if (!f.id.empty()) {
    const auto held = p.store.vote(f.id);
    if (!held) return tools.message(p, 404, "votes.title", "votes.error.unknown");
    if (held->stage != server::VoteStage::draft) return tools.message(p, 409, "votes.title", "votes.error.not_draft");
  }
  const std::string action = form.get("action");
  if (!picture_error.empty()) return draft_again(tools, p, catalog, f, 0, picture_error, "", 400);
  if (action == "add_project") return draft_again(tools, p, catalog, f, 1, "", "", 200);
  if (action == "from_ideas") {
    std::set<std::string> titles;
    for (const auto& pr : f.projects) titles.insert(core::fold_for_search(pr.title));
    std::size_t added = 0;
    for (const auto& idea : p.store.ideas_in_states({core::IdeaState::soumise_au_vote}, "")) {
      if (f.projects.size() >= kMaxProjects) break;
      if (!titles.insert(core::fold_for_search(idea.title)).second) continue;
      const auto* q = catalog.town.find_neighbourhood(idea.neighbourhood);
      f.projects.push_back({"", idea.title, idea.description,
                            idea.estimated_cost_eur ? std::to_string(*idea.estimated_cost_eur) : std::string(),
                            q && !q->outside ? idea.neighbourhood : std::string(), "", "", idea.id});
      ++added;
    }
    return draft_again(tools, p, catalog, f, 0, "",
                       added ? p.tr.format("votes.from_ideas.added", {{"n", std::to_string(added)}}) : p.tr.get("votes.from_ideas.none"),
                       200);
  }
  std::set<std::string> taken;
  for (const auto& r : p.store.votes()) taken.insert(r.vote.id);
  for (const auto& v : catalog.votes) taken.insert(v.id);
  core::Vote vote;
  try {
    vote = vote_of(p, catalog, f, taken);
  } catch (const DraftError& e) {
    return draft_again(tools, p, catalog, f, 0, e.message, "", 400);
  }
  auto tx = p.store.transaction();
  try {
    vote = server::save_vote_draft(p.store, vote, p.now);
  } catch (const core::CatalogError& e) {
    return draft_again(tools, p, catalog, f, 0, p.tr.format("votes.error.catalog", {{"why", catalog_reason(p.tr, e)}}), "", 400);
  }
  server::audit(p.store, tools.actor(p), f.id.empty() ? "vote.create" : "vote.edit", vote.id,
                "projects=" + std::to_string(vote.projects.size()) + " rule=" + core::to_string(vote.rule), p.now);
  tx.commit();
  HttpResponse r;
  r.status = 303;
  r.headers["Location"] = "/office/vote?id=" + query_escape(vote.id) + "&done=saved";
  return r;
}

// --- open, close, publish results ----------------------------------------------------------

HttpResponse vote_move(const ConsoleTools& tools, ConsolePage& p, server::VoteStage from, server::VoteStage to, bool with_results,
                       const char* action, const char* done) {
  const Form form = parse_form(p.request);
  const std::string id = form.get("id");
  const auto record = p.store.vote(id);
  if (!record) return tools.message(p, 404, "votes.title", "votes.error.unknown");
  if (record->stage != from) return tools.message(p, 409, "votes.title", "votes.error.wrong_stage");
  auto tx = p.store.transaction();
  server::publish_vote_in_transaction(p.store, id, to, with_results, p.now);
  std::string detail = "stage=" + std::string(server::to_string(to));
  if (with_results) detail += " counted=" + std::to_string(p.store.vote(id)->vote.results->counted);
  server::audit(p.store, tools.actor(p), action, id, detail, p.now);
  tx.commit();
  HttpResponse r;
  r.status = 303;
  r.headers["Location"] = "/office/vote?id=" + query_escape(id) + "&done=" + done;
  return r;
}

HttpResponse vote_open(const ConsoleTools& tools, ConsolePage& p) {
  return vote_move(tools, p, server::VoteStage::draft, server::VoteStage::open, false, "vote.open", "opened");
}
HttpResponse vote_close(const ConsoleTools& tools, ConsolePage& p) {
  return vote_move(tools, p, server::VoteStage::open, server::VoteStage::closed, false, "vote.close", "closed");
}
HttpResponse vote_publish(const ConsoleTools& tools, ConsolePage& p) {
  return vote_move(tools, p, server::VoteStage::closed, server::VoteStage::closed, true, "vote.results.publish", "published");
}

// --- export --------------------------------------------------------------------------------

HttpResponse vote_export(const ConsoleTools& tools, ConsolePage& p) {
  const auto record = p.store.vote(query_of(p, "id"));
  if (!record || record->stage == server::VoteStage::draft) return tools.message(p, 404, "votes.title", "votes.error.unknown");
  const std::string format = query_of(p, "format");
  if (format != "csv" && format != "xlsx") return tools.message(p, 400, "votes.title", "votes.error.format");
  const auto catalog = published_catalog(p);
  const auto count = p.store.count_vote(record->vote);
  HttpResponse r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = server::vote_results_csv(record->vote, count, catalog.town);
  } else {
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const TownTime& town = tools.town_time();
    r.body = server::vote_results_xlsx(record->vote, count, catalog.town, [&town](std::int64_t ms) { return town.format(ms); }, {});
  }
  {
    auto tx = p.store.transaction();
    server::audit(p.store, tools.actor(p), "vote.export", record->vote.id,
                  "format=" + format + " counted=" + std::to_string(count.results.counted), p.now);
    tx.commit();
  }
  r.headers["Content-Disposition"] = "attachment; filename=\"resultats-" + record->vote.id + "." + format + "\"";
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  return r;
}

// A media file for the console's own pages (a draft's pictures, not public yet).
HttpResponse office_media(const ConsoleTools&, ConsolePage& p) {
  const std::string hash = query_of(p, "hash");
  auto file = core::is_media_hash(hash) ? p.store.media(hash) : std::nullopt;
  if (!file) {
    HttpResponse r = server::error_response(404, "no_media", "no such media file");
    return r;
  }
  auto r = server::media_response(*file, p.request.header("if-none-match"), false);
  r.headers["Cache-Control"] = "private, max-age=31536000, immutable";
  return r;
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& votes_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/votes", Permission::view_dashboard, false, &votes_page},
      {"GET", "/office/vote", Permission::view_dashboard, false, &vote_page},
      {"GET", "/office/vote/new", Permission::manage_votes, false, &vote_new},
      {"POST", "/office/vote/save", Permission::manage_votes, true, &vote_save},
      {"POST", "/office/vote/open", Permission::manage_votes, true, &vote_open},
      {"POST", "/office/vote/close", Permission::manage_votes, true, &vote_close},
      {"POST", "/office/vote/publish", Permission::manage_votes, true, &vote_publish},
      {"GET", "/office/vote/export", Permission::export_captures, false, &vote_export},
      {"GET", "/office/media", Permission::view_dashboard, false, &office_media},
  };
  return kRoutes;
}

}  // namespace allervers::web
