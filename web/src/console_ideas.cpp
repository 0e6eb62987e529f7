// The review of ideas in the console: the list (a valuator's: the ideas assigned to it), one
// idea with what may happen to it next, and the forms that change it — through the operations
// of server/ideas.hpp, which check the change and audit it in one transaction.
#include "allervers/core/receipt.hpp"
#include "allervers/server/ideas.hpp"
#include "allervers/server/office/idea_letter.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/photo.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// The console's means for one request, as these pages use them (console_page.hpp).
struct PageKit {
  const ConsoleTools& tools;
  ConsolePage& p;
  const server::HttpRequest& request;
  server::ServerStore& store;
  const core::Translations& tr;
  const Session& session;
  core::Instant now;

  PageKit(const ConsoleTools& t, ConsolePage& page)
      : tools(t), p(page), request(page.request), store(page.store), tr(page.tr), session(*page.session), now(page.now) {}
  json base(const std::string& title_key, const std::string& active) const { return tools.base(p, title_key, active); }
  HttpResponse render(const std::string& name, const json& values, int status) const { return tools.render(p, name, values, status); }
  HttpResponse message(int status, const std::string& title_key, const std::string& text_key) const {
    return tools.message(p, status, title_key, text_key);
  }
  server::Actor actor() const { return tools.actor(p); }
  std::string query(const std::string& name) const {
    const auto it = request.query.find(name);
    return it == request.query.end() ? std::string() : it->second;
  }
  std::string day(std::int64_t utc_ms) const { return tools.town_time().format(utc_ms).substr(0, 10); }  // "30/11/2026"
};

// The list shows at most this many ideas at once: a filter narrows it.
constexpr std::int64_t kIdeasPageRows = 500;

server::Reviewer reviewer(const PageKit& k) {
  return {k.actor(), server::reach(k.session.user.role, server::Permission::review_ideas)};
}

std::string euros(const std::optional<std::int64_t>& cost) { return cost ? server::french_euros(*cost) : std::string(); }

json state_options(const PageKit& k, const std::optional<core::IdeaState>& selected) {
  json out = json::array();
  for (auto s : core::kAllIdeaStates)
    out.push_back({{"value", core::to_string(s)}, {"label", k.tr.get(std::string("idea.state.") + core::to_string(s))},
                   {"selected", selected == s}});
  return out;
}

// The catalog's words for an idea's quartier, theme and consultation, as the contributions
// page shows them; the id itself when the catalog no longer has it.
struct IdeaLabels {
  std::string neighbourhood, theme, consultation;
};

IdeaLabels labels_of(const core::Catalog& catalog, const server::IdeaRow& idea, const std::string& language) {
  IdeaLabels out{idea.neighbourhood, idea.theme, idea.consultation};
  if (const auto* q = catalog.town.find_neighbourhood(idea.neighbourhood)) out.neighbourhood = q->label.in(language);
  if (const auto* c = catalog.latest(idea.consultation)) {
    out.consultation = c->title.in(language);
    if (const auto* t = c->ideas.find_theme(idea.theme)) out.theme = t->label.in(language);
  }
  return out;
}

