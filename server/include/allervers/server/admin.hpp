#pragma once
// The coordinator's commands, as functions over a ServerStore (main.cpp only parses flags):
// catalog publishing, enrolment codes, device list, export, bundle import.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "allervers/core/time.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

// Publishes a catalog document when it differs from the latest one; returns true when
// published. Throws core::CatalogError when it does not follow the format.
bool publish_catalog(ServerStore& store, const std::string& json_text, const core::Instant& now);

struct EnrolCode {
  std::string code;
  core::Instant expires;
};
EnrolCode create_enrol_code(ServerStore& store, const std::string& name, const core::Instant& now, std::int64_t lifetime_ms);
// The QR code of `text` drawn with Unicode half blocks, for a terminal.
std::string terminal_qr(const std::string& text);

std::string format_devices(const std::vector<DeviceSummary>& devices, const core::Instant& now);
std::string devices_json(const std::vector<DeviceSummary>& devices);

enum class ExportFormat { jsonl, csv };
struct ExportOptions {
  ExportFormat format = ExportFormat::jsonl;
  bool personal_data = true;  // false: sealed contacts left out
};
std::int64_t export_captures(ServerStore& store, std::ostream& out, const ExportOptions& options);

// The records set aside (refused, or conflicting with one held), one JSON object a line.
std::int64_t export_refused(ServerStore& store, std::ostream& out);

struct ImportReport {
  std::string device;
  std::int64_t records = 0, accepted = 0, duplicates = 0, rejected = 0;
  std::vector<std::string> problems;  // "line 12: …", first few
};
// Reads a bundle (allervers-device export-bundle) and ingests it with the batch rules.
// Throws sync::protocol::ProtocolError when the header is not a bundle's.
ImportReport import_bundle(ServerStore& store, std::istream& in, const core::Instant& now);

}  // namespace allervers::server
