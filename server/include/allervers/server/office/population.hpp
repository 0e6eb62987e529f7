#pragma once
// "Who we reach": the town's population by quartier and age bracket, imported from a small CSV
// (docs/server.md, "Population"), and participation weighed against it — each group's share of
// participants beside its share of residents, and the groups under-represented by a stated
// rule (below).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/store/population.hpp"
#include "allervers/server/store/reports.hpp"

namespace allervers::server {

class ServerStore;

// --- the population CSV ----------------------------------------------------------------

// One thing wrong in the file: a stable code (for the console and tests), where (line and
// column from 1; 0 when the whole file or line is meant) and a sentence in French (for the
// console) and in English (for the command line), each naming the line and column.
struct PopulationProblem {
  std::string code;
  std::int64_t line = 0;
  int column = 0;
  std::string french, english;
};

struct PopulationFile {
  std::vector<PopulationCell> cells;       // in the file's order
  std::vector<PopulationProblem> problems;  // empty when the file can be imported (at most 20 listed)
  std::int64_t people = 0;
  bool ok() const { return problems.empty() && !cells.empty(); }
};

// Reads the CSV: UTF-8 (a BOM is skipped), ";" or "," between cells (the header line says
// which), a header naming the columns quartier, tranche_age and habitants in any order (other
// columns are ignored), lines starting with "#" and empty lines skipped. A quartier or an age
// bracket is the town's id or its French label (any case, accents or not); a number of
// residents a whole number, spaces between thousands allowed. Every (quartier, age bracket)
// once. Checks against `town` (the published catalog's).
PopulationFile parse_population_csv(std::string_view text, const core::Town& town);

// --- participation against the population ----------------------------------------------

// A group of residents: a quartier (age_bracket ""), an age bracket (neighbourhood "") or a
// quartier and an age bracket together.
struct GroupParticipation {
  std::string neighbourhood, age_bracket;
  std::string label;  // "Quartier de la Gare", "18 – 29 ans", "Quartier de la Gare, 18 – 29 ans"
  std::int64_t population = 0;
  double population_share = 0;  // of the residents the table counts
  std::int64_t participants = 0;
  double participant_share = 0;  // of the participants placed in the table's groups
  double expected = 0;           // participants it would have with its population share
  std::optional<double> index = {};  // participant share / population share (1: as many as its weight)
  bool under_represented = false;
};

struct Participation {
  std::int64_t population = 0;
  // Captures placed by quartier, by age bracket, by both (in the table's groups), and those
  // the table cannot place (quartier or age bracket not said, or not in the table).
  std::int64_t placed_by_neighbourhood = 0, placed_by_age = 0, placed_by_both = 0, not_placed = 0;
  bool enough = false;  // enough participants to judge (kMinParticipants)
  std::vector<GroupParticipation> by_neighbourhood, by_age_bracket, by_both;
  std::vector<GroupParticipation> under_represented;  // of the three lists, lowest index first
};

// The rule, one place: a group is under-represented when its share of participants is below
// four fifths of its share of residents (index < 0.8, the "four-fifths rule" of adverse-impact
// tests), provided it would expect at least 5 participants with its population share (fewer is
// chance) and at least 30 participants are placed in all (fewer says nothing of anyone).
inline constexpr double kUnderRepresentedIndex = 0.8;
inline constexpr double kMinExpected = 5;
inline constexpr std::int64_t kMinParticipants = 30;

// From participants counted by quartier × age bracket (store/reports.hpp: every capture,
// "" where not said).
Participation compute_participation(const std::vector<PopulationCell>& population, const std::vector<TallyCount>& participants,
                                    const core::Town& town);
// Under the office's filter, from the store.
Participation participation(ServerStore& store, const core::Catalog& catalog, const CaptureFilter& filter);

std::string to_json(const Participation& participation);
std::string to_json(const PopulationProblem& problem);

}  // namespace allervers::server
