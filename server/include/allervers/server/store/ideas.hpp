#pragma once
// Ideas under review: each idea's state, its public answer, who studies it, its milestones; the
// town's reasons for "non recevable"; merges. An idea's row is made in the same transaction as
// its capture (CaptureStore::ingest), keyed by the capture id, with its receipt code
// (core/receipt.hpp). What may change and how is checked by server/ideas.hpp (with core's
// rules) before these writes, which run inside the caller's transaction with its audit line.
// Tables: ideas, idea_milestones, idea_reasons (schema step 7).
//
// For other helpers' pages: `ideas_by_receipt` (public pages, the kiosk's "Où en est mon idée
// ?") and `ideas_in_states` (building a vote from the ideas "faisable" / "soumise au vote").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/core/idea_review.hpp"
#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct IdeaRow {
  std::string id;       // the capture's id
  std::string receipt;  // "K7QM-2XHD"
  std::string consultation, neighbourhood, theme, title, description;
  std::int64_t received_ms = 0;
  bool contact_consent = false;  // the resident agreed to be told (the contact stays sealed in the capture)
  core::IdeaState state = core::IdeaState::recue;
  std::string reason, reason_text;  // non recevable: the reason's id, and free text
  std::string assignee;             // the service or valuator's account name studying it
  std::optional<std::int64_t> estimated_cost_eur;
  std::string notes;          // internal, never public
  std::string public_answer;  // what residents read
  std::string merged_into;    // the kept idea's id when this one was merged into it, else ""
  std::int64_t updated_ms = 0;
};

struct IdeaMilestone {
  std::int64_t n = 0;  // 1, 2, … per idea, in the order added
  std::string day;     // "YYYY-MM-DD"
  std::string text;
  std::string photo_type;  // "image/jpeg", "image/png", or "" when there is no photo
  std::string photo;       // the photo's bytes in base64, "" when none
  std::int64_t added_ms = 0;
};

struct IdeaReason {
  std::string id, label;
};

// What a receipt code finds, for residents: nothing personal, nothing internal.
struct IdeaOutcome {
  std::string receipt;  // the code asked for
  std::string title;    // the idea's own title
  core::IdeaState state = core::IdeaState::recue;  // of the idea kept when it was merged
  std::string public_answer;                       // idem; for "non recevable", the reason's label and its text
  std::string merged_into_title;                   // the kept idea's title when merged, else ""
  std::vector<IdeaMilestone> milestones;           // of the idea kept, oldest first
  std::int64_t updated_ms = 0;
  std::string kept_id;  // the id of the idea whose outcome this is (the kept one when merged): its public page's
};

struct IdeaFilter {
  std::optional<core::IdeaState> state;
  std::optional<std::string> assignee;       // exact account or service name (a valuator's reach)
  std::optional<std::string> neighbourhood;  // quartier id
  std::optional<std::string> consultation;
  bool include_merged = true;
};

class IdeaStore : public virtual StoreArea {
 public:
  // Rows for ideas stored before schema step 7 (ServerStore::migrate runs it). Returns how many.
  std::int64_t derive_missing_ideas();

  std::optional<IdeaRow> idea(const std::string& id);
  // Oldest first, at most `limit`.
  std::vector<IdeaRow> ideas(const IdeaFilter& filter, std::int64_t limit);
  std::int64_t idea_count(const IdeaFilter& filter);
  // Every idea holding the code (canonical form, core::read_receipt_code), merges followed.
  // Usually one; two only in the rare collision (core/receipt.hpp), none for an unknown code.
  std::vector<IdeaOutcome> ideas_by_receipt(const std::string& code);
  // Every idea's outcome, merged ones included (each with the outcome of the idea kept), oldest
  // first; milestones without their photos. What GET /api/v1/outcomes sends devices.
  std::vector<IdeaOutcome> idea_outcomes();
  std::vector<std::string> idea_ids_with_receipt(const std::string& code);  // the office's view: ids, merged or not
  // Every idea not merged, whose state is one of `states`, of the consultation ("" for every one).
  std::vector<IdeaRow> ideas_in_states(const std::vector<core::IdeaState>& states, const std::string& consultation);
  std::int64_t ideas_merged_into(const std::string& id);  // how many ideas point to this one
  // Codes held by more than one idea (the office watches for collisions).
  std::vector<std::string> shared_receipts();

  std::vector<IdeaMilestone> idea_milestones(const std::string& id);
  std::vector<IdeaReason> idea_reasons();  // in the town's order

  // Writes, inside the caller's transaction (server/ideas.hpp checks them and audits).
  void write_idea_review(const IdeaRow& review, std::int64_t now_ms);  // state and review fields of review.id
  void write_idea_merged(const std::string& id, const std::string& into, std::int64_t now_ms);
  std::int64_t add_idea_milestone(const std::string& id, const IdeaMilestone& milestone);  // returns its n
};

}  // namespace allervers::server
