// A vote's results as CSV and XLSX for the office (vote_exports.hpp).
#include "allervers/server/office/vote_exports.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "allervers/server/office/exports.hpp"
#include "export_tables.hpp"
#include "xlsx.hpp"

namespace allervers::server {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";  // French Excel then reads UTF-8

std::string envelope_label(const core::Town& town, const std::string& neighbourhood) {
  if (neighbourhood.empty()) return "Toute la ville";
  const auto* q = town.find_neighbourhood(neighbourhood);
  return q ? q->label.in("fr") : neighbourhood;
}

// One row per project of each envelope, ranked as the count ranks them.
struct ResultRow {
  std::string envelope;
  std::int64_t amount = 0;
  std::int64_t rank = 0;
  std::string project_id, project_title;
  std::int64_t cost = 0, votes = 0;
  bool winner = false;
};

std::vector<ResultRow> result_rows(const core::Vote& vote, const VoteCount& count, const core::Town& town) {
  std::vector<ResultRow> rows;
  for (const auto& e : count.results.envelopes) {
    std::int64_t rank = 0;
    for (const auto& p : e.projects) {
      const core::Project* project = vote.find_project(p.project);
      rows.push_back({envelope_label(town, e.neighbourhood), e.amount_eur, ++rank, p.project,
                      project ? project->title.in("fr") : p.project, project ? project->cost_eur : 0, p.votes, p.winner});
    }
  }
  return rows;
}

const std::vector<exports::Column> kResultColumns = {{"Enveloppe", 22}, {"Montant de l’enveloppe (€)", 16}, {"Rang", 8},
                                                     {"Projet", 40},    {"Identifiant", 20},              {"Coût (€)", 12},
                                                     {"Voix", 10},      {"Lauréat", 10}};

}  // namespace

std::string vote_results_csv(const core::Vote& vote, const VoteCount& count, const core::Town& town) {
  std::string out(kBom);
  auto line = [&out](const std::vector<std::string>& cells) { append_csv_line(out, cells); };
  std::vector<std::string> header;
  for (const auto& c : kResultColumns) header.push_back(c.header);
  line(header);
  for (const auto& r : result_rows(vote, count, town))
    line({r.envelope, std::to_string(r.amount), std::to_string(r.rank), r.project_title, r.project_id, std::to_string(r.cost),
          std::to_string(r.votes), r.winner ? "oui" : "non"});
  return out;
}

std::string vote_results_xlsx(const core::Vote& vote, const VoteCount& count, const core::Town& town,
                              const std::function<std::string(std::int64_t)>& town_time, const std::filesystem::path& work_dir) {
  const std::filesystem::path dir = work_dir.empty() ? std::filesystem::temp_directory_path() : work_dir;
  std::string path = (dir / "allervers-vote-XXXXXX.xlsx").string();
  const int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "XLSX: cannot make a work file in " + dir.string());
  ::close(fd);
  std::string bytes;
  try {
    exports::XlsxWorkbook book(path, dir);
    auto text = [](const std::string& s) {
      exports::Cell c;
      c.set_text(s);
      return c;
    };
    auto number = [](std::int64_t n) {
      exports::Cell c;
      c.set_number(n);
      return c;
    };
    const int results = book.add_sheet("Résultats", kResultColumns);
    for (const auto& r : result_rows(vote, count, town))
      book.write_row(results, {text(r.envelope), number(r.amount), number(r.rank), text(r.project_title), text(r.project_id),
                               number(r.cost), number(r.votes), text(r.winner ? "oui" : "non")});
    const int turnout = book.add_sheet("Participation", {{"Par", 12}, {"Canal ou appareil", 30}, {"Bulletins comptés", 16}});
    for (const auto& t : count.by_channel) book.write_row(turnout, {text("canal"), text(t.label), number(t.ballots)});
    for (const auto& t : count.by_device) book.write_row(turnout, {text("appareil"), text(t.label), number(t.ballots)});
    const int flagged = book.add_sheet("Bulletins signalés", {{"Reçu", 12},
                                                               {"Appareil du bulletin écarté", 28},
                                                               {"Voté le (heure corrigée)", 18},
                                                               {"Appareil du bulletin compté", 28},
                                                               {"Bulletin compté voté le", 18}});
    for (const auto& f : count.flagged)
      book.write_row(flagged, {text(core::shown_receipt(f.receipt)), text(f.device_name.empty() ? f.device : f.device_name),
                               text(town_time(f.corrected_ms)), text(f.kept_device_name.empty() ? f.kept_device : f.kept_device_name),
                               text(town_time(f.kept_corrected_ms))});
    book.close();
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw;
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return bytes;
}

}  // namespace allervers::server
