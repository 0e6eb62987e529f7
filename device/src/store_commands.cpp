// init, status, list, capture: the device's own database, without a network.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/limits.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/passes/voter.hpp"
#include "allervers/platform/files.hpp"
#include "allervers/platform/install_paths.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/catalog_file.hpp"
#include "commands.hpp"
#include "line_reader.hpp"

namespace allervers::device {
namespace {

using storage::DeviceStore;

// Bulk entry commits captures in groups: one fsync for many lines, yet a line is reported
// durable as soon as its group commits, and a group closes whenever the input pauses.
constexpr std::size_t kGroupSize = 512;

// The catalog and the pictograms beside it, checked before anything is created.
sync::CatalogFile load_catalog_file(const std::filesystem::path& path) {
  try {
    return sync::read_catalog_file(path);
  } catch (const core::CatalogError& e) {
    throw std::runtime_error("the catalog " + path.string() + " is not valid: " + e.what());
  }
}

// The server this device is enrolled with, or "" (sync owns that setting).
std::string enrolled_server(const DeviceStore& store) {
  return store.setting(core::settings::server_url).value_or("");
}

std::string when_text(const std::optional<core::Instant>& when) {
  return when ? core::format_instant(*when) : std::string("never");
}

// --- init ----------------------------------------------------------------------------------

struct InitOptions {
  std::string name = "Appareil";
  std::filesystem::path catalog;  // empty: the demo catalog shipped with the program
};

int run_init(const GlobalOptions& global, InitOptions options) {
  if (options.catalog.empty()) options.catalog = platform::assets_dir() / "demo" / "catalog.json";
  const sync::CatalogFile file = load_catalog_file(options.catalog);  // check before creating anything
  const core::Catalog& catalog = file.catalog;
  core::SystemClock clock;
  DeviceStore store = DeviceStore::create(global.data_dir, options.name, clock.now());
  sync::hold_catalog_file(store, file, clock.now());
  std::cout << "Device " << store.identity().device.str() << " (\"" << store.identity().name << "\") ready in "
            << global.data_dir.string() << "\n"
            << "Catalog: " << catalog.consultations.size() << " consultation version(s), " << catalog.assemblies.size()
            << " assembly(ies), " << file.pictograms.size() << " pictogram(s) from " << options.catalog.string() << "\n";
  return kExitOk;
}

// --- status --------------------------------------------------------------------------------

int run_status(const GlobalOptions& global, const std::string& format) {
  DeviceStore store = DeviceStore::open(global.data_dir);
  const storage::Counts counts = store.counts();
  const core::SystemClock clock;
  const storage::Counts today = store.counts_on_day(core::local_day(clock.now()));
  const storage::SyncState sync = store.sync_state();
  // Pictures and pictograms the catalog names: held, still to fetch, refused (never shown).
  const auto missing = store.missing_media();
  const auto refused = store.media_refusals();
  if (format == "json") {
    nlohmann::json captures{{"total", counts.total()}, {"today", today.total()}};
    for (const auto& kind : core::kCaptureKinds) captures[std::string(kind.name)] = counts.of(kind.kind);
    nlohmann::json j{{"device", store.identity().device.str()},
                     {"name", store.identity().name},
                     {"data", global.data_dir.string()},
                     {"server", enrolled_server(store)},
                     {"insecure_http", sync.insecure_http},
                     {"captures", std::move(captures)},
                     {"outbox", {{"pending", counts.pending}, {"acked", counts.acked}, {"rejected", counts.rejected}}},
                     {"last_sync_attempt", sync.last_attempt ? core::format_instant(*sync.last_attempt) : ""},
                     {"last_sync", sync.last_success ? core::format_instant(*sync.last_success) : ""},
                     {"last_sync_error", sync.last_error},
                     {"media", {{"missing", missing.size()}, {"refused", nlohmann::json::array()}}},
                     {"consultations", nlohmann::json::array()}};
    for (const auto& r : refused)
      j["media"]["refused"].push_back({{"hash", r.hash}, {"reason", r.reason}, {"at", core::format_instant(r.at)}});
    for (const auto* c : store.catalog().current())
      j["consultations"].push_back({{"id", c->id}, {"version", c->version}, {"title", c->title.in("fr")}});
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::string by_kind;  // "opinions 3, ideas 2, sign-ins 1"
  for (const auto& kind : core::kCaptureKinds)
    by_kind += (by_kind.empty() ? "" : ", ") + std::string(kind.plural) + " " + std::to_string(counts.of(kind.kind));
  std::cout << "Device:        " << store.identity().name << " (" << store.identity().device.str() << ")\n"
            << "Data:          " << global.data_dir.string() << "\n"
            << "Server:        " << (enrolled_server(store).empty() ? "not enrolled" : enrolled_server(store))
            << (sync.insecure_http ? "  INSECURE: plain http, the token crosses the network in clear (--insecure-http)" : "") << "\n"
            << "Captures:      " << counts.total() << " (" << by_kind << "), " << today.total() << " today\n"
            << "Pending sync:  " << counts.pending << "\n"
            << "Sent:          " << counts.acked << "\n"
            << "Rejected:      " << counts.rejected << (counts.rejected ? "  (see `list --rejected`)" : "") << "\n"
            << "Last sync:     " << when_text(sync.last_success) << "\n";
  if (!sync.last_error.empty())
    std::cout << "Last attempt:  " << when_text(sync.last_attempt) << " failed: " << sync.last_error << "\n";
  if (!missing.empty() || !refused.empty()) {
    std::cout << "Pictures:      " << missing.size() << " not fetched yet (shown without them)\n";
    for (const auto& r : refused) std::cout << "  refused " << r.hash << ": " << r.reason << "\n";
  }
  std::cout << "Consultations:";
  const auto current = store.catalog().current();
  if (current.empty()) std::cout << " none";
  std::cout << "\n";
  for (const auto* c : current)
    std::cout << "  " << c->id << " v" << c->version << " — " << c->title.in("fr") << "\n";
  return kExitOk;
}

// --- list ----------------------------------------------------------------------------------

struct ListOptions {
  std::string format = "jsonl";
  std::string consultation;
  std::string day;
  bool rejected = false;
};

int run_list(const GlobalOptions& global, const ListOptions& options) {
  DeviceStore store = DeviceStore::open(global.data_dir);
  if (options.rejected) {
    for (const auto& r : store.rejected())
      std::cout << nlohmann::json{{"seq", r.seq}, {"id", r.id.str()}, {"kind", core::to_string(r.kind)},
                                  {"reason", r.reason}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    return kExitOk;
  }
  std::optional<std::string> consultation, day;
  if (!options.consultation.empty()) consultation = options.consultation;
  if (!options.day.empty()) day = options.day;
  store.for_each_capture(
      [](const storage::StoredCapture& stored) { std::cout << core::canonical_json(stored.capture) << "\n"; },
      consultation, day);
  std::cout.flush();
  return kExitOk;
}

// --- capture -------------------------------------------------------------------------------

struct CaptureOptions {
  std::string file;
  std::string channel = "other";
  std::string language = "fr";
};

class BulkEntry {
 public:
  BulkEntry(DeviceStore& store, core::CaptureDefaults defaults) : store_(store), defaults_(std::move(defaults)), group_(store) {}

  void line(std::size_t number, const std::string& text, bool too_long) {
    if (too_long) return refuse(number, "record: longer than " + std::to_string(core::limits::capture_json_bytes / 1024) +
                                            " KiB; not a capture");
    if (core::is_blank(text)) return;  // blank lines separate nothing and mean nothing
    defaults_.now = clock_.now();
    std::string record = text;
    if (auto why = pass_to_voter(record)) return refuse(number, *why);
    core::ParsedCapture parsed = core::capture_from_json_text(record, defaults_);
    if (!parsed.capture) return refuse(number, core::describe(parsed.errors));
    core::Capture& capture = *parsed.capture;
    if (capture.version == 0 && !capture.consultation.empty()) {
      if (const auto* latest = store_.catalog().latest(capture.consultation)) capture.version = latest->version;
    }
    const core::ValidationResult result = core::validate(capture, store_.catalog(), defaults_.now);
    if (!result.ok()) return refuse(number, core::describe(result.errors()));
    if (const core::Ballot* b = capture.ballot(); b && !store_.find(capture.id) && store_.has_ballot(b->vote, b->voter))
      return refuse(number, "ballot.pass: this pass has already voted in " + b->vote + " on this device (the first ballot is kept)");
    try {
      const storage::AddResult added = group_.add(result.valid());
      if (added.outcome == storage::AddOutcome::stored) {
        waiting_.push_back({number, capture.id.str()});
      } else {
        ++repeats_;
        std::cerr << "line " << number << ": " << capture.id.str() << " already stored (nothing added)\n";
      }
    } catch (const storage::StorageError& e) {
      if (e.kind() != storage::StorageError::Kind::conflict) throw;
      refuse(number, "id: " + std::string(e.what()));
    }
  }

  // A ballot line (docs/capture-format.md, "Ballots typed in") names the voter's pass id, which
  // never reaches the database: it becomes the vote's keyed hash here, and a receipt code is
  // made when the line has none. What is wrong is said, and the line refused whole.
  std::optional<std::string> pass_to_voter(std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || j.value("kind", "") != "ballot") return std::nullopt;
    auto ballot = j.find("ballot");
    if (ballot == j.end() || !ballot->is_object()) return std::nullopt;  // core says what is missing
    auto pass = ballot->find("pass");
    if (pass == ballot->end()) {
      if (!ballot->contains("voter")) return "ballot.pass: say which pass voted (its 10-character id)";
      return std::nullopt;
    }
    if (!pass->is_string()) return "ballot.pass: expected the pass's 10-character id as a text";
    const auto id = passes::PassId::parse(pass->get<std::string>());
    if (!id) return "ballot.pass: \"" + pass->get<std::string>().substr(0, 20) + "\" is not a pass id (10 characters of 0-9, A-Z)";
    if (revoked().passes.count(*id)) return "ballot.pass: the pass " + id->str() + " is revoked";
    const std::string vote_id = ballot->value("vote", "");
    const core::Vote* vote = store_.catalog().find_vote(vote_id);
    if (!vote) return "ballot.vote: \"" + vote_id.substr(0, 40) + "\" is not a vote this device holds";
    if (vote->state != core::VoteState::open) return "ballot.vote: the vote " + vote->id + " is closed";
    (*ballot)["voter"] = passes::voter_hash(*vote, id->str());
    ballot->erase("pass");
    if (!ballot->contains("receipt")) (*ballot)["receipt"] = passes::new_receipt();
    text = j.dump();
    return std::nullopt;
  }

  const passes::RevocationList& revoked() {
    if (!revoked_) {
      const auto json = store_.setting(core::settings::revocations);
      revoked_ = json ? passes::RevocationList::from_json(*json) : passes::RevocationList{};
    }
    return *revoked_;
  }

  // Makes the group durable, then (only then) prints its ids.
  void commit() {
    if (waiting_.empty()) {
      group_.commit();
      return;
    }
    group_.commit();
    for (const auto& w : waiting_) std::cout << w.id << "\n";
    std::cout.flush();
    stored_ += waiting_.size();
    waiting_.clear();
  }
  bool group_full() const { return waiting_.size() >= kGroupSize; }

  // After a storage failure the open group was rolled back: say which lines were lost.
  void abandon(const std::string& why) {
    for (const auto& w : waiting_) std::cerr << "line " << w.line << ": not saved: " << why << "\n";
    lost_ += waiting_.size();
    waiting_.clear();
  }

  int summary() const {
    std::cerr << "capture: " << stored_ << " stored, " << repeats_ << " already stored, " << refused_ << " refused";
    if (lost_) std::cerr << ", " << lost_ << " not saved";
    std::cerr << "\n";
    return lost_ ? kExitFailed : refused_ ? kExitRefused : kExitOk;
  }

 private:
  void refuse(std::size_t number, const std::string& why) {
    ++refused_;
    std::cerr << "line " << number << ": " << why << "\n";
  }

  struct Waiting {
    std::size_t line;
    std::string id;
  };
  DeviceStore& store_;
  core::CaptureDefaults defaults_;
  core::SystemClock clock_;
  DeviceStore::Group group_;
  std::vector<Waiting> waiting_;
  std::optional<passes::RevocationList> revoked_;
  std::size_t stored_ = 0, repeats_ = 0, refused_ = 0, lost_ = 0;
};

int run_capture(const GlobalOptions& global, const CaptureOptions& options) {
  const auto channel = core::channel_from(options.channel);
  if (!channel) {
    std::cerr << "error: --channel: \"" << options.channel
              << "\" is not a channel (door_to_door, market, kiosk, assembly, school, other)\n";
    return kExitFailed;
  }
  int fd = 0;
  if (options.file != "-") {
    fd = ::open(options.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << "error: cannot read " << options.file << ": " << std::strerror(errno) << "\n";
      return kExitFailed;
    }
  }
  DeviceStore store = DeviceStore::open(global.data_dir);
  if (store.catalog().consultations.empty() && store.catalog().votes.empty()) {
    std::cerr << "error: this device holds no consultation or vote yet: run init with a catalog, or sync\n";
    return kExitFailed;
  }
  core::UuidGenerator ids;
  core::CaptureDefaults defaults{store.identity().device, {}, *channel, options.language, &ids};
  BulkEntry entry(store, defaults);
  LineReader reader(fd, core::limits::capture_json_bytes);
  std::size_t number = 0;
  try {
    bool too_long = false;
    for (;;) {
      if (entry.group_full() || !reader.ready()) entry.commit();  // never sit on durable-able lines
      auto line = reader.next(too_long);
      if (!line) break;
      entry.line(++number, *line, too_long);
    }
    entry.commit();
  } catch (const storage::StorageError& e) {
    entry.abandon(e.what());
    std::cerr << "error: " << e.what() << "\n";
    if (fd > 0) ::close(fd);
    entry.summary();
    return kExitFailed;
  }
  if (fd > 0) ::close(fd);
  return entry.summary();
}

}  // namespace

void add_store_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run) {
  auto init_options = std::make_shared<InitOptions>();
  auto* init = app.add_subcommand("init", "Make a new device database in the data folder and load a catalog");
  init->add_option("--name", init_options->name, "The device's name, as coordinators will see it")->capture_default_str();
  init->add_option("--catalog", init_options->catalog, "Catalog of consultations to load (JSON; default: the demo catalog)");
  init->callback([&global, &run, init_options] { run = [&global, init_options] { return run_init(global, *init_options); }; });

  auto format = std::make_shared<std::string>("text");
  auto* status = app.add_subcommand("status", "Counts per kind, pending sync, last sync");
  status->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  status->callback([&global, &run, format] { run = [&global, format] { return run_status(global, *format); }; });

  auto list_options = std::make_shared<ListOptions>();
  auto* list = app.add_subcommand("list", "Every capture, one JSON object a line");
  list->add_option("--format", list_options->format, "jsonl")->check(CLI::IsMember({"jsonl"}))->capture_default_str();
  list->add_option("--consultation", list_options->consultation, "Only this consultation");
  list->add_option("--day", list_options->day, "Only this local day (YYYY-MM-DD)");
  list->add_flag("--rejected", list_options->rejected, "The records the server refused, with its reasons");
  list->callback([&global, &run, list_options] { run = [&global, list_options] { return run_list(global, *list_options); }; });

  auto capture_options = std::make_shared<CaptureOptions>();
  auto* capture = app.add_subcommand(
      "capture", "Enter captures from a JSON-lines file (paper questionnaires typed in later); prints each stored id");
  capture->add_option("--file", capture_options->file, "The file, or - for standard input")->required();
  capture->add_option("--channel", capture_options->channel, "Channel for lines that give none")->capture_default_str();
  capture->add_option("--language", capture_options->language, "Language for lines that give none")->capture_default_str();
  capture->callback(
      [&global, &run, capture_options] { run = [&global, capture_options] { return run_capture(global, *capture_options); }; });
}

}  // namespace allervers::device
