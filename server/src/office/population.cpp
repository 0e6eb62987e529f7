// The population CSV, and participation weighed against it.
//
// Sections: reading the CSV · participation · JSON.
#include "allervers/server/office/population.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "allervers/core/text.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

using nlohmann::json;

// --- reading the CSV -------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxBytes = 1 << 20;      // a town's table is a few kilobytes
constexpr std::size_t kMaxProblems = 20;        // then the person fixes and tries again
constexpr std::int64_t kMaxPeople = 10'000'000;  // more than any French town's group

enum class Field { neighbourhood, age_bracket, people };
constexpr const char* kFieldNames[] = {"quartier", "tranche_age", "habitants"};

// A header as people type it ("Tranche d'âge", "HABITANTS ") → the column it names.
std::optional<Field> header_field(std::string_view cell) {
  std::string name;
  for (char c : core::fold_for_search(cell)) name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  while (!name.empty() && name.front() == '_') name.erase(0, 1);
  while (!name.empty() && name.back() == '_') name.pop_back();
  static const std::map<std::string, Field, std::less<>> kNames = {
      {"quartier", Field::neighbourhood},   {"quartiers", Field::neighbourhood}, {"neighbourhood", Field::neighbourhood},
      {"tranche_age", Field::age_bracket},  {"tranche_d_age", Field::age_bracket}, {"tranche", Field::age_bracket},
      {"age", Field::age_bracket},          {"age_bracket", Field::age_bracket}, {"habitants", Field::people},
      {"population", Field::people},        {"people", Field::people}};
  const auto it = kNames.find(name);
  return it == kNames.end() ? std::nullopt : std::optional(it->second);
}

struct Reader {
  const core::Town& town;
  PopulationFile out;

  void problem(std::string code, std::int64_t line, int column, std::string french, std::string english) {
    if (out.problems.size() < kMaxProblems)
      out.problems.push_back({std::move(code), line, column, std::move(french), std::move(english)});
  }
  // "Ligne 4, colonne 3 (habitants) : " and "line 4, column 3 (habitants): ".
  static std::string where_fr(std::int64_t line, int column, Field f) {
    return "Ligne " + std::to_string(line) + ", colonne " + std::to_string(column) + " (" + kFieldNames[static_cast<int>(f)] + ") : ";
  }
  static std::string where_en(std::int64_t line, int column, Field f) {
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (" + kFieldNames[static_cast<int>(f)] + "): ";
  }

