// Votes: sections — names · the vote's questions (project, envelope, dates) · baskets ·
// receipts · the count · JSON (catalog and results).
#include "allervers/core/vote.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/core/validation.hpp"

namespace allervers::core {

using nlohmann::json;

// --- names ----------------------------------------------------------------------------------

const char* to_string(VoteRule rule) { return rule == VoteRule::budget ? "budget" : "approval"; }
std::optional<VoteRule> vote_rule_from(const std::string& name) {
  if (name == "budget") return VoteRule::budget;
  if (name == "approval") return VoteRule::approval;
  return std::nullopt;
}
const char* to_string(VoteState state) { return state == VoteState::open ? "open" : "closed"; }
std::optional<VoteState> vote_state_from(const std::string& name) {
  if (name == "open") return VoteState::open;
  if (name == "closed") return VoteState::closed;
  return std::nullopt;
}

// --- the vote's questions ---------------------------------------------------------------------

const Project* Vote::find_project(const std::string& project_id) const {
  for (const auto& p : projects)
    if (p.id == project_id) return &p;
  return nullptr;
}

std::size_t Vote::envelope_of(const Project& project) const {
  std::size_t town = envelopes.size();
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    if (!project.neighbourhood.empty() && envelopes[i].neighbourhood == project.neighbourhood) return i;
    if (envelopes[i].neighbourhood.empty()) town = i;
  }
  return town < envelopes.size() ? town : 0;  // parse_vote guarantees a town-wide envelope when needed
}

bool Vote::within_dates(const std::string& day) const { return day >= opens && day <= closes; }

// --- baskets --------------------------------------------------------------------------------

std::vector<BasketTotal> basket_totals(const Vote& vote, const std::vector<std::string>& projects) {
  std::vector<BasketTotal> totals(vote.envelopes.size());
  for (std::size_t i = 0; i < totals.size(); ++i) totals[i].envelope = i;
  for (const auto& id : projects)
    if (const Project* p = vote.find_project(id)) {
      auto& t = totals[vote.envelope_of(*p)];
      t.cost_eur += p->cost_eur;
      ++t.projects;
    }
  return totals;
}

namespace {
std::string euros(std::int64_t amount) {
  std::string digits = std::to_string(amount), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out + " €";
}
std::string envelope_name(const Envelope& e) { return e.neighbourhood.empty() ? "the town's envelope" : "the envelope of " + e.neighbourhood; }
}  // namespace

std::vector<ValidationError> check_basket(const Vote& vote, const std::vector<std::string>& projects) {
  std::vector<ValidationError> errors;
  const std::string field = "ballot.projects";
  if (projects.empty()) {
    errors.push_back({field, "empty_basket", "choose at least one project"});
    return errors;
  }
  std::set<std::string> seen;
  for (const auto& id : projects) {
    if (!vote.find_project(id))
      errors.push_back({field, "unknown_project", "\"" + id.substr(0, 40) + "\" is not a project of the vote " + vote.id});
    else if (!seen.insert(id).second)
      errors.push_back({field, "repeated_project", "\"" + id + "\" is chosen twice"});
  }
  if (!errors.empty()) return errors;
  if (vote.rule == VoteRule::budget) {
    for (const auto& t : basket_totals(vote, projects)) {
      if (t.projects == 0) continue;
      const Envelope& e = vote.envelopes[t.envelope];
      if (t.cost_eur > e.amount_eur)
        errors.push_back({field, "over_envelope", "the basket costs " + euros(t.cost_eur) + ", more than " + envelope_name(e) +
                                                      " (" + euros(e.amount_eur) + ")"});
      else if (t.cost_eur * 100 < e.amount_eur * vote.min_share_percent)
        errors.push_back({field, "under_minimum_share", "the basket costs " + euros(t.cost_eur) + ", less than " +
                                                            std::to_string(vote.min_share_percent) + " % of " + envelope_name(e) +
                                                            " (" + euros(e.amount_eur) + ")"});
    }
  } else {
    const std::size_t most = vote.max_projects ? vote.max_projects : vote.projects.size();
    if (projects.size() < vote.min_projects)
      errors.push_back({field, "too_few_projects", "choose at least " + std::to_string(vote.min_projects) + " projects"});
    else if (projects.size() > most)
      errors.push_back({field, "too_many_projects", "choose at most " + std::to_string(most) + " projects"});
  }
  return errors;
}

// --- receipts -------------------------------------------------------------------------------

namespace {
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

bool is_receipt(const std::string& code) {
  if (code.size() != kReceiptLength) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return kCrockford.find(c) != std::string_view::npos; });
}

