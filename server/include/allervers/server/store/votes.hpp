#pragma once
// Votes of the participatory budget, their ballots and their count. Tables: votes (each vote's
// definition as core's JSON, its state, its dates of change), ballots (one row per ballot
// capture received, written at ingest in the capture's transaction: the vote, the voter's keyed
// hash, the receipt, where and when it was cast, the basket). Schema step 9.
//
// One vote per person: of a voter's ballots in a vote, the first counts — by the capture time
// corrected by the device's measured clock offset, then by the capture's id (UUIDv7, so a
// device's own order) — and the later ones are flagged, shown with both devices, never
// counted. The rule and its tie-break are in docs/decisions.md.
//
// For the public pages (issue 13): vote_results() and find_receipt() are the query API; JSON
// through core::results_to_json and receipt_to_json (docs/server.md, "Votes").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "allervers/core/vote.hpp"
#include "allervers/server/store/area.hpp"
#include "allervers/server/store/captures.hpp"

namespace allervers::server {

// draft: being written in the console, never on devices; open: published, taking ballots
// between its dates; closed: published as closed, no more ballots; results published or not.
enum class VoteStage { draft, open, closed };
const char* to_string(VoteStage stage);
std::optional<VoteStage> vote_stage_from(const std::string& name);

struct VoteRecord {
  core::Vote vote;  // with its voter_key; results only when published
  VoteStage stage = VoteStage::draft;
  std::int64_t created_ms = 0, updated_ms = 0;
  std::int64_t results_published_ms = 0;  // 0: not published
};

// A later ballot of a voter already counted, with the one that counts.
struct FlaggedBallot {
  std::string capture, device, device_name, channel, receipt;
  std::int64_t corrected_ms = 0;
  std::string kept_capture, kept_device, kept_device_name;
  std::int64_t kept_corrected_ms = 0;
};

struct VoteTurnout {
  std::string key;    // channel name, or device id
  std::string label;  // the device's name (devices), the channel's name otherwise
  std::int64_t ballots = 0;
};

struct VoteCount {
  core::VoteResults results;
  std::vector<FlaggedBallot> flagged;  // by time
  std::vector<VoteTurnout> by_channel, by_device;  // counted ballots only
  std::int64_t paper = 0;                            // counted paper ballots
};

enum class ReceiptState { counted, not_counted, unknown };
const char* to_string(ReceiptState state);  // "counted", "not_counted", "unknown"
struct ReceiptCheck {
  ReceiptState state = ReceiptState::unknown;
  std::string vote;
  std::int64_t corrected_ms = 0;  // when the ballot was cast (town clock)
};
nlohmann::json receipt_to_json(const ReceiptCheck& check);  // {"state", "vote", "cast_ms"}

// Every receipt of a vote's ballots, counted or not (GET /api/v1/outcomes hashes them for
// devices), each list sorted by the code itself.
struct ReceiptOutcomes {
  std::vector<std::string> counted, flagged;
};

class VoteStore : public virtual StoreArea {
 public:
  // A new draft or a draft changed; a vote past draft keeps its projects and rule (its
  // ballots were cast on them): only save_vote_stage moves it on. Throws StoreError.
  void save_vote(const core::Vote& vote, std::int64_t now_ms);
  void save_vote_stage(const std::string& id, VoteStage stage, std::int64_t now_ms);
  void save_vote_results(const std::string& id, const core::VoteResults& results, std::int64_t now_ms);
  std::optional<VoteRecord> vote(const std::string& id);
  std::vector<VoteRecord> votes();  // by creation, newest first

  // The count of `vote` from the ballots held now (results() of core's Tally).
  VoteCount count_vote(const core::Vote& vote);
  // What a receipt code says: its ballot counted, not counted (a later ballot of a voter
  // already counted), or unknown here (not received yet, or mistyped). `code` as typed.
  ReceiptCheck find_receipt(const std::string& code);
  std::int64_t ballot_count(const std::string& vote);
  ReceiptOutcomes receipt_outcomes(const std::string& vote);
};

// Inside ingest's transaction (CaptureStore::ingest): the ballots among the captures inserted.
void record_ballots(sql::Driver& db, const std::vector<CaptureRow>& captures, const std::vector<std::size_t>& inserted);

}  // namespace allervers::server