  // The cells of one line; false (and a problem) when a quote is not closed.
  bool split(std::string_view line, char separator, std::int64_t line_no, std::vector<std::string>& cells) {
    cells.assign(1, {});
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cells.back() += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cells.back() += c;
        }
      } else if (c == '"' && core::is_blank(cells.back())) {
        cells.back().clear();
        quoted = true;
      } else if (c == separator) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    if (quoted) {
      const int column = static_cast<int>(cells.size());
      problem("population.quote", line_no, column,
              "Ligne " + std::to_string(line_no) + ", colonne " + std::to_string(column) + " : un guillemet ouvert n’est pas refermé.",
              "line " + std::to_string(line_no) + ", column " + std::to_string(column) + ": a quote is opened and never closed.");
      return false;
    }
    for (auto& cell : cells) {  // spaces around a cell are not part of it
      const auto first = cell.find_first_not_of(" \t");
      const auto last = cell.find_last_not_of(" \t");
      cell = first == std::string::npos ? std::string() : cell.substr(first, last - first + 1);
    }
    return true;
  }

  // The town's option that `cell` names, by id or French label.
  static const core::Option* find(const std::vector<core::Option>& options, const std::string& cell) {
    const std::string wanted = core::fold_for_search(cell);
    for (const auto& o : options)
      if (core::fold_for_search(o.id) == wanted || core::fold_for_search(o.label.in("fr")) == wanted) return &o;
    return nullptr;
  }

  static std::string ids(const std::vector<core::Option>& options) {
    std::string out;
    for (std::size_t i = 0; i < options.size() && i < 12; ++i) out += (i ? ", " : "") + options[i].id;
    return options.size() > 12 ? out + ", …" : out;
  }

  // A whole number of residents: digits, spaces (plain, no-break or thin) between thousands.
  static std::optional<std::int64_t> people(const std::string& cell) {
    std::int64_t n = 0;
    bool digits = false;
    for (std::size_t i = 0; i < cell.size(); ++i) {
      const char c = cell[i];
      if (c >= '0' && c <= '9') {
        n = n * 10 + (c - '0');
        digits = true;
        if (n > kMaxPeople * 10) return std::nullopt;
      } else if (c == ' ') {
        continue;
      } else if (cell.compare(i, 2, "\xC2\xA0") == 0) {
        ++i;
      } else if (cell.compare(i, 3, "\xE2\x80\xAF") == 0 || cell.compare(i, 3, "\xE2\x80\x89") == 0) {
        i += 2;
      } else {
        return std::nullopt;
      }
    }
    return digits ? std::optional(n) : std::nullopt;
  }

  void read(std::string_view text) {
    if (text.size() > kMaxBytes) {
      problem("population.too_large", 0, 0, "Le fichier est trop grand (plus de 1 Mio) pour un tableau de population.",
              "the file is too large (over 1 MiB) for a population table.");
      return;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const auto bad = core::find_text_problem(text, core::Lines::multi);
        bad && bad->kind == core::TextProblem::Kind::invalid_utf8) {
      const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad->offset), '\n');
      problem("population.encoding", line, 0,
              "Ligne " + std::to_string(line) + " : le texte n’est pas en UTF-8 (enregistrez le fichier en « CSV UTF-8 »).",
              "line " + std::to_string(line) + ": the text is not UTF-8 (save the file as \"CSV UTF-8\").");
      return;
    }
    if (town.neighbourhoods.empty() || town.age_brackets.empty()) {
      problem("population.no_town", 0, 0,
              "La ville n’a pas encore publié ses quartiers et tranches d’âge (catalogue) : rien à quoi rapporter la population.",
              "the town has not published its quartiers and age brackets yet (catalog): nothing to weigh the population against.");
      return;
    }

    std::int64_t line_no = 0, header_line = 0;
    std::optional<char> separator;
    int columns[3] = {0, 0, 0};  // column (from 1) of each field
    std::map<std::pair<std::string, std::string>, std::int64_t> seen;  // → line
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (core::is_blank(line) || line.front() == '#') continue;
      if (!separator) {  // the header: it says the separator and where each column is
        separator = line.find(';') != std::string_view::npos ? ';' : ',';
        header_line = line_no;
        if (!split(line, *separator, line_no, cells)) return;
        for (std::size_t c = 0; c < cells.size(); ++c)
          if (const auto f = header_field(cells[c]); f && columns[static_cast<int>(*f)] == 0)
            columns[static_cast<int>(*f)] = static_cast<int>(c + 1);
        for (int f = 0; f < 3; ++f)
          if (columns[f] == 0)
            problem("population.header", line_no, 0,
                    "Ligne " + std::to_string(line_no) + " : la colonne « " + kFieldNames[f] +
                        " » manque dans l’en-tête (attendu : quartier;tranche_age;habitants).",
                    "line " + std::to_string(line_no) + ": the header has no \"" + kFieldNames[f] +
                        "\" column (expected: quartier;tranche_age;habitants).");
        if (!out.problems.empty()) return;
        continue;
      }
      if (!split(line, *separator, line_no, cells)) continue;
      std::string value[3];
      bool complete = true;
      for (int f = 0; f < 3; ++f) {
        const auto c = static_cast<std::size_t>(columns[f]);
        value[f] = c <= cells.size() ? cells[c - 1] : std::string();
        if (value[f].empty()) {
          complete = false;
          problem("population.missing_value", line_no, columns[f], where_fr(line_no, columns[f], Field(f)) + "la case est vide.",
                  where_en(line_no, columns[f], Field(f)) + "the cell is empty.");
        }
      }
      if (!complete) continue;
      const core::Option* q = find(town.neighbourhoods, value[0]);
      const core::Option* a = find(town.age_brackets, value[1]);
      const auto n = people(value[2]);
      const int cq = columns[0], ca = columns[1], cn = columns[2];
      if (!q)
        problem("population.unknown_neighbourhood", line_no, cq,
                where_fr(line_no, cq, Field::neighbourhood) + "« " + value[0] + " » n’est pas un quartier de la ville (" +
                    ids(town.neighbourhoods) + ").",
                where_en(line_no, cq, Field::neighbourhood) + "\"" + value[0] + "\" is not one of the town's quartiers (" +
                    ids(town.neighbourhoods) + ").");
      if (!a)
        problem("population.unknown_age_bracket", line_no, ca,
                where_fr(line_no, ca, Field::age_bracket) + "« " + value[1] + " » n’est pas une tranche d’âge de la ville (" +
                    ids(town.age_brackets) + ").",
                where_en(line_no, ca, Field::age_bracket) + "\"" + value[1] + "\" is not one of the town's age brackets (" +
                    ids(town.age_brackets) + ").");
      if (!n)
        problem("population.not_a_number", line_no, cn,
                where_fr(line_no, cn, Field::people) + "« " + value[2] + " » n’est pas un nombre d’habitants (un nombre entier, par exemple 1 250).",
                where_en(line_no, cn, Field::people) + "\"" + value[2] + "\" is not a number of residents (a whole number, e.g. 1250).");
      else if (*n > kMaxPeople)
        problem("population.too_many", line_no, cn,
                where_fr(line_no, cn, Field::people) + value[2] + " habitants, c’est plus que ne compte aucun quartier (10 000 000 au plus).",
                where_en(line_no, cn, Field::people) + value[2] + " residents is more than any quartier holds (10,000,000 at most).");
      if (!q || !a || !n || *n > kMaxPeople) continue;
      const auto [it, fresh] = seen.emplace(std::make_pair(q->id, a->id), line_no);
      if (!fresh) {
        problem("population.duplicate", line_no, 0,
                "Ligne " + std::to_string(line_no) + " : le quartier « " + q->id + " » et la tranche « " + a->id +
                    " » figurent déjà ligne " + std::to_string(it->second) + ".",
                "line " + std::to_string(line_no) + ": quartier \"" + q->id + "\" with age bracket \"" + a->id +
                    "\" is already on line " + std::to_string(it->second) + ".");
        continue;
      }
      out.cells.push_back({q->id, a->id, *n});
      out.people += *n;
    }
    if (!separator)
      problem("population.empty", 0, 0, "Le fichier est vide : il faut un en-tête (quartier;tranche_age;habitants) puis une ligne par groupe.",
              "the file is empty: it needs a header (quartier;tranche_age;habitants) and then a line per group.");
    else if (out.cells.empty() && out.problems.empty())
      problem("population.no_rows", header_line, 0,
              "Ligne " + std::to_string(header_line) + " : le fichier n’a qu’un en-tête, aucune ligne de population.",
              "line " + std::to_string(header_line) + ": the file has a header and no population line.");
  }
};

}  // namespace