std::string normal_receipt(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out += c;
  }
  return is_receipt(out) ? out : std::string();
}

std::string shown_receipt(const std::string& code) {
  return code.size() == kReceiptLength ? code.substr(0, 4) + "-" + code.substr(4) : code;
}

// --- the count --------------------------------------------------------------------------------

Tally::Tally(const Vote& vote)
    : vote_(vote), votes_(vote.projects.size(), 0), envelope_ballots_(vote.envelopes.size(), 0), touched_(vote.envelopes.size(), 0) {
  for (std::size_t i = 0; i < vote.projects.size(); ++i) {
    index_.emplace(vote.projects[i].id, i);
    envelope_.push_back(vote.envelope_of(vote.projects[i]));
  }
}

void Tally::add(const std::vector<std::string>& projects) {
  ++counted_;
  std::fill(touched_.begin(), touched_.end(), 0);
  for (const auto& id : projects) {
    auto it = index_.find(id);
    if (it == index_.end()) continue;
    ++votes_[it->second];
    touched_[envelope_[it->second]] = 1;
  }
  for (std::size_t e = 0; e < touched_.size(); ++e) envelope_ballots_[e] += touched_[e];
}

VoteResults Tally::results() const {
  VoteResults out;
  out.counted = counted_;
  out.duplicates = duplicates_;
  for (std::size_t e = 0; e < vote_.envelopes.size(); ++e) {
    EnvelopeResult r;
    r.neighbourhood = vote_.envelopes[e].neighbourhood;
    r.amount_eur = vote_.envelopes[e].amount_eur;
    r.ballots = envelope_ballots_[e];
    std::vector<std::size_t> order;
    for (std::size_t p = 0; p < vote_.projects.size(); ++p)
      if (envelope_[p] == e) order.push_back(p);
    // Tie-break (decisions.md): more votes first; then the cheaper project (the money goes
    // further); then the project's place in the vote, as the coordinator listed them.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (votes_[a] != votes_[b]) return votes_[a] > votes_[b];
      return vote_.projects[a].cost_eur < vote_.projects[b].cost_eur;
    });
    std::int64_t left = r.amount_eur;
    for (std::size_t p : order) {
      const Project& project = vote_.projects[p];
      const bool wins = votes_[p] > 0 && project.cost_eur <= left;
      if (wins) left -= project.cost_eur;
      r.projects.push_back({project.id, votes_[p], wins});
    }
    r.allotted_eur = r.amount_eur - left;
    out.envelopes.push_back(std::move(r));
  }
  return out;
}

// --- JSON -------------------------------------------------------------------------------------

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw CatalogError(where, what); }

std::string text_at(const json& j, const char* key, const std::string& where, bool required = true) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) fail(where + "." + key, "missing");
    return "";
  }
  if (!it->is_string()) fail(where + "." + key, "expected a string");
  const auto& s = it->get_ref<const std::string&>();
  if (find_text_problem(s, Lines::multi)) fail(where + "." + key, "text is not valid UTF-8 or holds a control character");
  if (code_point_count(s) > 2000) fail(where + "." + key, "text longer than 2000 characters");
  return s;
}

std::string slug_at(const json& j, const char* key, const std::string& where) {
  std::string s = text_at(j, key, where);
  if (s.empty() || s.size() > 64) fail(where + "." + key, "an id must have 1 to 64 characters");
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      fail(where + "." + key, "an id may hold only a-z, 0-9, '-' and '_' (got \"" + s + "\")");
  return s;
}

std::int64_t integer_at(const json& j, const char* key, const std::string& where, std::int64_t min, std::int64_t max,
                        std::optional<std::int64_t> fallback = std::nullopt) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (!fallback) fail(where + "." + key, "missing");
    return *fallback;
  }
  if (!it->is_number_integer()) fail(where + "." + key, "expected an integer");
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) fail(where + "." + key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

LocalizedText localized_at(const json& j, const char* key, const std::string& where, bool required = true) {
  LocalizedText text;
  auto it = j.find(key);
  const std::string path = where + "." + key;
  if (it == j.end() || it->is_null()) {
    if (required) fail(path, "missing");
    return text;
  }
  if (it->is_string()) return LocalizedText(text_at(j, key, where));
  if (!it->is_object()) fail(path, "expected a text or {\"fr\": …}");
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (e.key().size() < 2 || e.key().size() > 8) fail(path + "." + e.key(), "not a language code");
    text.set(e.key(), text_at(*it, e.key().c_str(), path));
  }
  if (text.all().find("fr") == text.all().end()) fail(path, "a French text (\"fr\") is required");
  return text;
}

