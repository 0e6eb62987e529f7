// The states of an idea and the one check of a change between them.
#include "allervers/core/idea_review.hpp"

#include <algorithm>
#include <array>

#include "allervers/core/names.hpp"
#include "allervers/core/text.hpp"

namespace allervers::core {
namespace {

using S = IdeaState;

constexpr EnumName<IdeaState> kNames[] = {
    {S::recue, "recue"},           {S::recevable, "recevable"},     {S::non_recevable, "non_recevable"},
    {S::en_etude, "en_etude"},     {S::faisable, "faisable"},       {S::non_faisable, "non_faisable"},
    {S::soumise_au_vote, "soumise_au_vote"}, {S::laureate, "laureate"}, {S::non_retenue, "non_retenue"},
    {S::en_travaux, "en_travaux"}, {S::realisee, "realisee"},
};

constexpr EnumName<IdeaState> kLabels[] = {
    {S::recue, "reçue"},           {S::recevable, "recevable"},     {S::non_recevable, "non recevable"},
    {S::en_etude, "en étude"},     {S::faisable, "faisable"},       {S::non_faisable, "non faisable"},
    {S::soumise_au_vote, "soumise au vote"}, {S::laureate, "lauréate"}, {S::non_retenue, "non retenue"},
    {S::en_travaux, "en travaux"}, {S::realisee, "réalisée"},
};

constexpr std::array<S, 2> kFromRecue{S::recevable, S::non_recevable};
constexpr std::array<S, 1> kFromRecevable{S::en_etude};
constexpr std::array<S, 2> kFromEtude{S::faisable, S::non_faisable};
constexpr std::array<S, 1> kFromFaisable{S::soumise_au_vote};
constexpr std::array<S, 2> kFromVote{S::laureate, S::non_retenue};
constexpr std::array<S, 1> kFromLaureate{S::en_travaux};
constexpr std::array<S, 1> kFromTravaux{S::realisee};

std::string quoted(S s) { return std::string("« ") + french_label(s) + " »"; }

// The states between `from` and `to` on the shortest way forward, or nothing when `to` cannot
// be reached (going back, or another branch).
std::optional<std::vector<S>> way(S from, S to) {
  std::vector<std::vector<S>> paths{{from}};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto path = paths[i];
    for (S next : next_states(path.back())) {
      auto longer = path;
      longer.push_back(next);
      if (next == to) return std::vector<S>(longer.begin() + 1, longer.end() - 1);
      paths.push_back(std::move(longer));
    }
  }
  return std::nullopt;
}

std::optional<ReviewProblem> text_problem(const std::string& field, const std::string& label, const std::string& text,
                                          std::size_t max, bool required) {
  if (required && is_blank(text)) return ReviewProblem{field, label + " est obligatoire."};
  if (find_text_problem(text, Lines::multi)) return ReviewProblem{field, label + " contient des caractères invalides."};
  if (code_point_count(text) > max)
    return ReviewProblem{field, label + " est trop long (" + std::to_string(max) + " caractères au plus)."};
  return std::nullopt;
}

bool is_day(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (day[i] < '0' || day[i] > '9') return false;
  const int month = (day[5] - '0') * 10 + (day[6] - '0');
  const int d = (day[8] - '0') * 10 + (day[9] - '0');
  return month >= 1 && month <= 12 && d >= 1 && d <= 31;
}

}  // namespace

const char* to_string(IdeaState state) { return name_of(kNames, state); }
std::optional<IdeaState> idea_state_named(std::string_view name) { return value_named(kNames, name); }
const char* french_label(IdeaState state) { return name_of(kLabels, state); }

std::span<const IdeaState> next_states(IdeaState state) {
  switch (state) {
    case S::recue: return kFromRecue;
    case S::recevable: return kFromRecevable;
    case S::en_etude: return kFromEtude;
    case S::faisable: return kFromFaisable;
    case S::soumise_au_vote: return kFromVote;
    case S::laureate: return kFromLaureate;
    case S::en_travaux: return kFromTravaux;
    case S::non_recevable:
    case S::non_faisable:
    case S::non_retenue:
    case S::realisee: return {};
  }
  return {};
}

std::optional<ReviewProblem> check_review_change(IdeaState from, const ReviewChange& c, std::span<const std::string> reasons) {
  const auto allowed = next_states(from);
  if (std::find(allowed.begin(), allowed.end(), c.to) == allowed.end()) {
    if (c.to == from) return ReviewProblem{"to", "L’idée est déjà " + quoted(from) + "."};
    if (const auto between = way(from, c.to)) {
      std::string steps;
      for (std::size_t i = 0; i < between->size(); ++i)
        steps += (i == 0 ? "" : i + 1 == between->size() ? " puis " : ", ") + quoted((*between)[i]);
      return ReviewProblem{"to", "Une idée " + quoted(from) + " ne peut pas devenir directement " + quoted(c.to) +
                                     " : elle doit d’abord être " + steps + "."};
    }
    if (allowed.empty()) return ReviewProblem{"to", "Une idée " + quoted(from) + " a reçu sa réponse finale : son état ne change plus."};
    std::string options;
    for (std::size_t i = 0; i < allowed.size(); ++i) options += (i == 0 ? "" : " ou ") + quoted(allowed[i]);
    return ReviewProblem{"to", "Une idée " + quoted(from) + " ne peut plus devenir " + quoted(c.to) + " : elle peut seulement devenir " +
                                   options + "."};
  }
  if (c.to == S::non_recevable) {
    if (c.reason.empty()) return ReviewProblem{"reason", "Choisissez le motif de non-recevabilité dans la liste de la ville."};
    if (std::find(reasons.begin(), reasons.end(), c.reason) == reasons.end())
      return ReviewProblem{"reason", "Le motif « " + c.reason + " » n’est pas dans la liste de la ville."};
    if (auto p = text_problem("reason_text", "Le complément du motif", c.reason_text, kMaxPublicAnswer, false)) return p;
  }
  if (c.to == S::en_etude && is_blank(c.assignee))
    return ReviewProblem{"assignee", "Indiquez le service ou l’évaluateur chargé d’étudier l’idée."};
  if (c.estimated_cost_eur && *c.estimated_cost_eur < 0)
    return ReviewProblem{"estimated_cost_eur", "Le coût estimé doit être un nombre d’euros positif ou nul."};
  const bool answer_required = c.to == S::faisable || c.to == S::non_faisable;
  if (auto p = text_problem("public_answer", "L’explication publique (montrée aux habitants)", c.public_answer, kMaxPublicAnswer,
                            answer_required))
    return p;
  if (auto p = text_problem("notes", "Les notes internes", c.notes, kMaxReviewNotes, false)) return p;
  return std::nullopt;
}

std::optional<ReviewProblem> check_milestone(IdeaState state, std::string_view day, std::string_view text) {
  if (state != S::en_travaux && state != S::realisee)
    return ReviewProblem{"milestone", "Une étape de réalisation ne s’ajoute qu’à une idée " + quoted(S::en_travaux) + " ou " +
                                          quoted(S::realisee) + " (celle-ci est " + quoted(state) + ")."};
  if (!is_day(day)) return ReviewProblem{"day", "La date de l’étape doit être une date du calendrier (AAAA-MM-JJ)."};
  return text_problem("text", "Le texte de l’étape", std::string(text), kMaxMilestoneText, true);
}

}  // namespace allervers::core