PopulationFile parse_population_csv(std::string_view text, const core::Town& town) {
  Reader reader{town, {}};
  reader.read(text);
  if (!reader.out.problems.empty()) {
    reader.out.cells.clear();
    reader.out.people = 0;
  }
  return std::move(reader.out);
}

// --- participation ---------------------------------------------------------------------

namespace {

std::string label_of(const std::vector<core::Option>& options, const std::string& id) {
  for (const auto& o : options)
    if (o.id == id) return o.label.in("fr");
  return id;
}

void judge(GroupParticipation& g, std::int64_t placed, std::int64_t population) {
  g.population_share = population > 0 ? static_cast<double>(g.population) / static_cast<double>(population) : 0;
  g.participant_share = placed > 0 ? static_cast<double>(g.participants) / static_cast<double>(placed) : 0;
  g.expected = g.population_share * static_cast<double>(placed);
  if (g.population_share > 0 && placed > 0) g.index = g.participant_share / g.population_share;
  g.under_represented = placed >= kMinParticipants && g.expected >= kMinExpected && g.index && *g.index < kUnderRepresentedIndex;
}

}  // namespace

Participation compute_participation(const std::vector<PopulationCell>& population, const std::vector<TallyCount>& participants,
                                    const core::Town& town) {
  Participation out;
  std::map<std::string, std::int64_t> pop_q, pop_a, part_q, part_a;
  std::map<std::pair<std::string, std::string>, std::int64_t> pop_cell, part_cell;
  for (const auto& c : population) {
    pop_q[c.neighbourhood] += c.people;
    pop_a[c.age_bracket] += c.people;
    pop_cell[{c.neighbourhood, c.age_bracket}] += c.people;
    out.population += c.people;
  }
  std::int64_t total = 0;
  for (const auto& p : participants) {
    total += p.n;
    if (pop_q.contains(p.key)) {
      part_q[p.key] += p.n;
      out.placed_by_neighbourhood += p.n;
    }
    if (pop_a.contains(p.key2)) {
      part_a[p.key2] += p.n;
      out.placed_by_age += p.n;
    }
    if (pop_cell.contains({p.key, p.key2})) {
      part_cell[{p.key, p.key2}] += p.n;
      out.placed_by_both += p.n;
    }
  }
  out.not_placed = total - out.placed_by_both;
  out.enough = out.placed_by_neighbourhood >= kMinParticipants || out.placed_by_age >= kMinParticipants;

  // In the town's order (groups of the table the town no longer lists, after).
  auto ordered = [](const std::vector<core::Option>& options, const std::map<std::string, std::int64_t>& held) {
    std::vector<std::string> ids;
    for (const auto& o : options)
      if (held.contains(o.id)) ids.push_back(o.id);
    for (const auto& [id, n] : held)
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    return ids;
  };
  const auto quartiers = ordered(town.neighbourhoods, pop_q);
  const auto ages = ordered(town.age_brackets, pop_a);
  for (const auto& q : quartiers) {
    GroupParticipation g{q, "", label_of(town.neighbourhoods, q), pop_q[q]};
    g.participants = part_q[q];
    judge(g, out.placed_by_neighbourhood, out.population);
    out.by_neighbourhood.push_back(g);
  }
  for (const auto& a : ages) {
    GroupParticipation g{"", a, label_of(town.age_brackets, a), pop_a[a]};
    g.participants = part_a[a];
    judge(g, out.placed_by_age, out.population);
    out.by_age_bracket.push_back(g);
  }
  for (const auto& q : quartiers)
    for (const auto& a : ages) {
      const auto it = pop_cell.find({q, a});
      if (it == pop_cell.end()) continue;
      GroupParticipation g{q, a, label_of(town.neighbourhoods, q) + ", " + label_of(town.age_brackets, a), it->second};
      g.participants = part_cell[{q, a}];
      judge(g, out.placed_by_both, out.population);
      out.by_both.push_back(g);
    }
  for (const auto* list : {&out.by_neighbourhood, &out.by_age_bracket, &out.by_both})
    for (const auto& g : *list)
      if (g.under_represented) out.under_represented.push_back(g);
  std::stable_sort(out.under_represented.begin(), out.under_represented.end(),
                   [](const GroupParticipation& a, const GroupParticipation& b) { return *a.index < *b.index; });
  return out;
}

