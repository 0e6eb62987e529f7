#pragma once
// The wire format shared by the device (sync client) and the central server. Reference:
// docs/protocol.md. JSON over HTTP, under /api/v1; request bodies may be gzip-encoded.
//
// Sections: paths and headers · errors · enrolment · batches · catalog · bundles · gzip.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "allervers/core/time.hpp"
#include "allervers/core/uuid.hpp"

namespace allervers::sync::protocol {

// --- paths and headers -----------------------------------------------------------------
inline constexpr std::string_view api_version = "v1";
inline constexpr const char* health_path = "/api/v1/health";
inline constexpr const char* enrol_path = "/api/v1/enrol";
inline constexpr const char* catalog_path = "/api/v1/catalog";
inline constexpr const char* batches_path = "/api/v1/batches";
inline constexpr const char* passes_path = "/api/v1/passes";                    // keys, certificates, revocations
inline constexpr const char* certificate_path = "/api/v1/passes/certificate";   // a device certificate for a key
inline constexpr const char* attendance_path = "/api/v1/assemblies/attendance"; // office: people per assembly
inline constexpr const char* outcomes_path = "/api/v1/outcomes";                // what became of ideas and ballots
inline constexpr const char* json_type = "application/json";
// The app's version, sent by the device with each authenticated request (docs/protocol.md,
// "The app's version"); a server that does not know the header ignores it.
inline constexpr const char* app_version_header = "Allervers-App-Version";
// 1 to 32 characters of 0-9 A-Z a-z . + - ~ ("0.1.0", "0.2.0-rc1").
bool is_app_version(std::string_view text);

// --- errors ----------------------------------------------------------------------------
// Every 4xx/5xx answer carries {"error": code, "message": sentence[, "field": where]}.
struct ErrorBody {
  std::string error;    // stable code: "unknown_token", "invalid_json" … (docs/protocol.md)
  std::string message;  // a sentence for people
  std::string field;    // optional: which part of the request
};
std::string encode_error(const ErrorBody& error);
// Reads an error body; anything else (an HTML page from a proxy) gives code "http_<status>".
ErrorBody decode_error(int status, const std::string& body);

// A body that does not follow the format: `field` names where.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(std::string field, const std::string& message)
      : std::runtime_error(field.empty() ? message : field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Bodies nested deeper than this are refused before parsing: a capture needs 4 levels, and
// a deeply nested body would exhaust the stack of whatever walks it.
inline constexpr int max_nesting = 32;
bool nesting_within(std::string_view json_text, int max_depth);

// --- health ----------------------------------------------------------------------------
struct Health {
  std::string status;  // "ok"
  core::Instant server_time;
  std::string database;  // "sqlite" or "postgresql"
};
std::string encode_health(const Health& health);
Health decode_health(const std::string& body);

// --- enrolment -------------------------------------------------------------------------
struct EnrolRequest {
  std::string code;  // the one-time code shown by `allervers-server enrol-code`
  core::Uuid device;
  std::string device_name;  // the device's own name, kept when the code has none
  // Optional: base64 of the device's own Ed25519 public key (its pass-issuing key, made on the
  // device and never sent). With it, the answer carries a device certificate for that key.
  std::string device_public_key = {};
};
struct EnrolResponse {
  core::Uuid device;
  std::string name;   // the name given to the device by the coordinator
  std::string token;  // the device's secret; the server keeps only its hash
  core::Instant server_time;
  // Pass keys (empty when the server predates them): the town's public key "AVK1-…", the
  // office's X25519 public key (base64) for sealed contacts, and "AVC1-…" when a
  // device_public_key was sent.
  std::string town_key = {};
  std::string office_public_key = {};
  std::string device_certificate = {};
};
std::string encode_enrol_request(const EnrolRequest& request);
EnrolRequest decode_enrol_request(const std::string& body);
std::string encode_enrol_response(const EnrolResponse& response);
EnrolResponse decode_enrol_response(const std::string& body);

// What the QR code of an enrolment carries: "allervers-enrol:<url>#<code>".
std::string enrol_link(const std::string& server_url, const std::string& code);
std::optional<std::pair<std::string, std::string>> parse_enrol_link(std::string_view link);

// How a server address carries the device's token: https; http to this machine (loopback:
// localhost, 127.0.0.0/8, [::1]) never leaves it; plain http elsewhere crosses the network in
// clear, refused unless the person asked for it (--insecure-http) and the device shows it.
enum class Transport { https, loopback_http, plain_http, unsupported };
Transport transport_of(std::string_view server_url);

// --- batches ---------------------------------------------------------------------------
struct BatchRecord {
  std::int64_t seq = 0;      // the device's own sequence number: gaps show lost records
  std::string capture_json;  // one capture, canonical JSON (core::canonical_json)
};
struct BatchRequest {
  core::Uuid device;
  core::Instant sent_at;                       // device clock when sent
  std::optional<std::int64_t> clock_offset_ms;  // server minus device, measured by the device
  std::int64_t pending_after = 0;              // records still waiting on the device after this batch
  std::vector<BatchRecord> records;
};
// Encoding embeds the canonical capture JSON as is (no re-serialisation on the device).
std::string encode_batch(const BatchRequest& batch);

// The server's reading of a batch: the envelope must be right (else ProtocolError → 400);
// each record stays raw JSON so that one bad record cannot spoil the others.
struct ParsedBatch {
  core::Uuid device;
  core::Instant sent_at;
  std::optional<std::int64_t> clock_offset_ms;
  std::int64_t pending_after = 0;
  struct Record {
    std::optional<std::int64_t> seq;  // absent or not a whole number: the record is rejected
    nlohmann::json capture;
  };
  std::vector<Record> records;
};
ParsedBatch decode_batch(const std::string& body, std::size_t max_records);

enum class RecordStatus { accepted, duplicate, rejected };
const char* to_string(RecordStatus status);
std::optional<RecordStatus> record_status_from(std::string_view name);

struct RecordResult {
  std::string id;  // as sent (may be unreadable when rejected)
  std::int64_t seq = 0;
  RecordStatus status = RecordStatus::rejected;
  std::string code;    // when rejected: "invalid", "id_conflict", "unknown_consultation" …
  std::string reason;  // when rejected: what is wrong, field by field
};
struct BatchResponse {
  std::string batch;  // the server's id for this batch (logs, support)
  core::Instant server_time;
  std::int64_t accepted = 0, duplicates = 0, rejected = 0;
  std::vector<RecordResult> results;  // one per record, in the order sent
};
std::string encode_batch_response(const BatchResponse& response);
BatchResponse decode_batch_response(const std::string& body);

// --- passes ----------------------------------------------------------------------------
// GET /api/v1/passes: what any device needs to verify passes offline, with an ETag like the
// catalog's. The town's private key is never in it.
struct PassKeys {
  std::string town_key;                   // "AVK1-…"
  std::string office_public_key;          // base64 of 32 bytes (crypto_box_seal)
  std::vector<std::string> certificates;  // "AVC1-…" of every device certificate not revoked
  // "AVK1-…" of the keys the town retired (rotate-key town) and still trusts: passes and
  // certificates they signed keep verifying. Absent from older servers' answers.
  std::vector<std::string> retired_town_keys;
  nlohmann::json revocations = nlohmann::json{{"passes", nlohmann::json::array()}, {"certificates", nlohmann::json::array()}};
};
std::string encode_pass_keys(const PassKeys& keys);
PassKeys decode_pass_keys(const std::string& body);

// POST /api/v1/passes/certificate: a device enrolled before passes existed (or whose
// certificate is running out) asks for a certificate of a new key.
struct CertificateRequest {
  std::string device_public_key;  // base64 of 32 bytes
};
std::string encode_certificate_request(const CertificateRequest& request);
CertificateRequest decode_certificate_request(const std::string& body);
struct CertificateResponse {
  std::string device_certificate;  // "AVC1-…"
};
std::string encode_certificate_response(const CertificateResponse& response);
CertificateResponse decode_certificate_response(const std::string& body);

// --- outcomes --------------------------------------------------------------------------
// GET /api/v1/outcomes: what became of the town's ideas and ballots, for a kiosk to answer
// « Où en est mon idée ? » and « Mon vote a-t-il été compté ? » offline. Only what the public
// pages show a resident holding the code; every code under its outcome key
// (passes/outcome_keys.hpp), never in clear; no voter, no device, no time of a ballot. ETag
// like the passes'.
struct IdeaOutcomeMilestone {
  std::string day;  // "YYYY-MM-DD"
  std::string text;
};
struct IdeaOutcomeEntry {
  std::string key;    // passes::idea_outcome_key of its receipt code
  std::string title;  // the idea's own title
  std::string state;  // core::to_string(IdeaState) of the idea (of the one kept, when merged)
  std::string answer;       // the town's public answer ("" none yet); for "non recevable", the reason too
  std::string merged_into;  // the kept idea's title when this one was merged into it, else ""
  std::vector<IdeaOutcomeMilestone> milestones;  // of the idea kept, oldest first (their photos stay on the web)
  std::int64_t updated_ms = 0;                   // its last change at the office
};
struct BallotOutcomes {
  std::string vote;                  // the vote's id (its voter_key keys the outcome keys)
  std::vector<std::string> counted;  // passes::ballot_outcome_key of each receipt counted
  std::vector<std::string> flagged;  // of each later ballot of a voter already counted: never counted
};
struct Outcomes {
  std::string public_url;  // the town's public pages (the server's --public-url), "" when not set
  std::vector<IdeaOutcomeEntry> ideas;
  std::vector<BallotOutcomes> ballots;  // votes with ballots received, not drafts
};
std::string encode_outcomes(const Outcomes& outcomes);
Outcomes decode_outcomes(const std::string& body);
// One idea's entry alone (the device keeps each as a row and reads it back when asked).
std::string encode_idea_outcome(const IdeaOutcomeEntry& idea);
IdeaOutcomeEntry decode_idea_outcome(const std::string& text);

// --- catalog ---------------------------------------------------------------------------
// GET /api/v1/catalog answers the catalog document (core's format) with an ETag; a request
// with If-None-Match equal to it gets 304 and no body.

// --- bundles ---------------------------------------------------------------------------
// An offline hand-over file (docs/protocol.md "Bundles"), three lines:
//   1. the header, in clear: {"format":"allervers.bundle/2","device":…,"device_name":…,
//      "created_at":…,"records":N,"certificate":"AVC1-…","sealed_for":"<office public key>"}
//   2. the records sealed for the office key: base64 of crypto_box_seal over one
//      {"seq":…,"capture":{…}} a line;
//   3. {"signature":"<base64 Ed25519 over line 1 + \n + line 2>"} by the device's certified key,
//      "" from a device that erased its key (wiped after revocation): refused unless an admin
//      accepts that device's unsigned bundle by name.
// Without the office's secret key a bundle shows nothing but its header.
inline constexpr const char* bundle_format = "allervers.bundle/2";
inline constexpr const char* bundle_format_unsigned_v1 = "allervers.bundle/1";  // refused: unsigned, in clear
struct BundleHeader {
  core::Uuid device;
  std::string device_name;
  core::Instant created_at;
  std::int64_t records = 0;
  std::string certificate;  // the device's "AVC1-…"; "" when unsigned
  std::string sealed_for;   // the office public key the records are sealed for (base64)
};
std::string encode_bundle_header(const BundleHeader& header);
// Throws ProtocolError("format", …) for anything but a bundle/2 header (a bundle/1 is named).
BundleHeader decode_bundle_header(const std::string& line);
// What the device signs: the header line and the sealed line as written.
std::string bundle_signed_text(std::string_view header_line, std::string_view sealed_line);
std::string encode_bundle_signature(const std::string& signature_base64);
// The signature's base64, "" when unsigned; ProtocolError when the line is not a signature line.
std::string decode_bundle_signature(const std::string& line);
std::string encode_bundle_record(const BatchRecord& record);

// --- gzip ------------------------------------------------------------------------------
std::string gzip_compress(std::string_view data, int level);
// Throws ProtocolError("body", …) on a corrupt stream; std::length_error beyond max_out bytes.
std::string gzip_decompress(std::string_view data, std::size_t max_out);

}  // namespace allervers::sync::protocol