json localized_json(const LocalizedText& text) {
  json out = json::object();
  for (const auto& [language, value] : text.all()) out[language] = value;
  return out;
}

bool is_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

Vote parse_vote(const json& v, const std::vector<std::string>& neighbourhoods) {
  const std::string where = "$.votes[" + (v.is_object() && v.contains("id") && v["id"].is_string() ? v["id"].get<std::string>() : "?") + "]";
  if (!v.is_object()) fail(where, "expected an object");
  Vote vote;
  vote.id = slug_at(v, "id", where);
  vote.title = localized_at(v, "title", where);
  vote.summary = localized_at(v, "summary", where, false);
  vote.opens = text_at(v, "opens", where);
  vote.closes = text_at(v, "closes", where);
  if (!is_day(vote.opens)) fail(where + ".opens", "expected a day YYYY-MM-DD");
  if (!is_day(vote.closes)) fail(where + ".closes", "expected a day YYYY-MM-DD");
  if (vote.closes < vote.opens) fail(where + ".closes", "the vote closes before it opens");
  const auto state = vote_state_from(text_at(v, "state", where, false).empty() ? "open" : text_at(v, "state", where));
  if (!state) fail(where + ".state", "expected open or closed");
  vote.state = *state;
  const auto rule = vote_rule_from(text_at(v, "rule", where));
  if (!rule) fail(where + ".rule", "expected budget or approval");
  vote.rule = *rule;
  vote.min_share_percent = static_cast<int>(integer_at(v, "min_share_percent", where, 0, 100, 0));
  vote.min_projects = static_cast<std::size_t>(integer_at(v, "min_projects", where, 1, 1000, 1));
  vote.max_projects = static_cast<std::size_t>(integer_at(v, "max_projects", where, 0, 1000, 0));
  if (vote.max_projects && vote.max_projects < vote.min_projects) fail(where + ".max_projects", "fewer than min_projects");
  vote.min_age = static_cast<int>(integer_at(v, "min_age", where, 0, 120, 0));
  vote.voter_key = text_at(v, "voter_key", where);
  if (vote.voter_key.size() != 64 ||
      !std::all_of(vote.voter_key.begin(), vote.voter_key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    fail(where + ".voter_key", "expected 32 bytes in lower-case hex");
  const auto known = [&](const std::string& n) { return std::find(neighbourhoods.begin(), neighbourhoods.end(), n) != neighbourhoods.end(); };
  auto envelopes = v.find("envelopes");
  if (envelopes == v.end() || !envelopes->is_array() || envelopes->empty()) fail(where + ".envelopes", "expected at least one envelope");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < envelopes->size(); ++i) {
    const json& e = (*envelopes)[i];
    const std::string at = where + ".envelopes[" + std::to_string(i) + "]";
    if (!e.is_object()) fail(at, "expected an object");
    Envelope envelope{text_at(e, "neighbourhood", at, false), integer_at(e, "amount_eur", at, 1, 1'000'000'000'000)};
    if (!envelope.neighbourhood.empty() && !known(envelope.neighbourhood)) fail(at + ".neighbourhood", "not one of the town's neighbourhoods");
    if (!seen.insert(envelope.neighbourhood).second) fail(at + ".neighbourhood", "two envelopes for one quartier");
    vote.envelopes.push_back(std::move(envelope));
  }
  const bool town_wide = seen.count("") > 0;
  auto projects = v.find("projects");
  if (projects == v.end() || !projects->is_array() || projects->empty()) fail(where + ".projects", "expected at least one project");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < projects->size(); ++i) {
    const json& p = (*projects)[i];
    const std::string at = where + ".projects[" + std::to_string(i) + "]";
    if (!p.is_object()) fail(at, "expected an object");
    Project project{slug_at(p, "id", at), localized_at(p, "title", at), localized_at(p, "summary", at, false),
                    integer_at(p, "cost_eur", at, 0, 1'000'000'000'000), text_at(p, "neighbourhood", at, false),
                    text_at(p, "picture", at, false), localized_at(p, "picture_alt", at, false)};
    if (!project.picture.empty() && !is_media_hash(project.picture))
      fail(at + ".picture", "expected a picture's media name (64 hex characters, its SHA-256), as the console stores it");
    project.idea = text_at(p, "idea", at, false);
    if (!project.idea.empty() && !Uuid::parse(project.idea)) fail(at + ".idea", "expected the id (a UUID) of the idea the project came from");
    if (!ids.insert(project.id).second) fail(at + ".id", "duplicate project id \"" + project.id + "\"");
    if (!project.neighbourhood.empty() && !known(project.neighbourhood)) fail(at + ".neighbourhood", "not one of the town's neighbourhoods");
    if (!town_wide && !seen.count(project.neighbourhood))
      fail(at + ".neighbourhood", "no envelope takes this project: add a town-wide envelope or one for its quartier");
    vote.projects.push_back(std::move(project));
  }
  if (auto r = v.find("results"); r != v.end() && !r->is_null()) {
    try {
      vote.results = results_from_json(*r);
    } catch (const json::exception& e) {
      fail(where + ".results", std::string("not valid results: ") + e.what());
    }
  }
  return vote;
}