Participation participation(ServerStore& store, const core::Catalog& catalog, const CaptureFilter& filter) {
  return compute_participation(store.population(), store.count_captures(filter, Dimension::neighbourhood, Dimension::age_bracket),
                               catalog.town);
}

// --- JSON ------------------------------------------------------------------------------

namespace {

json group_json(const GroupParticipation& g) {
  json j{{"label", g.label},
         {"population", g.population},
         {"population_share", g.population_share},
         {"participants", g.participants},
         {"participant_share", g.participant_share},
         {"expected", g.expected},
         {"index", g.index ? json(*g.index) : json(nullptr)},
         {"under_represented", g.under_represented}};
  if (!g.neighbourhood.empty()) j["neighbourhood"] = g.neighbourhood;
  if (!g.age_bracket.empty()) j["age_bracket"] = g.age_bracket;
  return j;
}

json groups_json(const std::vector<GroupParticipation>& groups) {
  json out = json::array();
  for (const auto& g : groups) out.push_back(group_json(g));
  return out;
}

}  // namespace

std::string to_json(const Participation& p) {
  return json{{"population", p.population},
              {"placed_by_neighbourhood", p.placed_by_neighbourhood},
              {"placed_by_age", p.placed_by_age},
              {"placed_by_both", p.placed_by_both},
              {"not_placed", p.not_placed},
              {"enough", p.enough},
              {"rule", {{"index_below", kUnderRepresentedIndex}, {"min_expected", kMinExpected}, {"min_participants", kMinParticipants}}},
              {"by_neighbourhood", groups_json(p.by_neighbourhood)},
              {"by_age_bracket", groups_json(p.by_age_bracket)},
              {"by_both", groups_json(p.by_both)},
              {"under_represented", groups_json(p.under_represented)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string to_json(const PopulationProblem& problem) {
  return json{{"code", problem.code}, {"line", problem.line}, {"column", problem.column}, {"fr", problem.french}, {"en", problem.english}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace allervers::server
