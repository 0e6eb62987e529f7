#pragma once
// The town's population by quartier and age bracket, as the office imports it (a small CSV,
// office/population.hpp), to weigh participation against. Tables: population, population_import.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct PopulationCell {
  std::string neighbourhood, age_bracket;  // ids in the town's lists
  std::int64_t people = 0;
  friend bool operator==(const PopulationCell&, const PopulationCell&) = default;
};

struct PopulationImport {
  std::int64_t imported_ms = 0;
  std::string source;  // the file's name, as given
  std::int64_t lines = 0, people = 0;
};

class PopulationStore : public virtual StoreArea {
 public:
  // Replaces the whole table, in one transaction.
  void replace_population(const std::vector<PopulationCell>& cells, const PopulationImport& import);
  std::vector<PopulationCell> population();  // by quartier, then age bracket
  std::optional<PopulationImport> population_import();
};

}  // namespace allervers::server