// The values of one idea's page; `error` and the typed values when a change was refused.
json idea_values(PageKit& k, const server::IdeaRow& idea, const server::Reviewer& who) {
  json v = k.base("idea.title", "/office/ideas");
  v["title"] = k.tr.format("idea.title_of", {{"receipt", idea.receipt}});
  const bool coordinator = who.reach == server::Reach::all;
  const auto labels = labels_of(published_catalog(k.p), idea, k.tr.language());
  v["idea"] = {{"id", idea.id},
               {"receipt", idea.receipt},
               {"title", idea.title},
               {"description", idea.description},
               {"theme", labels.theme},
               {"neighbourhood", labels.neighbourhood},
               {"consultation", labels.consultation},
               {"received", k.day(idea.received_ms)},
               {"state", k.tr.get(std::string("idea.state.") + core::to_string(idea.state))},
               {"assignee", idea.assignee},
               {"cost", euros(idea.estimated_cost_eur)},
               {"notes", idea.notes},
               {"public_answer", idea.public_answer},
               {"contact", k.tr.get(idea.contact_consent ? "idea.contact_yes" : "idea.contact_no")}};
  if (!idea.reason.empty()) {
    std::string label = idea.reason;
    for (const auto& r : k.store.idea_reasons())
      if (r.id == idea.reason) label = r.label;
    v["idea"]["reason"] = label;
    v["idea"]["reason_text"] = idea.reason_text;
  }
  if (!idea.merged_into.empty()) {
    if (const auto kept = k.store.idea(idea.merged_into))
      v["merged"] = {{"href", "/office/idea?id=" + kept->id}, {"label", k.tr.format("idea.merged_into", {{"receipt", kept->receipt}, {"title", kept->title}})}};
  }
  json milestones = json::array();
  for (const auto& m : k.store.idea_milestones(idea.id))
    milestones.push_back({{"day", m.day}, {"text", m.text}, {"photo", !m.photo.empty()}});
  if (!milestones.empty()) v["milestones"] = {{"items", milestones}};

  if (idea.merged_into.empty()) {
    json next = json::array();
    for (auto s : core::next_states(idea.state)) {
      if (!coordinator && s != core::IdeaState::faisable && s != core::IdeaState::non_faisable) continue;
      if (!coordinator && idea.state != core::IdeaState::en_etude) continue;
      next.push_back({{"value", core::to_string(s)}, {"label", k.tr.get(std::string("idea.state.") + core::to_string(s))}});
    }
    if (!next.empty()) {
      json reasons = json::array();
      for (const auto& r : k.store.idea_reasons()) reasons.push_back({{"value", r.id}, {"label", r.label}});
      v["review"] = {{"next", next}, {"reasons", reasons}, {"id", idea.id}, {"csrf", k.session.csrf_token},
                     {"assignee", idea.assignee}, {"public_answer", idea.public_answer}, {"notes", idea.notes},
                     {"cost", idea.estimated_cost_eur ? std::to_string(*idea.estimated_cost_eur) : ""}};
    }
    if (coordinator && (idea.state == core::IdeaState::en_travaux || idea.state == core::IdeaState::realisee))
      v["milestone_form"] = {{"id", idea.id}, {"csrf", k.session.csrf_token}, {"today", core::format_instant({k.now.utc_ms, 0}).substr(0, 10)}};
    if (coordinator) v["merge_form"] = {{"id", idea.id}, {"csrf", k.session.csrf_token}};
  }
  return v;
}

std::optional<server::IdeaRow> idea_in_reach(PageKit& k, const std::string& id, const server::Reviewer& who) {
  if (id.empty() || id.size() > 40) return std::nullopt;
  auto idea = k.store.idea(id);
  if (!idea || !server::may_see(who, *idea)) return std::nullopt;  // out of reach reads as unknown
  return idea;
}

HttpResponse not_found(PageKit& k) { return k.message(404, "error.not_found.title", "idea.not_found"); }

// The idea's page again after a refused change: the sentence, the form as it was typed.
HttpResponse refused(PageKit& k, const server::IdeaRow& idea, const server::Reviewer& who, const server::IdeaError& e, const Form& form) {
  json v = idea_values(k, idea, who);
  v["error"] = e.what();
  if (v.contains("review"))
    for (const char* field : {"assignee", "public_answer", "notes", "cost"})
      if (form.has(field)) v["review"][field] = form.get(field);
  return k.render("idea", v, 400);
}

HttpResponse ideas_page(const ConsoleTools& tools, ConsolePage& page) {
  PageKit k(tools, page);
  const auto who = reviewer(k);
  server::IdeaFilter filter;
  const auto state = core::idea_state_named(k.query("state"));
  filter.state = state;
  if (const auto q = k.query("quartier"); !q.empty() && q.size() <= 80) filter.neighbourhood = q;
  if (who.reach != server::Reach::all) filter.assignee = who.actor.name;
  json v = k.base("ideas.title", "/office/ideas");
  v["states"] = state_options(k, state);
  v["quartier"] = filter.neighbourhood.value_or("");
  json rows = json::array();
  const auto catalog = published_catalog(k.p);
  for (const auto& i : k.store.ideas(filter, kIdeasPageRows))
    rows.push_back({{"href", "/office/idea?id=" + i.id},
                    {"receipt", i.receipt},
                    {"title", i.title},
                    {"neighbourhood", labels_of(catalog, i, k.tr.language()).neighbourhood},
                    {"state", k.tr.get(std::string("idea.state.") + core::to_string(i.state))},
                    {"merged", !i.merged_into.empty()},
                    {"assignee", i.assignee},
                    {"received", k.day(i.received_ms)}});
  const auto total = k.store.idea_count(filter);
  if (!rows.empty())
    v["ideas"] = {{"rows", rows}, {"shown", k.tr.format("ideas.shown", {{"n", std::to_string(rows.size())}, {"total", std::to_string(total)}})}};
  if (who.reach == server::Reach::all)
    if (const auto shared = k.store.shared_receipts(); !shared.empty()) {
      std::string codes;
      for (const auto& c : shared) codes += (codes.empty() ? "" : ", ") + c;
      v["collisions"] = k.tr.format("ideas.collisions", {{"codes", codes}});
    }
  return k.render("ideas", v, 200);
}