std::vector<Vote> parse_votes(const json& votes, const std::vector<std::string>& neighbourhoods) {
  std::vector<Vote> out;
  if (votes.is_null()) return out;
  if (!votes.is_array()) fail("$.votes", "expected an array");
  std::set<std::string> ids;
  for (const auto& v : votes) {
    Vote vote = parse_vote(v, neighbourhoods);
    if (!ids.insert(vote.id).second) fail("$.votes[" + vote.id + "]", "the vote appears twice");
    out.push_back(std::move(vote));
  }
  return out;
}

json vote_to_json(const Vote& v) {
  json j{{"id", v.id},       {"title", localized_json(v.title)}, {"opens", v.opens},         {"closes", v.closes},
         {"state", to_string(v.state)}, {"rule", to_string(v.rule)}, {"voter_key", v.voter_key}};
  if (!v.summary.empty()) j["summary"] = localized_json(v.summary);
  if (v.rule == VoteRule::budget) j["min_share_percent"] = v.min_share_percent;
  if (v.min_projects != 1) j["min_projects"] = v.min_projects;
  if (v.max_projects) j["max_projects"] = v.max_projects;
  if (v.min_age) j["min_age"] = v.min_age;
  j["envelopes"] = json::array();
  for (const auto& e : v.envelopes) {
    json ej{{"amount_eur", e.amount_eur}};
    if (!e.neighbourhood.empty()) ej["neighbourhood"] = e.neighbourhood;
    j["envelopes"].push_back(std::move(ej));
  }
  j["projects"] = json::array();
  for (const auto& p : v.projects) {
    json pj{{"id", p.id}, {"title", localized_json(p.title)}, {"cost_eur", p.cost_eur}};
    if (!p.summary.empty()) pj["summary"] = localized_json(p.summary);
    if (!p.neighbourhood.empty()) pj["neighbourhood"] = p.neighbourhood;
    if (!p.picture.empty()) pj["picture"] = p.picture;
    if (!p.picture_alt.empty()) pj["picture_alt"] = localized_json(p.picture_alt);
    if (!p.idea.empty()) pj["idea"] = p.idea;
    j["projects"].push_back(std::move(pj));
  }
  if (v.results) j["results"] = results_to_json(*v.results);
  return j;
}

json votes_to_json(const std::vector<Vote>& votes) {
  json out = json::array();
  for (const auto& v : votes) out.push_back(vote_to_json(v));
  return out;
}

json results_to_json(const VoteResults& results) {
  json j{{"counted", results.counted}, {"duplicates", results.duplicates}, {"envelopes", json::array()}};
  for (const auto& e : results.envelopes) {
    json ej{{"neighbourhood", e.neighbourhood}, {"amount_eur", e.amount_eur}, {"allotted_eur", e.allotted_eur},
            {"ballots", e.ballots}, {"projects", json::array()}};
    for (const auto& p : e.projects) ej["projects"].push_back({{"id", p.project}, {"votes", p.votes}, {"winner", p.winner}});
    j["envelopes"].push_back(std::move(ej));
  }
  return j;
}

VoteResults results_from_json(const json& j) {
  VoteResults r;
  r.counted = j.at("counted").get<std::int64_t>();
  r.duplicates = j.at("duplicates").get<std::int64_t>();
  for (const auto& ej : j.at("envelopes")) {
    EnvelopeResult e;
    e.neighbourhood = ej.at("neighbourhood").get<std::string>();
    e.amount_eur = ej.at("amount_eur").get<std::int64_t>();
    e.allotted_eur = ej.at("allotted_eur").get<std::int64_t>();
    e.ballots = ej.at("ballots").get<std::int64_t>();
    for (const auto& pj : ej.at("projects"))
      e.projects.push_back({pj.at("id").get<std::string>(), pj.at("votes").get<std::int64_t>(), pj.at("winner").get<bool>()});
    r.envelopes.push_back(std::move(e));
  }
  return r;
}

}  // namespace allervers::core
