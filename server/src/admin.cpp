// The coordinator's commands. Sections: catalog · enrolment · devices · refused records ·
// bundles · passes and assemblies. (Exports: office/exports.cpp.)
#include "allervers/server/admin.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <istream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/passes/keys.hpp"
#include "allervers/server/media.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::server {

using nlohmann::json;
namespace protocol = sync::protocol;

// --- catalog ---------------------------------------------------------------------------

bool publish_catalog(ServerStore& store, const std::string& json_text, const core::Instant& now, const std::filesystem::path& media_dir) {
  const core::Catalog parsed = core::parse_catalog(media_dir.empty() ? json_text : catalog_with_media(store, json_text, media_dir, now.utc_ms));
  // A media name the server does not hold would reach devices as a 404 at every sync.
  for (const auto& hash : core::media_hashes(parsed))
    if (!store.has_media(hash))
      throw core::CatalogError("media", "the catalog names the media file " + hash +
                                            ", which this server does not hold: publish the catalog file with its pictograms beside it");
  const std::string normal = core::catalog_to_json(parsed);
  const auto docs = store.catalogs();
  if (!docs.empty() && docs.back().json == normal) return false;
  // Check the merge with what was published before: a version already published must not change.
  auto merged = docs;
  merged.push_back({0, normal, now.utc_ms});
  (void)merge_catalogs(merged);
  store.add_catalog(normal, now.utc_ms);
  return true;
}

// --- enrolment -------------------------------------------------------------------------

EnrolCode create_enrol_code(ServerStore& store, const std::string& name, const core::Instant& now, std::int64_t lifetime_ms,
                            const std::optional<std::string>& for_device) {
  EnrolCode out{new_enrol_code(), core::Instant{now.utc_ms + lifetime_ms, now.offset_minutes}};
  store.add_enrol_code(hash_secret(normalise_enrol_code(out.code)), name, out.expires.utc_ms, now.utc_ms, for_device);
  return out;
}

