#pragma once
// The coordinator's commands, as functions over a ServerStore (main.cpp only parses flags):
// catalog publishing, enrolment codes, device list, refused records, bundle import, passes.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>

#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/office/exports.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

// Publishes a catalog document when it differs from the latest one; returns true when
// published. Throws core::CatalogError when it does not follow the format. `media_dir`: the
// catalog file's directory, where the pictograms it names are (media.hpp, catalog_with_media).
bool publish_catalog(ServerStore& store, const std::string& json_text, const core::Instant& now,
                     const std::filesystem::path& media_dir = {});

struct EnrolCode {
  std::string code;
  core::Instant expires;
};
// `for_device` (an enrolled device's id): the code re-enrols that device only (a reset
// tablet keeps its id); without it, the code enrols a new device only.
EnrolCode create_enrol_code(ServerStore& store, const std::string& name, const core::Instant& now, std::int64_t lifetime_ms,
                            const std::optional<std::string>& for_device = std::nullopt);
// The lifetime `--hours` asks for, in ms: a finite number of hours above 0 and at most
// sync::tuning::enrol_code_max_lifetime; throws std::invalid_argument with a sentence otherwise.
std::int64_t enrol_code_lifetime_ms(double hours);

std::string format_devices(const std::vector<DeviceSummary>& devices, const core::Instant& now);
std::string devices_json(const std::vector<DeviceSummary>& devices);

// Exports (JSON Lines, CSV, XLSX, Decidim): office/exports.hpp.

// The records set aside (refused, or conflicting with one held), one JSON object a line.
std::int64_t export_refused(ServerStore& store, std::ostream& out);

struct ImportReport {
  std::string device;
  std::int64_t records = 0, accepted = 0, duplicates = 0, rejected = 0;
  std::vector<std::string> problems;  // "line 12: …", first few
};
// A bundle refused whole, before anything from it is stored: `reason` is one of unsigned,
// bad_signature (it does not match its signature by the device's certified key: altered or
// forged), wrong_certificate (it names a certificate not issued to its device), truncated,
// altered (the sealed part does not open, or holds other than its header says),
// unknown_device, revoked_device, not_a_bundle.
class BundleRefused : public std::runtime_error {
 public:
  BundleRefused(std::string reason, const std::string& message) : std::runtime_error(message), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};
struct BundleTrust {
  // A device whose unsigned bundle the admin accepts (a wiped device's captures, checked by
  // hand): its id. Empty: unsigned bundles are refused.
  std::string accept_unsigned_from;
};
// Reads a bundle (allervers-device export-bundle), checks it whole (its signature by the
// device's certified key, the device known and not revoked, the records opening with the
// office key and matching the header), then ingests it with the batch rules. Throws
// BundleRefused, having stored nothing, when a check fails.
ImportReport import_bundle(ServerStore& store, std::istream& in, const core::Instant& now, const BundleTrust& trust = {});

// --- passes and assemblies ---------------------------------------------------------------

// A pass named by the office: its 10-character id, its fallback code ("ABCD-EFGH-JKC", typed
// as people type it), or a whole scanned "AV1-…" code. Nothing when it is none of these.
std::optional<passes::PassId> read_pass_reference(const std::string& text);

// An office token for the dashboard (GET /api/v1/assemblies/attendance); only its hash is kept.
std::string create_office_token(ServerStore& store, const std::string& name, const core::Instant& now);

// Attendance per assembly, with the assembly's name and date from the published catalog.
std::string attendance_json(const std::vector<AttendanceRow>& rows, const core::Catalog& catalog, const core::Instant& now);
std::string format_attendance(const std::vector<AttendanceRow>& rows, const core::Catalog& catalog);

// Revoked passes and certificates, one JSON object a line.
std::int64_t export_revocations(ServerStore& store, std::ostream& out);

// `allervers-server passes`: makes `count` passes signed by the town key, records their ids
// (so a typed fallback code can be checked here later) and prints them on A4 sheets. Only
// when the server is built with the pass tools (cairo); returns the ids printed.
bool can_print_passes();
std::vector<std::string> print_town_passes(ServerStore& store, int count, const std::filesystem::path& pdf,
                                           const std::string& town_name, const core::Instant& now);

}  // namespace allervers::server
