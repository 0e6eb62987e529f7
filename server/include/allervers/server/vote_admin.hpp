#pragma once
// The coordinator's actions on a vote, over the store's vote area (store/votes.hpp) and the
// catalog: save a draft (checked against the town's quartiers, a voter key made once), open
// and close it — each a new catalog publication devices receive at their next sync — and
// publish its results (to the devices' results screen and the public pages).
#include <string>

#include "allervers/core/time.hpp"
#include "allervers/core/vote.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

// Checks `vote` as devices will read it (core::parse_vote with the town's quartiers; throws
// core::CatalogError naming the field), gives it a voter key when it has none, saves it as a
// draft. Throws StoreError when the vote is past its draft.
core::Vote save_vote_draft(ServerStore& store, core::Vote vote, const core::Instant& now);

// Moves the vote to `stage` (open or closed) and publishes it in the catalog; with
// `with_results` (closed only), the count of the ballots held now is published with it.
void publish_vote(ServerStore& store, const std::string& id, VoteStage stage, bool with_results, const core::Instant& now);
// The same inside the caller's transaction (the console writes its audit line in it).
void publish_vote_in_transaction(ServerStore& store, const std::string& id, VoteStage stage, bool with_results,
                                 const core::Instant& now);

}  // namespace allervers::server