std::int64_t enrol_code_lifetime_ms(double hours) {
  using Hours = std::chrono::duration<double, std::ratio<3600>>;
  const double max_hours = std::chrono::duration_cast<Hours>(sync::tuning::enrol_code_max_lifetime).count();
  if (!std::isfinite(hours) || hours <= 0 || hours > max_hours)
    throw std::invalid_argument("--hours: expected a number of hours above 0 and at most " + std::to_string(static_cast<int>(max_hours)) +
                                " (a code is for one device, soon)");
  return static_cast<std::int64_t>(hours * 3600'000.0);
}

// --- devices ---------------------------------------------------------------------------

namespace {
std::string ago(std::optional<std::int64_t> ms, const core::Instant& now) {
  if (!ms) return "never";
  const std::int64_t s = (now.utc_ms - *ms) / 1000;
  if (s < 120) return std::to_string(s) + " s ago";
  if (s < 7200) return std::to_string(s / 60) + " min ago";
  if (s < 172800) return std::to_string(s / 3600) + " h ago";
  return std::to_string(s / 86400) + " days ago";
}
}  // namespace

std::string format_devices(const std::vector<DeviceSummary>& devices, const core::Instant& now) {
  std::ostringstream out;
  out << "device                                name                  last seen       last batch      held      gaps  rejected  pending  clock\n";
  char line[512];
  for (const auto& d : devices) {
    const std::string pending = d.pending_on_device ? std::to_string(*d.pending_on_device) : "?";
    const std::string clock = d.clock_offset_ms ? std::to_string(*d.clock_offset_ms / 1000) + " s" : "?";
    std::snprintf(line, sizeof line, "%-37s %-21s %-15s %-15s %-9lld %-5lld %-9lld %-8s %s%s\n", d.id.c_str(),
                  d.name.substr(0, 21).c_str(), ago(d.last_seen_ms, now).c_str(), ago(d.last_batch_ms, now).c_str(),
                  static_cast<long long>(d.records_held), static_cast<long long>(d.gaps), static_cast<long long>(d.rejected),
                  pending.c_str(), clock.c_str(), d.revoked ? "  REVOKED" : "");
    out << line;
  }
  if (devices.empty()) out << "(no device enrolled yet: allervers-server enrol-code --name \"Tablette 1\")\n";
  return out.str();
}

std::string devices_json(const std::vector<DeviceSummary>& devices) {
  json out = json::array();
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
  for (const auto& d : devices)
    out.push_back({{"id", d.id}, {"name", d.name}, {"revoked", d.revoked}, {"enrolled_ms", d.enrolled_ms},
                   {"last_seen_ms", opt(d.last_seen_ms)}, {"last_batch_ms", opt(d.last_batch_ms)},
                   {"clock_offset_ms", opt(d.clock_offset_ms)}, {"records_held", d.records_held},
                   {"rejected", d.rejected}, {"max_seq", d.max_seq}, {"gaps", d.gaps},
                   {"pending_on_device", opt(d.pending_on_device)}});
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

// --- refused records ------------------------------------------------------------------

std::int64_t export_refused(ServerStore& store, std::ostream& out) {
  std::int64_t n = 0;
  store.for_each_refused([&](const RefusedRow& r) {
    json line{{"kind", r.kind}, {"device", r.device}, {"seq", r.seq}, {"id", r.id}, {"code", r.code},
              {"at", core::format_instant({r.at_ms, 0})}};
    if (!r.reason.empty()) line["reason"] = r.reason;
    json record = json::parse(r.body, nullptr, false);
    line["record"] = record.is_discarded() ? json(r.body) : record;
    out << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    ++n;
  });
  return n;
}

// --- bundles ---------------------------------------------------------------------------

namespace {

// The records of a bundle once every check has passed; throws BundleRefused otherwise.
struct OpenedBundle {
  protocol::BundleHeader header;
  std::string records;  // one {"seq","capture"} a line
};

OpenedBundle open_bundle(ServerStore& store, std::istream& in, const core::Instant& now, const BundleTrust& trust) {
  std::string header_line, sealed_line, signature_line, extra;
  if (!std::getline(in, header_line) || header_line.empty()) throw BundleRefused("truncated", "the bundle is empty");
  OpenedBundle opened;
  auto& header = opened.header;
  try {
    header = protocol::decode_bundle_header(header_line);
  } catch (const protocol::ProtocolError& e) {
    const bool v1 = header_line.find(protocol::bundle_format_unsigned_v1) != std::string::npos;
    throw BundleRefused(v1 ? "unsigned" : "not_a_bundle", std::string("not a bundle this server accepts: ") + e.what());
  }
  const std::string device = header.device.str();
  if (!std::getline(in, sealed_line) || !std::getline(in, signature_line))
    throw BundleRefused("truncated", "the bundle from device " + device + " is truncated: its sealed records or its signature are missing");
  while (std::getline(in, extra))
    if (!extra.empty()) throw BundleRefused("altered", "the bundle from device " + device + " has lines after its signature");
  std::string signature;
  try {
    signature = protocol::decode_bundle_signature(signature_line);
  } catch (const protocol::ProtocolError&) {
    throw BundleRefused("truncated", "the bundle from device " + device + " is truncated: its last line is not its signature");
  }

  const auto found = store.find_device(device);
  if (!found.device || found.device->id != device)
    throw BundleRefused("unknown_device", "the bundle comes from device " + device + ", which this server never enrolled");
  if (signature.empty()) {
    if (trust.accept_unsigned_from != device)
      throw BundleRefused("unsigned", "the bundle from device " + device + " (\"" + found.device->name +
                                          "\") is unsigned (the device erased its keys): check where it comes from, then accept it "
                                          "with --accept-unsigned " + device);
  } else {
    if (found.device->revoked)
      throw BundleRefused("revoked_device", "the bundle comes from device " + device + " (\"" + found.device->name +
                                                "\"), which was revoked: its signature is no longer trusted");
    std::optional<passes::DeviceCertificate> certificate;
    for (const auto& row : store.certificates())
      if (row.device == device && row.text == header.certificate && !row.revoked_ms) certificate = passes::DeviceCertificate::parse(row.text);
    if (!certificate)
      throw BundleRefused("wrong_certificate", "the bundle from device " + device + " names a certificate this server did not issue to it");
    const auto bytes = crypto::from_base64_exact<64>(signature);
    if (!bytes || !passes::verify_signature(certificate->device_public_key, protocol::bundle_signed_text(header_line, sealed_line), *bytes))
      throw BundleRefused("bad_signature", "the bundle from device " + device +
                                               " does not match its signature by the device's certified key: it was altered or forged");
  }
  auto records = office_keys(store, now).open(sealed_line);
  if (!records)
    throw BundleRefused("altered", "the records of the bundle from device " + device +
                                       " do not open with this server's office key (sealed for another server, or altered)");
  const auto lines = std::count(records->begin(), records->end(), '\n');
  if (lines != header.records)
    throw BundleRefused("altered", "the bundle from device " + device + " holds " + std::to_string(lines) + " records, its header says " +
                                       std::to_string(header.records));
  opened.records = std::move(*records);
  return opened;
}

}  // namespace

ImportReport import_bundle(ServerStore& store, std::istream& bundle, const core::Instant& now, const BundleTrust& trust) {
  auto opened = open_bundle(store, bundle, now, trust);
  const auto& header = opened.header;
  std::istringstream in(opened.records);
  std::string line;
  ImportReport report;
  report.device = header.device.str();
  const auto catalog = merge_catalogs(store.catalogs());

  BatchEnvelope envelope;
  envelope.device = report.device;
  envelope.received_ms = now.utc_ms;
  std::vector<protocol::ParsedBatch::Record> records;
  std::int64_t line_no = 0;  // of the sealed records
  std::int64_t chunk = 0;
  auto flush = [&] {
    if (records.empty()) return;
    envelope.batch = "bundle-" + short_hash(report.device + std::to_string(now.utc_ms) + std::to_string(chunk++));
    IngestSummary summary;
    const auto results = ingest_records(store, catalog.catalog, envelope, records, summary);
    for (const auto& r : results)
      if (r.status == protocol::RecordStatus::rejected && report.problems.size() < 20)
        report.problems.push_back("seq " + std::to_string(r.seq) + " (" + r.id + "): " + r.reason);
    report.accepted += summary.accepted;
    report.duplicates += summary.duplicates;
    report.rejected += summary.rejected;
    records.clear();
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    ++report.records;
    json j = protocol::nesting_within(line, protocol::max_nesting) ? json::parse(line, nullptr, false) : json();
    std::optional<std::int64_t> seq;
    json capture;
    if (j.is_object()) {
      if (j.contains("seq") && j["seq"].is_number_integer() && j["seq"].get<std::int64_t>() >= 0) seq = j["seq"].get<std::int64_t>();
      if (j.contains("capture")) capture = j["capture"];
    } else {
      if (report.problems.size() < 20) report.problems.push_back("record " + std::to_string(line_no) + ": not valid JSON");
    }
    records.push_back({seq, std::move(capture)});
    if (records.size() >= sync::tuning::batch_records) flush();
  }
  flush();
  crypto::wipe(opened.records);  // sealed contacts, opened
  return report;
}

// --- passes and assemblies -------------------------------------------------------------

std::optional<passes::PassId> read_pass_reference(const std::string& text) {
  if (auto id = passes::PassId::parse(text)) return id;
  if (text.rfind(passes::pass_prefix, 0) == 0) {
    const auto parsed = passes::parse_pass(text);
    if (parsed.pass) return parsed.pass->id;
    return std::nullopt;
  }
  const auto typed = passes::read_fallback_code(text);
  if (typed.problem == passes::FallbackProblem::none) return typed.id;
  return std::nullopt;
}

std::string create_office_token(ServerStore& store, const std::string& name, const core::Instant& now) {
  const std::string token = new_device_token();
  store.add_office_token(hash_secret(token), name, now.utc_ms);
  return token;
}

namespace {
const core::Assembly* find_assembly(const core::Catalog& catalog, const std::string& id) {
  for (const auto& a : catalog.assemblies)
    if (a.id == id) return &a;
  return nullptr;
}
}  // namespace

std::string attendance_json(const std::vector<AttendanceRow>& rows, const core::Catalog& catalog, const core::Instant& now) {
  json list = json::array();
  for (const auto& r : rows) {
    json a{{"assembly", r.assembly}, {"people", r.people},  {"with_pass", r.with_pass}, {"without_pass", r.without_pass},
           {"scans", r.scans},       {"devices", r.devices}};
    if (const auto* known = find_assembly(catalog, r.assembly)) {
      a["name"] = known->name.in("fr");
      a["date"] = known->date;
    }
    list.push_back(std::move(a));
  }
  return json{{"server_time", core::format_instant(now)}, {"assemblies", std::move(list)}}.dump(-1, ' ', false,
                                                                                                 json::error_handler_t::replace);
}

std::string format_attendance(const std::vector<AttendanceRow>& rows, const core::Catalog& catalog) {
  std::ostringstream out;
  out << "assembly                                  date              people  with pass  without  scans  devices\n";
  char line[512];
  for (const auto& r : rows) {
    const auto* known = find_assembly(catalog, r.assembly);
    std::snprintf(line, sizeof line, "%-41s %-17s %-7lld %-10lld %-8lld %-6lld %lld\n", r.assembly.substr(0, 41).c_str(),
                  known ? known->date.c_str() : "?", static_cast<long long>(r.people), static_cast<long long>(r.with_pass),
                  static_cast<long long>(r.without_pass), static_cast<long long>(r.scans), static_cast<long long>(r.devices));
    out << line;
  }
  if (rows.empty()) out << "(no sign-in received yet)\n";
  return out.str();
}

std::int64_t export_revocations(ServerStore& store, std::ostream& out) {
  std::int64_t n = 0;
  for (const auto& p : store.revoked_passes()) {
    out << json{{"kind", "pass"}, {"pass", p.pass}, {"reason", p.reason}, {"revoked_at", core::format_instant({p.revoked_ms, 0})}}
               .dump(-1, ' ', false, json::error_handler_t::replace)
        << '\n';
    ++n;
  }
  for (const auto& c : store.certificates()) {
    if (!c.revoked_ms) continue;
    out << json{{"kind", "certificate"}, {"serial", c.serial}, {"device", c.device},
                {"revoked_at", core::format_instant({*c.revoked_ms, 0})}}
               .dump()
        << '\n';
    ++n;
  }
  return n;
}

}  // namespace allervers::server
