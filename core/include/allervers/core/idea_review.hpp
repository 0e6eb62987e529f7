#pragma once
// What becomes of an idea: its states and the one place that says which change is allowed.
// The server applies these rules to every change (console, commands); devices and public
// pages only read the state and its French label.
//
//   reçue → recevable | non recevable (a reason from the town's list, and free text)
//   recevable → en étude (a service or valuator assigned, estimated cost, notes)
//   en étude → faisable | non faisable (a public explanation, required)
//   faisable → soumise au vote → lauréate | non retenue
//   lauréate → en travaux → réalisée (milestones: date, text, optional photo)
//
// A change that skips a state, goes back or repeats the state is refused with a French
// sentence naming what is missing. Merging (an idea saying the same as another) is not a
// state: the merged idea points to the one kept and shows its outcome.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::core {

enum class IdeaState {
  recue,
  recevable,
  non_recevable,
  en_etude,
  faisable,
  non_faisable,
  soumise_au_vote,
  laureate,
  non_retenue,
  en_travaux,
  realisee,
};
inline constexpr IdeaState kAllIdeaStates[] = {
    IdeaState::recue,         IdeaState::recevable,       IdeaState::non_recevable, IdeaState::en_etude,
    IdeaState::faisable,      IdeaState::non_faisable,    IdeaState::soumise_au_vote, IdeaState::laureate,
    IdeaState::non_retenue,   IdeaState::en_travaux,      IdeaState::realisee};

const char* to_string(IdeaState state);                       // stable ASCII: "recue", "non_recevable" … (stored, synced)
std::optional<IdeaState> idea_state_named(std::string_view name);  // the inverse
const char* french_label(IdeaState state);                    // "reçue", "non recevable", "soumise au vote" …
std::span<const IdeaState> next_states(IdeaState state);     // where a change may lead (empty: the end)

// A change of state as the office asks for it. Which fields count depends on `to`.
struct ReviewChange {
  IdeaState to = IdeaState::recue;
  std::string reason;         // non recevable: an id among the town's reasons
  std::string reason_text;    // non recevable: free text, optional
  std::string assignee;       // en étude: the account (service or valuator) that studies it
  std::optional<std::int64_t> estimated_cost_eur;  // en étude (optional) or later
  std::string notes;          // internal, never public
  std::string public_answer;  // what residents read; required for faisable / non faisable
};

// What is wrong with a change: the form's field and a French sentence the person can act on.
struct ReviewProblem {
  std::string field;  // "to", "reason", "assignee", "public_answer", "estimated_cost_eur", "notes" …
  std::string message;
};

// The one check of a change from `from`, with the town's reasons (ids). Nothing when allowed.
std::optional<ReviewProblem> check_review_change(IdeaState from, const ReviewChange& change, std::span<const std::string> reasons);

// A milestone of a project being built: only for an idea "en travaux" or "réalisée".
// `day` is "YYYY-MM-DD".
std::optional<ReviewProblem> check_milestone(IdeaState state, std::string_view day, std::string_view text);

// Bounds of the texts, in code points: enough for a paragraph a resident reads on a kiosk.
inline constexpr std::size_t kMaxPublicAnswer = 4000;
inline constexpr std::size_t kMaxReviewNotes = 4000;
inline constexpr std::size_t kMaxMilestoneText = 2000;

}  // namespace allervers::core
