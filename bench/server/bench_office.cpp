// bench_office: the office's data on a town-sized store — 1,000,000 captures (opinions to three
// surveys, ideas, sign-ins) from 50 devices over 300 days in 12 quartiers — on SQLite and on
// PostgreSQL: how fast they load through the store's ingest (tallies included), how long every
// dashboard query takes under varied filters (p50, p95, max), and how fast the exports write
// and with how much memory (a real `allervers-server export` process, its peak RSS), each
// beside a floor the database itself sets.
//
//   bench_office [--captures N] [--sqlite-only | --postgresql-only] [--runs N] [--keep FILE] [--load-only]
//   (--keep: the SQLite database is made at FILE and left there, for profiling; --load-only:
//   the load's figures alone)
//
// Sections: helpers · the town · captures · loading · dashboard queries · exports · main.
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <random>

#include "allervers/core/capture_json.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/office/dashboard.hpp"
#include "allervers/server/office/population.hpp"
#include "allervers/server/store.hpp"
#include "pg_instance.hpp"
#include "test_support.hpp"

using namespace allervers;
using Clock = std::chrono::steady_clock;
using server::CaptureFilter;
using server::Dimension;

namespace {

// --- helpers ---------------------------------------------------------------------------

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Spawned {
  int exit_code = -1;
  double seconds = 0;
  long max_rss_kib = 0;
};


// Runs argv with standard output to `out` (a file) and standard error silenced; its wall time
// and peak resident memory. Linux keeps a process's peak across exec, including the memory of
// the process it was forked or spawned from: so this program first starts a fresh copy of
// itself (`--measure`, a few MiB), which forks the command and reports wait4's peak.
std::string self_path() { return std::filesystem::canonical("/proc/self/exe").string(); }

Spawned spawn(const std::vector<std::string>& argv, const std::string& out = "/dev/null") {
  test::TempDir dir;
  const std::string report = (dir.path() / "rss").string();
  std::vector<std::string> full = {self_path(), "--measure", report};
  full.insert(full.end(), argv.begin(), argv.end());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : full) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = Clock::now();
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + full[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Spawned result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, seconds_since(t0), 0};
  if (std::filesystem::exists(report)) result.max_rss_kib = std::stol(test::read_file(report));
  return result;
}

