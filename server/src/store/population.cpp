// The town's population by quartier and age bracket.
#include "allervers/server/store/population.hpp"

namespace allervers::server {

void PopulationStore::replace_population(const std::vector<PopulationCell>& cells, const PopulationImport& import) {
  sql::Transaction tx(db());
  db().exec("DELETE FROM population");
  for (const auto& c : cells)
    db().exec("INSERT INTO population(neighbourhood, age_bracket, people) VALUES($1, $2, $3)", {c.neighbourhood, c.age_bracket, c.people});
  db().exec("DELETE FROM population_import");
  db().exec("INSERT INTO population_import(one, imported_ms, source, lines, people) VALUES(1, $1, $2, $3, $4)",
            {import.imported_ms, import.source, import.lines, import.people});
  tx.commit();
}

std::vector<PopulationCell> PopulationStore::population() {
  std::vector<PopulationCell> out;
  for (const auto row : db().query("SELECT neighbourhood, age_bracket, people FROM population ORDER BY neighbourhood, age_bracket"))
    out.push_back({row.text(0), row.text(1), row.int64(2)});
  return out;
}

std::optional<PopulationImport> PopulationStore::population_import() {
  const auto rows = db().query("SELECT imported_ms, source, lines, people FROM population_import");
  if (rows.empty()) return std::nullopt;
  const auto row = rows[0];
  return PopulationImport{row.int64(0), row.text(1), row.int64(2), row.int64(3)};
}

}  // namespace allervers::server
