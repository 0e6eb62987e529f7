#pragma once
// What became of a receipt code, read on the device from what the last sync brought down
// (GET /api/v1/outcomes, kept by storage under outcome keys): the kiosk's « Où en est mon
// idée ? » and « Mon vote a-t-il été compté ? », offline. The device holds no code in clear:
// a typed or scanned code is turned into its outcome key (passes/outcome_keys.hpp) and looked
// up; a code of a capture made here and not yet answered for says where that capture is.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/protocol.hpp"

namespace allervers::sync {

// What the kiosk can say of a code, from the most to the least it knows.
enum class FollowFound {
  invalid_code,  // not 8 characters of the codes' alphabet: mistyped
  known,         // the town's answer is here (idea: its state and answer; ballot: counted or flagged)
  here_pending,  // made on this device, not yet sent to the town hall
  here_sent,     // made on this device and received by the town hall, not in the outcomes yet
  unknown,       // not received by the town hall (yet), or mistyped
};
const char* to_string(FollowFound found);

struct IdeaFollow {
  FollowFound found = FollowFound::invalid_code;
  std::string code;  // canonical ("K7QM-2XHD"), "" when invalid
  std::vector<protocol::IdeaOutcomeEntry> ideas;  // known: usually one (two on a shared code)
  std::optional<core::Instant> checked_at;        // when the server last confirmed the outcomes
};
IdeaFollow follow_idea(const storage::DeviceStore& store, std::string_view typed);

enum class BallotOutcome { none, counted, flagged };
struct BallotFollow {
  FollowFound found = FollowFound::invalid_code;
  std::string code;  // shown form ("K7M2-9QXD"), "" when invalid
  std::string vote;  // the vote's id, when known or made here
  BallotOutcome outcome = BallotOutcome::none;  // known: counted, or flagged (a second ballot)
  std::optional<core::Instant> checked_at;
};
BallotFollow follow_ballot(const storage::DeviceStore& store, std::string_view typed);

// The code a scan carries: the thank-you screen's QR code is a public page's address with
// `?code=…` (receipt_page_url); anything else is taken as typed.
std::string code_from_scan(std::string_view scanned);
// The public page that checks a code, "" when the server named no public pages.
std::string idea_follow_url(const std::string& public_url, const std::string& code);    // PUBLIC/suivi?code=…
std::string ballot_receipt_url(const std::string& public_url, const std::string& code);  // PUBLIC/votes/recu?code=…

// The rows storage keeps for a document (the sync client's, and tests').
std::vector<storage::DeviceStore::OutcomeRow> outcome_rows(const protocol::Outcomes& outcomes);

}  // namespace allervers::sync