// The fresh copy's part: runs argv[0] with the rest, writes its peak RSS (KiB) to `report`.
int measure(const std::string& report, char** argv) {
  const pid_t pid = ::fork();
  if (pid < 0) return 126;
  if (pid == 0) {
    ::execv(argv[0], argv);
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  test::write_file(report, std::to_string(usage.ru_maxrss));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

struct Timings {
  std::vector<double> ms;
  double percentile(double p) const {
    auto v = ms;
    std::sort(v.begin(), v.end());
    if (v.empty()) return 0;
    const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
  }
};

template <class F>
double time_ms(F&& f) {
  const auto t0 = Clock::now();
  f();
  return seconds_since(t0) * 1000;
}

// --- the town --------------------------------------------------------------------------

constexpr int kQuartiers = 12;
constexpr int kDays = 300;
constexpr int kDevices = 50;
const char* const kAges[] = {"moins-18", "18-24", "25-39", "40-54", "55-64", "65-79", "80-plus"};
const char* const kChannelOfDevice[] = {"kiosk", "door_to_door", "door_to_door", "market", "door_to_door", "school", "assembly",
                                        "market", "other", "kiosk"};  // device i has kChannelOfDevice[i % 10]

std::string quartier(int q) {
  return (q + 1 < 10 ? "q0" : "q") + std::to_string(q + 1);
}

// Three surveys of ten questions (every type the app knows), a participatory budget, four assemblies.
std::string catalog_json() {
  nlohmann::json town{{"name", "Ville-Banc-d’Essai"}, {"neighbourhoods", nlohmann::json::array()}, {"age_brackets", nlohmann::json::array()}};
  for (int q = 0; q < kQuartiers; ++q) town["neighbourhoods"].push_back({{"id", quartier(q)}, {"label", {{"fr", "Quartier " + std::to_string(q + 1)}}}});
  for (const char* a : kAges) town["age_brackets"].push_back({{"id", a}, {"label", {{"fr", std::string(a)}}}});
  auto options = [](const char* prefix, int n) {
    nlohmann::json out = nlohmann::json::array();
    for (int i = 0; i < n; ++i)
      out.push_back({{"id", std::string(prefix) + std::to_string(i + 1)}, {"label", {{"fr", std::string("Choix ") + prefix + std::to_string(i + 1)}}}});
    return out;
  };
  nlohmann::json consultations = nlohmann::json::array();
  for (const char* id : {"enquete-a", "enquete-b", "enquete-c"}) {
    consultations.push_back(
        {{"id", id},
         {"version", 1},
         {"title", {{"fr", std::string("Enquête ") + id}}},
         {"questions",
          {{{"id", "frequence"}, {"type", "single_choice"}, {"label", {{"fr", "Fréquence"}}}, {"options", options("f", 4)}},
           {{"id", "usages"}, {"type", "multiple_choice"}, {"label", {{"fr", "Usages"}}}, {"required", false}, {"options", options("u", 6)}},
           {{"id", "satisfaction"}, {"type", "smiley"}, {"label", {{"fr", "Satisfaction"}}}},
           {{"id", "arbres"}, {"type", "yes_no"}, {"label", {{"fr", "Des arbres ?"}}}},
           {{"id", "priorites"}, {"type", "multiple_choice"}, {"label", {{"fr", "Priorités"}}}, {"max_choices", 3}, {"options", options("p", 8)}},
           {{"id", "importance"}, {"type", "scale_1_5"}, {"label", {{"fr", "Importance"}}}},
           {{"id", "mode"}, {"type", "single_choice"}, {"label", {{"fr", "Mode de venue"}}}, {"options", options("m", 5)}},
           {{"id", "quartier"}, {"type", "neighbourhood"}, {"label", {{"fr", "Quartier"}}}, {"required", false}},
           {{"id", "age"}, {"type", "age_bracket"}, {"label", {{"fr", "Âge"}}}, {"required", false}},
           {{"id", "commentaire"}, {"type", "short_text"}, {"label", {{"fr", "Un mot ?"}}}, {"required", false}}}}});
  }
  nlohmann::json themes = options("t", 6);
  consultations.push_back({{"id", "budget"}, {"version", 1}, {"title", {{"fr", "Budget participatif"}}},
                           {"ideas", {{"enabled", true}, {"themes", themes}}}});
  nlohmann::json assemblies = nlohmann::json::array();
  for (int a = 0; a < 4; ++a)
    assemblies.push_back({{"id", "assemblee-" + std::to_string(a + 1)}, {"name", {{"fr", "Assemblée " + std::to_string(a + 1)}}},
                          {"date", "2026-06-01T18:00"}, {"place", "Salle"}, {"neighbourhood", quartier(a)}});
  return nlohmann::json{{"format", "allervers.catalog/1"}, {"town", town}, {"consultations", consultations}, {"assemblies", assemblies}}.dump();
}

// --- captures --------------------------------------------------------------------------

const char* const kWords[] = {"ombre", "bancs", "école", "vélo", "propreté", "bruit", "marché", "parking", "jeux", "arbres",
                              "éclairage", "trottoir", "bus", "fontaine", "fleurs", "sécurité", "poubelles", "piste", "café", "square"};

// A town's year of captures, day by day: kiosks every day, tablets three days a week each in
// one quartier (door to door) or among everyone (market, school, assembly); surveys that follow
// one another; young people at school, older ones at assemblies.
class Generator {
 public:
  explicit Generator(std::int64_t captures) : total_(captures), rng_(2026), ids_(42) {
    for (int d = 0; d < kDevices; ++d) {
        const std::string n = std::to_string(d + 1);
      devices_.push_back("0190a000-0000-7000-8000-" + std::string(12 - n.size(), '0') + n);
    }
  }
  const std::vector<std::string>& devices() const { return devices_; }
  static const char* channel(int device) { return kChannelOfDevice[device % 10]; }

  // The next day's captures (false after the last day).
  bool next_day(std::vector<server::CaptureRow>& out) {
    out.clear();
    if (day_ >= kDays) return false;
    const std::int64_t first = *server::day_from_text("2026-01-05") + day_;
    const std::int64_t today = total_ / kDays + (day_ < total_ % kDays ? 1 : 0);
    std::vector<int> working;
    for (int d = 0; d < kDevices; ++d)
      if (std::string(channel(d)) == "kiosk" || pick(7) < 3) working.push_back(d);
    // Summer time from 29 March to 25 October.
    const std::int32_t offset = first >= *server::day_from_text("2026-03-29") && first < *server::day_from_text("2026-10-25") ? 120 : 60;
    std::map<int, int> area;  // a door-to-door tablet's quartier today
    for (int d : working) area[d] = pick(kQuartiers);
    for (std::int64_t i = 0; i < today; ++i) {
      const int d = working[static_cast<std::size_t>(pick(static_cast<int>(working.size())))];
      out.push_back(capture(d, first, offset, area[d]));
    }
    ++day_;
    return true;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  int resident_quartier(const std::string& ch, int area) {
    if (ch == "door_to_door" && pick(10) < 9) return area;
    // The town's spread: some quartiers far larger than others.
    static const int kWeights[kQuartiers] = {14, 12, 11, 10, 9, 9, 8, 7, 6, 6, 4, 4};
    int r = pick(100);
    for (int q = 0; q < kQuartiers; ++q)
      if ((r -= kWeights[q]) < 0) return q;
    return 0;
  }

  const char* age(const std::string& ch) {
    if (ch == "school") return kAges[pick(2)];
    if (ch == "assembly") return kAges[3 + pick(4)];
    static const int kWeights[] = {5, 8, 20, 25, 18, 18, 6};
    int r = pick(100);
    for (int a = 0; a < 7; ++a)
      if ((r -= kWeights[a]) < 0) return kAges[a];
    return kAges[3];
  }

  std::string comment() {
    std::string out = "Plus de";
    for (int w = 0, n = 2 + pick(6); w < n; ++w) out += std::string(" ") + kWords[pick(20)];
    return out;
  }

  server::CaptureRow capture(int d, std::int64_t day, std::int32_t offset, int area) {
    const std::string ch = channel(d);
    core::Capture c;
    const std::int64_t local_ms = day * 86'400'000 + (8 + pick(11)) * 3'600'000LL + pick(3'600'000);
    c.captured_at = {local_ms - offset * 60'000LL, offset};
    c.id = ids_.next(c.captured_at.utc_ms);
    c.device = *core::Uuid::parse(devices_[static_cast<std::size_t>(d)]);
    c.channel = *core::channel_from(ch);
    c.language = pick(10) == 0 ? "ar" : pick(10) == 0 ? "en" : "fr";
    const int q = resident_quartier(ch, area);
    const bool signin = ch == "assembly" && pick(10) < 7;
    const bool idea = !signin && pick(100) < 15;
    if (signin) {
      core::SignIn s;
      s.assembly = "assemblee-" + std::to_string(1 + pick(4));
      if (pick(2) == 0) s.pass = "P" + std::to_string(rng_() % 100000000);
      if (pick(5) != 0) s.neighbourhood = quartier(q);
      if (pick(5) != 0) s.age_bracket = age(ch);
      s.invite_consent = pick(2) == 0;
      c.body = s;
    } else if (idea) {
      core::Idea i;
      i.title = "Idée " + comment();
      i.description = "Description : " + comment() + ". " + comment() + ".";
      i.theme = "t" + std::to_string(1 + pick(6));
      i.neighbourhood = quartier(q);
      if (pick(2) == 0) i.estimated_cost_eur = 1000 * (1 + pick(200));
      c.consultation = "budget";
      c.version = 1;
      c.body = i;
    } else {
      // The survey of the season: A, then B, then C, overlapping.
      c.consultation = day_ < 120 ? "enquete-a" : day_ < 180 ? (pick(2) ? "enquete-a" : "enquete-b") : day_ < 220 ? (pick(2) ? "enquete-b" : "enquete-c") : "enquete-c";
      c.version = 1;
      core::Opinion o;
      o.answers["frequence"] = "f" + std::to_string(1 + pick(4));
      if (pick(3) != 0) {
        std::vector<std::string> u;
        for (int k = 1; k <= 6; ++k)
          if (pick(3) == 0) u.push_back("u" + std::to_string(k));
        if (!u.empty()) o.answers["usages"] = u;
      }
      o.answers["satisfaction"] = std::int64_t{1 + pick(5)};
      o.answers["arbres"] = pick(3) != 0;
      std::vector<std::string> p;
      for (int k = 1; k <= 8 && p.size() < 3; ++k)
        if (pick(4) == 0) p.push_back("p" + std::to_string(k));
      if (p.empty()) p.push_back("p" + std::to_string(1 + pick(8)));
      o.answers["priorites"] = p;
      o.answers["importance"] = std::int64_t{1 + pick(5)};
      o.answers["mode"] = "m" + std::to_string(1 + pick(5));
      if (pick(5) != 0) o.answers["quartier"] = quartier(q);
      if (pick(5) != 0) o.answers["age"] = std::string(age(ch));
      if (pick(5) < 2) o.answers["commentaire"] = comment();
      c.body = o;
    }
    server::CaptureRow r;
    r.id = c.id.str();
    r.device = devices_[static_cast<std::size_t>(d)];
    r.seq = ++seq_[d];
    r.kind = core::to_string(c.kind());
    r.consultation = c.consultation;
    r.version = c.version;
    r.channel = ch;
    r.language = c.language;
    r.captured_ms = c.captured_at.utc_ms;
    r.captured_offset_min = offset;
    r.corrected_ms = c.captured_at.utc_ms;
    r.received_ms = c.captured_at.utc_ms + 3'600'000;
    r.batch = "bench";
    r.body = core::canonical_json(c);
    if (const auto* s = c.signin()) {
      r.assembly = s->assembly;
      r.pass = s->pass;
    }
    return r;
  }

  std::int64_t total_;
  std::mt19937_64 rng_;
  core::UuidGenerator ids_;
  std::vector<std::string> devices_;
  std::map<int, std::int64_t> seq_;
  int day_ = 0;
};

// --- loading ---------------------------------------------------------------------------

struct Loaded {
  std::int64_t captures = 0;
  double seconds = 0;
};

// Through the store's ingest — what a device's batch goes through after validation: facts,
// tallies, the duplicate check — in batches of 1,000 a device, as devices send them.
Loaded load(server::ServerStore& store, std::int64_t captures) {
  Generator g(captures);
  std::vector<server::CaptureRow> day;
  std::map<std::string, std::vector<server::CaptureRow>> pending;  // by device
  Loaded out;
  auto send = [&](const std::string& device, std::vector<server::CaptureRow>& rows) {
    server::IngestBatch b;
    b.envelope.device = device;
    b.envelope.batch = "bench";
    b.envelope.received_ms = rows.back().received_ms;
    b.captures = std::move(rows);
    rows.clear();
    const auto outcomes = store.ingest(b);
    out.captures += std::count(outcomes.begin(), outcomes.end(), server::InsertOutcome::inserted);
  };
  const auto t0 = Clock::now();
  while (g.next_day(day)) {
    for (auto& r : day) {
      auto& rows = pending[r.device];
      rows.push_back(std::move(r));
      if (rows.size() == 1000) send(rows.back().device, rows);
    }
  }
  for (auto& [device, rows] : pending)
    if (!rows.empty()) send(device, rows);
  out.seconds = seconds_since(t0);
  return out;
}

std::unique_ptr<server::sql::Driver> raw(const std::string& url) {
  return url.rfind("sqlite:", 0) == 0 ? server::sql::open_sqlite(url.substr(7)) : server::sql::open_postgresql(url);
}

// Device names (the agents') and the town's population, as an office has them.
void dress(server::ServerStore& store, server::sql::Driver& db, const core::Catalog& catalog) {
  Generator g(0);
  for (std::size_t d = 0; d < g.devices().size(); ++d)
    db.exec("UPDATE devices SET name = $1 WHERE id = $2",
            {std::string(Generator::channel(static_cast<int>(d))) == "kiosk" ? "Borne " + std::to_string(d + 1) : "Tablette " + std::to_string(d + 1),
             g.devices()[d]});
  std::string csv = "quartier;tranche_age;habitants\n";
  for (int q = 0; q < kQuartiers; ++q)
    for (int a = 0; a < 7; ++a) csv += quartier(q) + ";" + kAges[a] + ";" + std::to_string(300 + 37 * q + 91 * a) + "\n";
  const auto parsed = server::parse_population_csv(csv, catalog.town);
  if (!parsed.ok()) throw std::runtime_error("population: " + parsed.problems[0].english);
  store.replace_population(parsed.cells, {0, "bench", static_cast<std::int64_t>(parsed.cells.size()), parsed.people});
}

// --- dashboard queries -----------------------------------------------------------------

struct NamedFilter {
  std::string name;
  CaptureFilter filter;
};

std::vector<NamedFilter> filters() {
  const std::int64_t first = *server::day_from_text("2026-01-05");
  std::vector<NamedFilter> out(8);
  out[0].name = "none";
  out[1].name = "consultation";
  out[1].filter.consultation = "enquete-b";
  out[2].name = "30 days";
  out[2].filter.from_day = first + 100;
  out[2].filter.to_day = first + 129;
  out[3].name = "consultation + 30 days";
  out[3].filter.consultation = "enquete-a";
  out[3].filter.from_day = first + 40;
  out[3].filter.to_day = first + 69;
  out[4].name = "quartier";
  out[4].filter.neighbourhood = "q03";
  out[5].name = "channel";
  out[5].filter.channel = "market";
  out[6].name = "device";
  out[6].filter.device = "0190a000-0000-7000-8000-000000000008";
  out[7].name = "consultation + quartier + channel + 60 days";
  out[7].filter.consultation = "enquete-c";
  out[7].filter.neighbourhood = "q05";
  out[7].filter.channel = "door_to_door";
  out[7].filter.from_day = first + 200;
  out[7].filter.to_day = first + 259;
  return out;
}

void time_queries(server::ServerStore& store, server::sql::Driver& db, const core::Catalog& catalog, int runs, const std::string& backend) {
  // Questions and free texts belong to a consultation: a filter without one asks of enquete-a.
  auto with_consultation = [](CaptureFilter f) {
    if (f.consultation.empty()) f.consultation = "enquete-a";
    return f;
  };
  const std::vector<std::pair<std::string, std::function<void(const CaptureFilter&)>>> queries = {
      {"total", [&](const CaptureFilter& f) { (void)store.count_captures(f); }},
      {"by consultation", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::consultation); }},
      {"by kind", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::kind); }},
      {"by quartier", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::neighbourhood); }},
      {"by day (time line)", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::day); }},
      {"by channel", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::channel); }},
      {"by device (agent)", [&](const CaptureFilter& f) { (void)server::count_by(store, catalog, f, Dimension::device); }},
      {"all six above (capture_counts)", [&](const CaptureFilter& f) { (void)server::capture_counts(store, catalog, f); }},
      {"who we reach (participation)", [&](const CaptureFilter& f) { (void)server::participation(store, catalog, f); }},
      {"results per question", [&](const CaptureFilter& f) { (void)server::question_results(store, catalog, with_consultation(f)); }},
      {"free texts, page 1", [&](const CaptureFilter& f) { (void)server::text_answers_page(store, catalog, with_consultation(f), "commentaire", "", 1); }},
      {"free texts, search \"ecole velo\"",
       [&](const CaptureFilter& f) { (void)server::text_answers_page(store, catalog, with_consultation(f), "commentaire", "ecole velo", 1); }},
  };
  const auto named = filters();
  std::printf("\n%s: dashboard queries, %zu filters x %d runs each (ms)\n\n", backend.c_str(), named.size(), runs);
  std::printf("| query | p50 | p95 | max | slowest filter |\n|---|---:|---:|---:|---|\n");
  for (const auto& [name, query] : queries) {
    Timings t;
    double worst = 0;
    std::string worst_filter;
    for (const auto& nf : named) {
      query(nf.filter);  // warm: the first run reads pages from disk into the cache
      for (int r = 0; r < runs; ++r) {
        const double ms = time_ms([&] { query(nf.filter); });
        t.ms.push_back(ms);
        if (ms > worst) {
          worst = ms;
          worst_filter = nf.name;
        }
      }
    }
    std::printf("| %s | %.1f | %.1f | %.1f | %s |\n", name.c_str(), t.percentile(0.5), t.percentile(0.95), worst, worst_filter.c_str());
    std::fflush(stdout);
  }
  // Floors and what the tallies replace: the database counting the captures themselves.
  std::printf("\n%s: the same numbers counted from the captures table (no tally), one run each after a warm-up (ms)\n\n", backend.c_str());
  std::printf("| query | ms |\n|---|---:|\n");
  for (const char* sql : {"SELECT COUNT(*) FROM captures", "SELECT neighbourhood, COUNT(*) FROM captures GROUP BY neighbourhood",
                          "SELECT day, COUNT(*) FROM captures GROUP BY day",
                          "SELECT neighbourhood, age_bracket, COUNT(*) FROM captures GROUP BY neighbourhood, age_bracket",
                          "SELECT COUNT(*) FROM capture_tally", "SELECT COUNT(*) FROM answer_tally", "SELECT COUNT(*) FROM text_answers"}) {
    (void)db.query(sql);
    const double ms = time_ms([&] { (void)db.query(sql); });
    std::printf("| `%s` | %.1f |\n", sql, ms);
  }
}

