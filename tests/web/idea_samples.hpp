#pragma once
// An idea stored as a device sends it (one capture, one batch), then moved to « soumise au
// vote » with its cost: what the console's votes take as projects (« reprendre les idées »).
#include <string>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/idea_review.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/server/store.hpp"

namespace allervers::test {

// The idea's id (its capture's).
inline std::string idea_put_to_vote(server::ServerStore& store, core::UuidGenerator& ids, const core::Instant& now,
                                    const std::string& title, const std::string& quartier, std::int64_t cost) {
  const core::Uuid from = ids.next(now.utc_ms);
  server::IngestBatch batch;
  batch.envelope = {from.str(), "b-" + title, now.utc_ms, 0, 0, true};
  core::Capture c;
  c.id = ids.next(now.utc_ms);
  c.device = from;
  c.consultation = "budget-participatif-2027";
  c.version = 1;
  c.captured_at = now;
  core::Idea idea;
  idea.title = title;
  idea.description = "Proposée au marché.";
  idea.theme = "cadre-de-vie";
  idea.neighbourhood = quartier;
  c.body = idea;
  server::CaptureRow row;
  row.id = c.id.str();
  row.device = from.str();
  row.seq = 1;
  row.kind = "idea";
  row.consultation = c.consultation;
  row.version = 1;
  row.channel = "market";
  row.language = "fr";
  row.captured_ms = row.corrected_ms = row.received_ms = now.utc_ms;
  row.batch = batch.envelope.batch;
  row.body = core::canonical_json(c);
  batch.captures.push_back(row);
  store.ingest(batch);
  auto review = *store.idea(row.id);
  review.state = core::IdeaState::soumise_au_vote;
  review.estimated_cost_eur = cost;
  auto tx = store.transaction();
  store.write_idea_review(review, now.utc_ms);
  tx.commit();
  return row.id;
}

}  // namespace allervers::test
