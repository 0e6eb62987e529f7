// The review of ideas: core's rules, the reviewer's reach, one transaction with the audit line.
#include "allervers/server/ideas.hpp"

#include "allervers/crypto/base64.hpp"

namespace allervers::server {
namespace {

IdeaRow must_find(ServerStore& store, const std::string& id, const Reviewer& reviewer) {
  auto idea = store.idea(id);
  // An idea out of reach reads as unknown: a valuator learns nothing of the others.
  if (!idea || !may_see(reviewer, *idea)) throw IdeaError("idea", "Cette idée n’existe pas ou ne vous est pas confiée.");
  return *idea;
}

std::string cost_text(const std::optional<std::int64_t>& cost) { return cost ? std::to_string(*cost) : ""; }

bool starts_with(const std::string& s, std::string_view prefix) { return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

bool may_see(const Reviewer& reviewer, const IdeaRow& idea) {
  switch (reviewer.reach) {
    case Reach::all: return true;
    case Reach::assigned: return !idea.assignee.empty() && idea.assignee == reviewer.actor.name;
    case Reach::none: return false;
  }
  return false;
}

IdeaRow review_idea(ServerStore& store, const std::string& id, const core::ReviewChange& change, const Reviewer& reviewer,
                    const core::Instant& now) {
  auto tx = store.transaction();
  IdeaRow idea = must_find(store, id, reviewer);
  if (!idea.merged_into.empty())
    throw IdeaError("idea", "Cette idée a été fusionnée avec une autre : c’est l’idée conservée qui est étudiée.");
  if (reviewer.reach == Reach::assigned) {
    if (idea.state != core::IdeaState::en_etude || (change.to != core::IdeaState::faisable && change.to != core::IdeaState::non_faisable))
      throw IdeaError("to", "Un évaluateur répond seulement aux idées « en étude » qui lui sont confiées : faisable ou non faisable.");
  }
  std::vector<std::string> reasons;
  for (const auto& r : store.idea_reasons()) reasons.push_back(r.id);
  if (const auto problem = core::check_review_change(idea.state, change, reasons)) throw IdeaError(problem->field, problem->message);

  const core::IdeaState from = idea.state;
  idea.state = change.to;
  if (change.to == core::IdeaState::non_recevable) {
    idea.reason = change.reason;
    idea.reason_text = change.reason_text;
  }
  if (change.to == core::IdeaState::en_etude) idea.assignee = change.assignee;
  if (change.estimated_cost_eur) idea.estimated_cost_eur = change.estimated_cost_eur;
  if (!change.notes.empty()) idea.notes = change.notes;
  if (!change.public_answer.empty()) idea.public_answer = change.public_answer;
  store.write_idea_review(idea, now.utc_ms);
  std::string detail = std::string("from=") + core::to_string(from) + " to=" + core::to_string(change.to);
  if (change.to == core::IdeaState::non_recevable) detail += " reason=" + change.reason;
  if (change.to == core::IdeaState::en_etude) detail += " assignee=" + change.assignee;
  if (change.estimated_cost_eur) detail += " cost_eur=" + cost_text(change.estimated_cost_eur);
  audit(store, reviewer.actor, "idea.review", idea.receipt, detail + " id=" + id, now);
  // The authors who consented are told, by the server's mail loop (web/idea_mail.hpp).
  store.queue_idea_mails(id, change.to, now.utc_ms);
  tx.commit();
  idea.updated_ms = now.utc_ms;
  return idea;
}

void merge_ideas(ServerStore& store, const std::string& id, const std::string& into, const Reviewer& reviewer, const core::Instant& now) {
  if (reviewer.reach != Reach::all) throw IdeaError("idea", "Seul un coordinateur peut fusionner des idées.");
  auto tx = store.transaction();
  const IdeaRow merged = must_find(store, id, reviewer);
  const IdeaRow kept = must_find(store, into, reviewer);
  if (merged.id == kept.id) throw IdeaError("into", "Une idée ne peut pas être fusionnée avec elle-même.");
  if (!merged.merged_into.empty()) throw IdeaError("idea", "Cette idée est déjà fusionnée avec une autre.");
  if (!kept.merged_into.empty())
    throw IdeaError("into", "L’idée choisie est elle-même fusionnée : choisissez l’idée qu’elle rejoint (" + kept.merged_into + ").");
  if (store.ideas_merged_into(merged.id) > 0)
    throw IdeaError("idea", "D’autres idées ont été fusionnées avec celle-ci : fusionnez plutôt l’autre idée avec elle.");
  store.write_idea_merged(merged.id, kept.id, now.utc_ms);
  audit(store, reviewer.actor, "idea.merge", merged.receipt, "into=" + kept.receipt + " id=" + merged.id + " into_id=" + kept.id, now);
  tx.commit();
}

std::int64_t add_milestone(ServerStore& store, const std::string& id, const std::string& day, const std::string& text,
                           const std::string& photo_bytes, const Reviewer& reviewer, const core::Instant& now) {
  if (reviewer.reach != Reach::all) throw IdeaError("idea", "Seul un coordinateur peut ajouter une étape de réalisation.");
  auto tx = store.transaction();
  const IdeaRow idea = must_find(store, id, reviewer);
  if (!idea.merged_into.empty()) throw IdeaError("idea", "Cette idée a été fusionnée : ajoutez l’étape à l’idée conservée.");
  if (const auto problem = core::check_milestone(idea.state, day, text)) throw IdeaError(problem->field, problem->message);
  IdeaMilestone m;
  m.day = day;
  m.text = text;
  m.added_ms = now.utc_ms;
  if (!photo_bytes.empty()) {
    if (photo_bytes.size() > kMaxMilestonePhotoBytes) throw IdeaError("photo", "La photo dépasse 2 Mo : réduisez-la avant de l’ajouter.");
    if (starts_with(photo_bytes, "\xFF\xD8\xFF")) m.photo_type = "image/jpeg";
    else if (starts_with(photo_bytes, "\x89PNG\r\n\x1A\n")) m.photo_type = "image/png";
    else throw IdeaError("photo", "La photo doit être une image JPEG ou PNG.");
    m.photo = crypto::to_base64(std::string_view(photo_bytes));
  }
  const std::int64_t n = store.add_idea_milestone(idea.id, m);
  audit(store, reviewer.actor, "idea.milestone", idea.receipt, "n=" + std::to_string(n) + " day=" + day + " id=" + id, now);
  tx.commit();
  return n;
}

}  // namespace allervers::server