// --- exports ---------------------------------------------------------------------------

void time_exports(server::ServerStore& store, const std::string& url, const std::string& backend, const test::TempDir& work) {
  const std::string binary = (test::binary_dir() / "server" / "allervers-server").string();
  struct Run {
    std::string what;
    std::vector<std::string> args;
    CaptureFilter filter;
  };
  const std::int64_t first = *server::day_from_text("2026-01-05");
  CaptureFilter opinions;
  opinions.kind = "opinion";
  CaptureFilter month = opinions;
  month.from_day = first + 100;
  month.to_day = first + 129;
  CaptureFilter one = opinions;
  one.consultation = "enquete-a";
  CaptureFilter ideas;
  ideas.kind = "idea";
  const std::vector<Run> runs = {
      {"CSV, opinions of 30 days", {"--format", "csv", "--from", server::day_text(first + 100), "--to", server::day_text(first + 129)}, month},
      {"CSV, opinions of one consultation", {"--format", "csv", "--consultation", "enquete-a"}, one},
      {"CSV, every opinion", {"--format", "csv"}, opinions},
      {"CSV, every opinion, ids", {"--format", "csv", "--ids"}, opinions},
      {"JSON Lines, everything", {"--format", "jsonl"}, {}},
      {"XLSX, 30 days (all kinds)", {"--format", "xlsx", "--from", server::day_text(first + 100), "--to", server::day_text(first + 129)},
       [&] {
         CaptureFilter f;
         f.from_day = first + 100;
         f.to_day = first + 129;
         return f;
       }()},
      {"XLSX, everything", {"--format", "xlsx"}, {}},
      {"Decidim, every idea", {"--format", "decidim"}, ideas},
  };
  std::printf("\n%s: exports by `allervers-server export` to a file (one run each)\n\n", backend.c_str());
  std::printf("| export | rows | seconds | rows/s | peak RSS | file |\n|---|---:|---:|---:|---:|---:|\n");
  for (const auto& r : runs) {
    std::vector<std::string> argv = {binary, "--database", url, "export", "--no-personal-data", "--work-dir", work.path().string(),
                                     "--output", (work.path() / "out").string()};
    argv.insert(argv.end(), r.args.begin(), r.args.end());
    const auto result = spawn(argv);
    if (result.exit_code != 0) throw std::runtime_error("export failed: " + r.what);
    const std::int64_t rows = store.count_captures(r.filter);
    const auto bytes = std::filesystem::file_size(work.path() / "out");
    std::printf("| %s | %lld | %.2f | %.0f | %.0f MiB | %.0f MiB |\n", r.what.c_str(), static_cast<long long>(rows), result.seconds,
                static_cast<double>(rows) / result.seconds, static_cast<double>(result.max_rss_kib) / 1024,
                static_cast<double>(bytes) / (1 << 20));
    std::fflush(stdout);
  }
  std::filesystem::remove(work.path() / "out");
  // The floor: the database's own client writing the same rows' stored JSON out, in the same order.
  Spawned floor;
  if (backend == "SQLite")
    floor = spawn({"/usr/bin/sqlite3", url.substr(7), "SELECT id, body FROM captures WHERE kind = 'opinion' ORDER BY day, id"});
  else
    floor = spawn({"/usr/bin/psql", "-q", url, "-c", "COPY (SELECT id, body FROM captures WHERE kind = 'opinion' ORDER BY day, id) TO STDOUT"});
  const std::int64_t rows = store.count_captures(opinions);
  std::printf("| floor: %s, every opinion's id and JSON | %lld | %.2f | %.0f | %.0f MiB | — |\n",
              backend == "SQLite" ? "`sqlite3` SELECT" : "`psql` COPY … TO STDOUT", static_cast<long long>(rows), floor.seconds,
              static_cast<double>(rows) / floor.seconds, static_cast<double>(floor.max_rss_kib) / 1024);
}

