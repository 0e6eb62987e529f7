#pragma once
// Participatory-budget votes: the projects, the dates, the one rule (budget or approval), the
// envelopes, the minimum age — as published to devices in the catalog ("votes") — and the rules
// that decide, written once here so the device, the server and the public pages apply the same
// ones: what a basket may hold (check_basket), whether a day is within the vote, and the count
// (Tally: votes per project, winners per envelope). docs/consultation-format.md has the JSON,
// docs/decisions.md the reasons (tie-break, envelopes), docs/security.md the secret ballot.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "allervers/core/text.hpp"

namespace allervers::core {

// budget: the voter's basket costs at most the envelope and at least min_share_percent of it
// (Decidim's "minimum percentage of the budget" rule). approval: between min_projects and
// max_projects projects, costs aside.
enum class VoteRule { budget, approval };
const char* to_string(VoteRule rule);
std::optional<VoteRule> vote_rule_from(const std::string& name);

// What devices are told: open (ballots taken between the dates) or closed (no more ballots,
// results may follow). Drafts stay on the server and are never published.
enum class VoteState { open, closed };
const char* to_string(VoteState state);
std::optional<VoteState> vote_state_from(const std::string& name);

struct Project {
  std::string id;  // slug
  LocalizedText title;
  LocalizedText summary;      // a short text: what the project is
  std::int64_t cost_eur = 0;  // estimated cost
  std::string neighbourhood;  // the town's quartier it is in, or "" (the whole town)
  std::string picture;        // optional: the picture's media name (its SHA-256, core/media.hpp), or ""
  LocalizedText picture_alt = {};  // what the picture shows, for who cannot see it; the title when empty
  std::string idea = {};           // the idea (its capture's UUID) the project was made from, or ""
};

// An amount of money the winners of its projects share. neighbourhood "" is the town-wide
// envelope. A project belongs to its quartier's envelope when there is one, else to the
// town-wide one (envelope_of).
struct Envelope {
  std::string neighbourhood;
  std::int64_t amount_eur = 0;
};

struct ProjectResult {
  std::string project;
  std::int64_t votes = 0;
  bool winner = false;
};
struct EnvelopeResult {
  std::string neighbourhood;  // "" town-wide
  std::int64_t amount_eur = 0;
  std::int64_t allotted_eur = 0;  // the winners' costs
  std::int64_t ballots = 0;       // counted ballots choosing at least one of its projects
  std::vector<ProjectResult> projects;  // ranked: votes, then the tie-break (decisions.md)
};
struct VoteResults {
  std::int64_t counted = 0;     // ballots counted (the first of each voter)
  std::int64_t duplicates = 0;  // later ballots of a voter already counted: flagged, never counted
  std::vector<EnvelopeResult> envelopes;  // in the vote's order of envelopes
};

struct Vote {
  std::string id;  // slug
  LocalizedText title;
  LocalizedText summary;
  std::string opens;   // "YYYY-MM-DD", first day (town time), inclusive
  std::string closes;  // "YYYY-MM-DD", last day, inclusive
  VoteState state = VoteState::open;
  VoteRule rule = VoteRule::budget;
  int min_share_percent = 0;       // budget: 0…100 of each envelope the basket touches
  std::size_t min_projects = 1;    // approval (and budget: at least one project anyway)
  std::size_t max_projects = 0;    // approval: 0 = as many as there are
  std::vector<Envelope> envelopes;  // at least one
  int min_age = 0;                  // 0: no minimum; else the voter says they have reached it
  // 32 bytes, lower-case hex: the key of the voter's keyed hash (docs/security.md, "The secret
  // ballot"). Devices need it offline; it is never shown on public pages.
  std::string voter_key;
  std::vector<Project> projects;
  std::optional<VoteResults> results;  // published results, when the coordinator published them

  const Project* find_project(const std::string& project_id) const;
  // The index in `envelopes` of the envelope `project` belongs to.
  std::size_t envelope_of(const Project& project) const;
  // Whether ballots are taken on that local day ("YYYY-MM-DD"): within [opens, closes].
  bool within_dates(const std::string& day) const;
};

// A basket's total in one envelope.
struct BasketTotal {
  std::size_t envelope = 0;
  std::int64_t cost_eur = 0;
  std::size_t projects = 0;
};
std::vector<BasketTotal> basket_totals(const Vote& vote, const std::vector<std::string>& projects);

// The rule of a basket, check_basket, is in validation.hpp with the other rules.

// A receipt code as shown to the voter: 8 characters of Crockford base32 ("K7M2-9QXD" when
// shown, stored without the dash). normal_receipt reads what a person typed (lower case,
// dashes, spaces, O for 0, I/L for 1) or "" when it cannot be one.
inline constexpr std::size_t kReceiptLength = 8;
bool is_receipt(const std::string& code);
std::string normal_receipt(const std::string& typed);
std::string shown_receipt(const std::string& code);  // with its dash

// Counting: votes per project and winners per envelope. Feed it the counted ballots (one per
// voter: the server chooses which) and it ranks each envelope's projects by votes, ties broken
// by the lower cost, then by the project's place in the vote, and takes winners in that order
// while the envelope's money allows, skipping a project that no longer fits.
class Tally {
 public:
  explicit Tally(const Vote& vote);
  // One counted ballot's projects (ids unknown to the vote are ignored: validation refused them).
  void add(const std::vector<std::string>& projects);
  void add_duplicate() { ++duplicates_; }
  VoteResults results() const;

 private:
  const Vote& vote_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::size_t> envelope_;  // by project index
  std::vector<std::int64_t> votes_;
  std::vector<std::int64_t> envelope_ballots_;
  std::vector<char> touched_;
  std::int64_t counted_ = 0, duplicates_ = 0;
};

// Votes in the catalog (consultation.cpp reads and writes them through these).
std::vector<Vote> parse_votes(const nlohmann::json& votes, const std::vector<std::string>& neighbourhoods);
nlohmann::json votes_to_json(const std::vector<Vote>& votes);
nlohmann::json vote_to_json(const Vote& vote);
// One vote's JSON (as in the catalog) read back; throws CatalogError naming the field.
Vote parse_vote(const nlohmann::json& vote, const std::vector<std::string>& neighbourhoods);
// Results as JSON for devices and the public pages: {"counted", "duplicates", "envelopes": [{
// "neighbourhood", "amount_eur", "allotted_eur", "ballots", "projects": [{"id", "votes",
// "winner"}]}]} (docs/consultation-format.md).
nlohmann::json results_to_json(const VoteResults& results);
VoteResults results_from_json(const nlohmann::json& results);

}  // namespace allervers::core
