// A ballot of a participatory-budget vote: the basket, the voter's keyed hash, the receipt code.
#include <algorithm>

#include "kinds.hpp"

namespace allervers::core::kinds {

using nlohmann::json;

Ballot read(std::type_identity<Ballot>, const json* j, RecordReader& r) {
  Ballot b;
  if (!j || !j->is_object()) {
    r.error("ballot", j ? "wrong_type" : "required", "a ballot needs a \"ballot\" object (vote, projects, voter, receipt)");
    return b;
  }
  r.reject_unknown_keys(*j, {"vote", "projects", "voter", "receipt", "age_confirmed", "paper"}, "ballot.");
  b.vote = r.string(*j, "vote", "ballot.vote").value_or("");
  b.voter = r.string(*j, "voter", "ballot.voter").value_or("");
  b.receipt = r.string(*j, "receipt", "ballot.receipt").value_or("");
  if (const json* projects = r.get(*j, "projects")) {
    if (!projects->is_array()) r.error("ballot.projects", "wrong_type", "expected a list of project ids");
    else
      for (const auto& p : *projects) {
        if (!p.is_string()) {
          r.error("ballot.projects", "wrong_type", "a project id is a text");
          break;
        }
        b.projects.push_back(p.get<std::string>());
      }
  }
  for (auto [key, flag] : {std::pair{"age_confirmed", &b.age_confirmed}, std::pair{"paper", &b.paper}})
    if (const json* v = r.get(*j, key)) {
      if (v->is_boolean()) *flag = v->get<bool>();
      else r.error(std::string("ballot.") + key, "wrong_type", "expected true or false");
    }
  return b;
}

void write(const Ballot& body, Fields& out) {
  out.text("vote", body.vote);
  out.texts("projects", body.projects);
  out.text("voter", body.voter);
  out.text("receipt", body.receipt);
  if (body.age_confirmed) out.boolean("age_confirmed", true);
  if (body.paper) out.boolean("paper", true);
}

void check(const Ballot& body, const Consultation*, Checker& check) {
  const Vote* vote = check.catalog().find_vote(body.vote);
  if (body.vote.empty()) check.error("ballot.vote", "required", "say which vote the ballot is for");
  else if (!vote) check.error("ballot.vote", "unknown_vote", "\"" + Checker::printable(body.vote) + "\" is not a known vote");
  const bool hex = body.voter.size() == 64 && std::all_of(body.voter.begin(), body.voter.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) check.error("ballot.voter", "invalid_voter", "the voter is a keyed hash of the pass: 64 lower-case hex characters");
  if (!is_receipt(body.receipt))
    check.error("ballot.receipt", "invalid_receipt", "a receipt code has 8 characters of 0-9 and A-Z without I, L, O, U");
  if (!vote) return;
  if (const Instant* at = check.captured_at(); at && !vote->within_dates(local_day(*at)))
    check.error("captured_at", "outside_dates", "the vote " + vote->id + " takes ballots from " + vote->opens + " to " + vote->closes +
                                                    ", not on " + local_day(*at));
  if (vote->min_age > 0 && !body.age_confirmed)
    check.error("ballot.age_confirmed", "under_min_age",
                "the vote is for people aged " + std::to_string(vote->min_age) + " or more: the voter must say so");
  for (auto& e : check_basket(*vote, body.projects)) check.error(e.field, e.code, e.message);
}

}  // namespace allervers::core::kinds