// --- main ------------------------------------------------------------------------------

void run_backend(const std::string& backend, const std::string& url, std::int64_t captures, int runs, const test::TempDir& work,
                 bool load_only) {
  auto store = server::open_store(url);
  server::publish_catalog(*store, catalog_json(), {0, 0});
  const core::Catalog catalog = server::merge_catalogs(store->catalogs()).catalog;
  std::printf("\n## %s\n", backend.c_str());
  std::fflush(stdout);
  const Loaded loaded = load(*store, captures);
  std::printf("\nloaded %lld captures through the store's ingest (batches of 1,000, tallies included) in %.1f s: %.0f captures/s\n",
              static_cast<long long>(loaded.captures), loaded.seconds, static_cast<double>(loaded.captures) / loaded.seconds);
  auto db = raw(url);
  dress(*store, *db, catalog);
  if (backend == "PostgreSQL") {
    db->exec("VACUUM ANALYZE");  // what autovacuum does after a bulk load
    for (const char* table : {"captures", "capture_tally", "answer_tally", "text_answers"})
      std::printf("%s: %s\n", table, db->query(std::string("SELECT pg_size_pretty(pg_total_relation_size('") + table + "'))").one().text(0).c_str());
  } else {
    std::printf("database file: %.0f MiB\n", static_cast<double>(std::filesystem::file_size(url.substr(7))) / (1 << 20));
  }
  std::printf("rows: capture_tally %lld, answer_tally %lld, text_answers %lld\n",
              static_cast<long long>(db->query("SELECT COUNT(*) FROM capture_tally").one().int64(0)),
              static_cast<long long>(db->query("SELECT COUNT(*) FROM answer_tally").one().int64(0)),
              static_cast<long long>(db->query("SELECT COUNT(*) FROM text_answers").one().int64(0)));
  std::fflush(stdout);
  if (load_only) return;
  time_queries(*store, *db, catalog, runs, backend);
  time_exports(*store, url, backend, work);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 3 && std::string(argv[1]) == "--measure") return measure(argv[2], argv + 3);
  std::int64_t captures = 1'000'000;
  int runs = 5;
  bool sqlite = true, postgresql = true;
  std::string keep;
  bool load_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--captures" && i + 1 < argc) captures = std::stoll(argv[++i]);
    else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
    else if (a == "--sqlite-only") postgresql = false;
    else if (a == "--postgresql-only") sqlite = false;
    else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
    else if (a == "--load-only") load_only = true;
    else {
      std::fprintf(stderr, "usage: bench_office [--captures N] [--runs N] [--sqlite-only | --postgresql-only] [--keep FILE] [--load-only]\n");
      return 2;
    }
  }
  utsname u{};
  ::uname(&u);
  std::printf("# bench_office: %lld captures, %d quartiers, %d days, %d devices (%s %s, %ld CPUs)\n", static_cast<long long>(captures),
              kQuartiers, kDays, kDevices, u.sysname, u.release, ::sysconf(_SC_NPROCESSORS_ONLN));
  try {
    test::TempDir work;
    if (sqlite) run_backend("SQLite", "sqlite:" + (keep.empty() ? (work.path() / "office.db").string() : keep), captures, runs, work, load_only);
    if (postgresql) {
      test::PgInstance pg(true);
      run_backend("PostgreSQL", pg.create_database("office"), captures, runs, work, load_only);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_office: %s\n", e.what());
    return 1;
  }
  return 0;
}