HttpResponse idea_page(const ConsoleTools& tools, ConsolePage& page) {
  PageKit k(tools, page);
  const auto who = reviewer(k);
  const auto idea = idea_in_reach(k, k.query("id"), who);
  if (!idea) return not_found(k);
  json v = idea_values(k, *idea, who);
  if (!k.query("done").empty()) v["notice"] = k.tr.get("idea.saved");
  return k.render("idea", v, 200);
}

HttpResponse idea_review_submit(const ConsoleTools& tools, ConsolePage& page) {
  PageKit k(tools, page);
  const auto who = reviewer(k);
  const Form form = parse_form(k.request);
  const auto idea = idea_in_reach(k, form.get("id"), who);
  if (!idea) return not_found(k);
  try {
    core::ReviewChange change;
    const auto to = core::idea_state_named(form.get("to"));
    if (!to) throw server::IdeaError("to", k.tr.get("idea.error.no_state"));
    change.to = *to;
    change.reason = form.get("reason");
    change.reason_text = form.get("reason_text");
    change.assignee = form.get("assignee");
    change.notes = form.get("notes");
    change.public_answer = form.get("public_answer");
    if (const auto cost = form.get("cost"); !cost.empty()) {
      std::int64_t value = 0;
      bool ok = cost.size() <= 12;
      for (char c : cost) {
        if (c == ' ') continue;
        if (c < '0' || c > '9') ok = false;
        else value = value * 10 + (c - '0');
      }
      if (!ok) throw server::IdeaError("cost", k.tr.get("idea.error.cost"));
      change.estimated_cost_eur = value;
    }
    server::review_idea(k.store, idea->id, change, who, k.now);
  } catch (const server::IdeaError& e) {
    return refused(k, *idea, who, e, form);
  }
  return redirect("/office/idea?id=" + idea->id + "&done=1");
}

HttpResponse idea_merge_submit(const ConsoleTools& tools, ConsolePage& page) {
  PageKit k(tools, page);
  const auto who = reviewer(k);
  const Form form = parse_form(k.request);
  const auto idea = idea_in_reach(k, form.get("id"), who);
  if (!idea) return not_found(k);
  try {
    const auto code = core::read_receipt_code(form.get("into"));
    if (!code) throw server::IdeaError("into", k.tr.get("idea.error.into_code"));
    const auto candidates = k.store.idea_ids_with_receipt(*code);
    if (candidates.empty()) throw server::IdeaError("into", k.tr.format("idea.error.into_unknown", {{"code", *code}}));
    if (candidates.size() > 1) throw server::IdeaError("into", k.tr.format("idea.error.into_shared", {{"code", *code}}));
    server::merge_ideas(k.store, idea->id, candidates[0], who, k.now);
  } catch (const server::IdeaError& e) {
    return refused(k, *idea, who, e, form);
  }
  return redirect("/office/idea?id=" + idea->id + "&done=1");
}

HttpResponse idea_milestone_submit(const ConsoleTools& tools, ConsolePage& page) {
  PageKit k(tools, page);
  const auto who = reviewer(k);
  const Form form = parse_form(k.request);
  const auto idea = idea_in_reach(k, form.get("id"), who);
  if (!idea) return not_found(k);
  try {
    // The photo made smaller and re-encoded without its EXIF (a phone's GPS position), as a
    // resident's photo is (web/photo.hpp): a milestone's photo is public.
    std::string photo;
    for (const auto& f : form.files())
      if (!f.data.empty()) {
        try {
          photo = process_photo(f.data).jpeg;
        } catch (const PhotoError& e) {
          throw server::IdeaError("photo", k.tr.get("public.photo." + e.code()));
        }
      }
    server::add_milestone(k.store, idea->id, form.get("day"), form.get("text"), photo, who, k.now);
  } catch (const server::IdeaError& e) {
    return refused(k, *idea, who, e, form);
  }
  return redirect("/office/idea?id=" + idea->id + "&done=1");
}

}  // namespace

const std::vector<AreaRoute>& ideas_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/ideas", Permission::review_ideas, false, &ideas_page},
      {"GET", "/office/idea", Permission::review_ideas, false, &idea_page},
      {"POST", "/office/idea/review", Permission::review_ideas, true, &idea_review_submit},
      {"POST", "/office/idea/merge", Permission::review_ideas, true, &idea_merge_submit},
      {"POST", "/office/idea/milestone", Permission::review_ideas, true, &idea_milestone_submit},
  };
  return kRoutes;
}

}  // namespace allervers::web
