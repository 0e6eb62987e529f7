#pragma once
// The vote booth: a resident casts a ballot of a participatory-budget vote (core/vote.hpp).
// Identified by a pass (scanned, or its fallback code typed), as at the assembly desk; the
// minimum age said; the basket checked by core's one rule (check_basket) at every tap; a
// summary; « Valider mon vote » commits the ballot before the thank-you shows its receipt code.
// The pass id never leaves this controller: only its keyed hash (passes::voter_hash) goes
// into the ballot, and it is forgotten with the session (docs/security.md, "The secret ballot").
#include <cstdint>
#include <optional>
#include <string>

#include "allervers/app/commands.hpp"
#include "allervers/core/vote.hpp"
#include "allervers/passes/pass.hpp"
#include "engine/context.hpp"

namespace allervers::app {

// Whether the vote takes ballots today (state open and within its dates), on this device's clock.
bool vote_takes_ballots(const core::Vote& vote, const core::Instant& now);
// The votes the activity choice offers: open ones (a tap outside their dates is refused in
// words) and closed ones whose results were published, in the catalog's order.
std::vector<const core::Vote*> offered_votes(const core::Catalog& catalog);

class VoteBooth {
 public:
  explicit VoteBooth(EngineContext& engine);

  void choose(const std::string& vote_id);
  void scanned(const command::Scanned& scan);
  void open_typed_code(bool open);
  void set_typed_code(const std::string& text);
  void submit_typed_code();
  void confirm_age(bool reached);
  void toggle(const std::string& project);
  void next();  // choose → summary (when the basket may be cast)
  void back();
  void cast();  // « Valider mon vote »
  void show_results(const std::string& vote_id);  // from the activity choice
  // A new session. `was_voting`: the vote was left half-way (the welcome says so).
  void forget(bool was_voting);
  bool wants_scanner() const {
    return view_.screen == Screen::vote && view_.vote.step == VoteStep::identify && !view_.vote.typing_code;
  }
  void tick(std::int64_t now);
  std::optional<std::int64_t> ms_until_next(std::int64_t now) const;

 private:
  const core::Vote* vote() const;
  void identified(const passes::PassId& pass);
  void refuse_pass(const std::string& key);
  void end(const std::string& key);  // refused for good: the age, a second ballot

  EngineContext& e_;
  ViewState& view_;
  std::optional<passes::PassVerifier> verifier_;
  std::string voter_;  // the keyed hash of the identified pass, until the session ends
};

}  // namespace allervers::app
