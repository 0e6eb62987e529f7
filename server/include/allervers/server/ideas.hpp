#pragma once
// The review of ideas as operations, shared by the console's pages and the commands: each one
// checks the change with core's rules (core/idea_review.hpp) and the account's reach, writes it
// and its audit line in one transaction.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "allervers/core/idea_review.hpp"
#include "allervers/core/time.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

// A refused change: the form's field and a French sentence; nothing was written.
class IdeaError : public std::runtime_error {
 public:
  IdeaError(std::string field, const std::string& message) : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Who asks, and how far their review_ideas permission reaches (roles.hpp): `assigned` (a
// valuator) reaches only the ideas whose assignee is its account name, and may only answer
// them (en étude → faisable / non faisable, with cost and notes).
struct Reviewer {
  Actor actor;
  Reach reach = Reach::none;
};

// Whether the reviewer may see this idea at all.
bool may_see(const Reviewer& reviewer, const IdeaRow& idea);

// Changes the idea's state (core::check_review_change), keeping the fields the change does not
// set. Throws IdeaError (unknown idea, out of reach, merged, refused change).
IdeaRow review_idea(ServerStore& store, const std::string& id, const core::ReviewChange& change, const Reviewer& reviewer,
                    const core::Instant& now);

// Merges `id` into `into` (both not merged, different, `into` not merged into anything): `id`
// keeps its author, its capture and its receipt code, which now finds `into`'s outcome.
// Coordinators only (reach all). Throws IdeaError.
void merge_ideas(ServerStore& store, const std::string& id, const std::string& into, const Reviewer& reviewer, const core::Instant& now);

// Adds a milestone to an idea "en travaux" or "réalisée" (core::check_milestone); a photo is
// JPEG or PNG, at most kMaxMilestonePhotoBytes. Returns its number. Throws IdeaError.
inline constexpr std::size_t kMaxMilestonePhotoBytes = 2 * 1024 * 1024;
std::int64_t add_milestone(ServerStore& store, const std::string& id, const std::string& day, const std::string& text,
                           const std::string& photo_bytes, const Reviewer& reviewer, const core::Instant& now);

}  // namespace allervers::server
