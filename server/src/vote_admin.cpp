// The coordinator's actions on a vote (vote_admin.hpp).
#include "allervers/server/vote_admin.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "allervers/core/consultation.hpp"
#include "allervers/passes/voter.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"

namespace allervers::server {

namespace {
std::vector<std::string> town_quartiers(ServerStore& store) {
  std::vector<std::string> out;
  const auto docs = store.catalogs();
  if (docs.empty()) return out;
  for (const auto& n : merge_catalogs(docs).catalog.town.neighbourhoods) out.push_back(n.id);
  return out;
}
}  // namespace

core::Vote save_vote_draft(ServerStore& store, core::Vote vote, const core::Instant& now) {
  if (vote.voter_key.empty()) {
    if (auto held = store.vote(vote.id)) vote.voter_key = held->vote.voter_key;
    else vote.voter_key = passes::new_voter_key();
  }
  vote.results.reset();
  vote.state = core::VoteState::open;
  core::Vote checked = core::parse_vote(core::vote_to_json(vote), town_quartiers(store));
  store.save_vote(checked, now.utc_ms);
  return checked;
}

void publish_vote(ServerStore& store, const std::string& id, VoteStage stage, bool with_results, const core::Instant& now) {
  auto tx = store.transaction();
  publish_vote_in_transaction(store, id, stage, with_results, now);
  tx.commit();
}

void publish_vote_in_transaction(ServerStore& store, const std::string& id, VoteStage stage, bool with_results,
                                 const core::Instant& now) {
  if (stage == VoteStage::draft) throw StoreError("a published vote does not go back to draft");
  if (with_results && stage != VoteStage::closed) throw StoreError("results are published once the vote is closed");
  auto record = store.vote(id);
  if (!record) throw StoreError("no vote " + id);
  core::Vote vote = record->vote;
  vote.state = stage == VoteStage::open ? core::VoteState::open : core::VoteState::closed;
  if (with_results) {
    vote.results = store.count_vote(vote).results;
    store.save_vote_results(id, *vote.results, now.utc_ms);
  } else if (stage == VoteStage::open) {
    vote.results.reset();
  }
  store.save_vote_stage(id, stage, now.utc_ms);
  const auto docs = store.catalogs();
  if (docs.empty()) throw StoreError("publish the town's catalog first: a vote needs the town's quartiers");
  core::Catalog catalog = merge_catalogs(docs).catalog;
  auto it = std::find_if(catalog.votes.begin(), catalog.votes.end(), [&](const core::Vote& v) { return v.id == id; });
  if (it != catalog.votes.end()) *it = vote;
  else catalog.votes.push_back(vote);
  publish_catalog(store, core::catalog_to_json(catalog), now);
}

}  // namespace allervers::server
