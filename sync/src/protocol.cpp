#include "allervers/sync/protocol.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <stdexcept>

#include "allervers/core/json_text.hpp"
#include "allervers/core/names.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::sync::protocol {

using nlohmann::json;

namespace {

const json& require(const json& object, const char* key, const char* what) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) throw ProtocolError(key, std::string("missing: ") + what);
  return *it;
}

std::string require_string(const json& object, const char* key, const char* what) {
  const json& v = require(object, key, what);
  if (!v.is_string()) throw ProtocolError(key, std::string("expected a text: ") + what);
  return v.get<std::string>();
}

std::int64_t require_int(const json& object, const char* key, const char* what) {
  const json& v = require(object, key, what);
  if (!v.is_number_integer()) throw ProtocolError(key, std::string("expected a whole number: ") + what);
  return v.get<std::int64_t>();
}

core::Uuid require_uuid(const json& object, const char* key, const char* what) {
  auto uuid = core::Uuid::parse(require_string(object, key, what));
  if (!uuid) throw ProtocolError(key, "not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  return *uuid;
}

core::Instant require_instant(const json& object, const char* key, const char* what) {
  auto instant = core::parse_instant(require_string(object, key, what));
  if (!instant) throw ProtocolError(key, "not a date-time like 2026-11-23T10:15:00.000+01:00");
  return *instant;
}

json parse_object(const std::string& body) {
  // The JSON reader stops at a NUL byte as at the end of the text: what follows would be ignored.
  if (body.find('\0') != std::string::npos) throw ProtocolError("body", "holds a NUL byte: not JSON text");
  if (!nesting_within(body, max_nesting))
    throw ProtocolError("body", "JSON nested deeper than " + std::to_string(max_nesting) + " levels");
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) throw ProtocolError("body", "not valid JSON");
  if (!j.is_object()) throw ProtocolError("body", "expected a JSON object");
  return j;
}

}  // namespace

bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// --- errors ----------------------------------------------------------------------------

std::string encode_error(const ErrorBody& error) {
  json j{{"error", error.error}, {"message", error.message}};
  if (!error.field.empty()) j["field"] = error.field;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ErrorBody decode_error(int status, const std::string& body) {
  ErrorBody out;
  json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    out.error = j["error"].get<std::string>();
    if (j.contains("message") && j["message"].is_string()) out.message = j["message"].get<std::string>();
    if (j.contains("field") && j["field"].is_string()) out.field = j["field"].get<std::string>();
    return out;
  }
  out.error = "http_" + std::to_string(status);
  out.message = "the server answered HTTP " + std::to_string(status);
  if (!body.empty()) out.message += ": " + body.substr(0, 200);
  return out;
}

// --- health ----------------------------------------------------------------------------

std::string encode_health(const Health& health) {
  return json{{"status", health.status},
              {"server_time", core::format_instant(health.server_time)},
              {"database", health.database},
              {"api", std::string(api_version)}}
      .dump();
}

Health decode_health(const std::string& body) {
  json j = parse_object(body);
  Health h;
  h.status = require_string(j, "status", "the server's state");
  h.server_time = require_instant(j, "server_time", "the server's clock");
  if (j.contains("database") && j["database"].is_string()) h.database = j["database"].get<std::string>();
  return h;
}

// --- enrolment -------------------------------------------------------------------------

namespace {
std::string optional_string(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) throw ProtocolError(key, "expected a text");
  return it->get<std::string>();
}
}  // namespace

std::string encode_enrol_request(const EnrolRequest& r) {
  json j{{"code", r.code}, {"device", r.device.str()}, {"device_name", r.device_name}};
  if (!r.device_public_key.empty()) j["device_public_key"] = r.device_public_key;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

EnrolRequest decode_enrol_request(const std::string& body) {
  json j = parse_object(body);
  EnrolRequest r;
  r.code = require_string(j, "code", "the enrolment code");
  r.device = require_uuid(j, "device", "the device's id");
  if (j.contains("device_name")) {
    if (!j["device_name"].is_string()) throw ProtocolError("device_name", "expected a text");
    r.device_name = j["device_name"].get<std::string>();
  }
  r.device_public_key = optional_string(j, "device_public_key");
  return r;
}

std::string encode_enrol_response(const EnrolResponse& r) {
  json j{{"device", r.device.str()}, {"name", r.name}, {"token", r.token}, {"server_time", core::format_instant(r.server_time)}};
  if (!r.town_key.empty()) j["town_key"] = r.town_key;
  if (!r.office_public_key.empty()) j["office_public_key"] = r.office_public_key;
  if (!r.device_certificate.empty()) j["device_certificate"] = r.device_certificate;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

EnrolResponse decode_enrol_response(const std::string& body) {
  json j = parse_object(body);
  EnrolResponse r;
  r.device = require_uuid(j, "device", "the device's id");
  r.name = require_string(j, "name", "the device's name");
  r.token = require_string(j, "token", "the device's token");
  r.server_time = require_instant(j, "server_time", "the server's clock");
  r.town_key = optional_string(j, "town_key");
  r.office_public_key = optional_string(j, "office_public_key");
  r.device_certificate = optional_string(j, "device_certificate");
  return r;
}

std::string enrol_link(const std::string& server_url, const std::string& code) {
  return "allervers-enrol:" + server_url + "#" + code;
}

Transport transport_of(std::string_view url) {
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string_view rest;
  bool https = false;
  if (const auto scheme = lower(url.substr(0, 8)); scheme == "https://") {
    https = true;
    rest = url.substr(8);
  } else if (scheme.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return Transport::unsupported;
  }
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.empty()) return Transport::unsupported;
  if (https) return Transport::https;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return Transport::unsupported;
    return host.substr(1, close - 1) == "::1" ? Transport::loopback_http : Transport::plain_http;
  }
  const std::string name = lower(host.substr(0, host.find(':')));
  if (name == "localhost" || name.ends_with(".localhost")) return Transport::loopback_http;
  // 127.0.0.0/8 written as four decimal numbers (an "IP-like" name such as 127.0.0.1.evil.example is not one).
  int parts = 0;
  bool numeric = name.starts_with("127.");
  for (std::size_t i = 0; numeric && i <= name.size();) {
    const auto dot = std::min(name.find('.', i), name.size());
    const auto part = name.substr(i, dot - i);
    numeric = !part.empty() && part.size() <= 3 && part.find_first_not_of("0123456789") == std::string::npos && std::stoi(part) <= 255;
    ++parts;
    i = dot + 1;
  }
  return numeric && parts == 4 ? Transport::loopback_http : Transport::plain_http;
}

std::optional<std::pair<std::string, std::string>> parse_enrol_link(std::string_view link) {
  constexpr std::string_view prefix = "allervers-enrol:";
  if (link.substr(0, prefix.size()) != prefix) return std::nullopt;
  link.remove_prefix(prefix.size());
  const auto hash = link.rfind('#');
  if (hash == std::string_view::npos || hash == 0 || hash + 1 == link.size()) return std::nullopt;
  return std::pair{std::string(link.substr(0, hash)), std::string(link.substr(hash + 1))};
}

// --- batches ---------------------------------------------------------------------------

std::string encode_batch(const BatchRequest& batch) {
  std::size_t size = 256;
  for (const auto& r : batch.records) size += r.capture_json.size() + 32;
  std::string out;
  out.reserve(size);
  out += R"({"device":")" + batch.device.str() + R"(","sent_at":")" + core::format_instant(batch.sent_at) + '"';
  if (batch.clock_offset_ms) out += R"(,"clock_offset_ms":)" + std::to_string(*batch.clock_offset_ms);
  out += R"(,"pending_after":)" + std::to_string(batch.pending_after);
  out += R"(,"records":[)";
  bool first = true;
  for (const auto& r : batch.records) {
    if (!first) out += ',';
    first = false;
    out += R"({"seq":)";
    out += std::to_string(r.seq);
    out += R"(,"capture":)";
    out += r.capture_json;
    out += '}';
  }
  out += "]}";
  return out;
}

ParsedBatch decode_batch(const std::string& body, std::size_t max_records) {
  json j = parse_object(body);
  ParsedBatch b;
  b.device = require_uuid(j, "device", "the sending device's id");
  b.sent_at = require_instant(j, "sent_at", "the device's clock when it sent the batch");
  if (b.sent_at.utc_ms < tuning::earliest_sent_at_ms || b.sent_at.utc_ms >= tuning::latest_sent_at_ms)
    throw ProtocolError("sent_at", core::format_instant(b.sent_at) +
                                       " is not a time a device's clock can read: expected from 1970 to 2199 (set the device's clock)");
  if (j.contains("clock_offset_ms") && !j["clock_offset_ms"].is_null()) {
    if (!j["clock_offset_ms"].is_number_integer()) throw ProtocolError("clock_offset_ms", "expected a whole number of milliseconds");
    const auto& offset = j["clock_offset_ms"];
    // A huge unsigned number would wrap to a negative one: judged before it is read as signed.
    if (offset.is_number_unsigned() && offset.get<std::uint64_t>() > static_cast<std::uint64_t>(tuning::max_clock_offset_ms))
      throw ProtocolError("clock_offset_ms", "expected at most 230 years either way, in milliseconds");
    b.clock_offset_ms = offset.get<std::int64_t>();
    if (*b.clock_offset_ms > tuning::max_clock_offset_ms || *b.clock_offset_ms < -tuning::max_clock_offset_ms)
      throw ProtocolError("clock_offset_ms", "expected at most 230 years either way, in milliseconds");
  }
  if (j.contains("pending_after") && !j["pending_after"].is_null()) {
    if (!j["pending_after"].is_number_integer()) throw ProtocolError("pending_after", "expected a whole number");
    b.pending_after = j["pending_after"].get<std::int64_t>();
  }
  (void)require(j, "records", "the list of records");
  // Not const: each record's capture is moved out below, not copied (a batch's worth of JSON).
  json& records = j["records"];
  if (!records.is_array()) throw ProtocolError("records", "expected a list of records");
  if (records.size() > max_records)
    throw ProtocolError("records", std::to_string(records.size()) + " records in one batch; at most " + std::to_string(max_records));
  b.records.reserve(records.size());
  for (auto& r : records) {
    ParsedBatch::Record rec;
    if (r.is_object()) {
      auto seq = r.find("seq");
      // Only whole numbers from 0 to max_seq: anything else is rejected as invalid_seq (a
      // record alone, not the batch). An unsigned JSON number above INT64_MAX is not one.
      if (seq != r.end() && seq->is_number_integer() && !(seq->is_number_unsigned() && seq->get<std::uint64_t>() > INT64_MAX) &&
          seq->get<std::int64_t>() >= 0 && seq->get<std::int64_t>() <= tuning::max_seq)
        rec.seq = seq->get<std::int64_t>();
      auto capture = r.find("capture");
      if (capture != r.end()) rec.capture = std::move(*capture);
    }
    b.records.push_back(std::move(rec));
  }
  return b;
}

constexpr core::EnumName<RecordStatus> kRecordStatusNames[] = {
    {RecordStatus::accepted, "accepted"},
    {RecordStatus::duplicate, "duplicate"},
    {RecordStatus::rejected, "rejected"},
};

const char* to_string(RecordStatus status) { return core::name_of(kRecordStatusNames, status); }

std::optional<RecordStatus> record_status_from(std::string_view name) {
  return core::value_named(kRecordStatusNames, name);
}

// Written directly, keys in order as a JSON object's dump would give them: a batch of 1,000
// answers built as a JSON value first cost a twentieth of the server's ingest.
std::string encode_batch_response(const BatchResponse& r) {
  std::string out = "{";
  out.reserve(128 + r.results.size() * 80);
  const auto key = [&](const char* name) {
    out += '"';
    out += name;
    out += "\":";
  };
  // A member and what follows it (',' or the closing brace).
  const auto text = [&](const char* name, std::string_view value, char then) {
    key(name);
    core::append_json_string(out, value);
    out += then;
  };
  const auto number = [&](const char* name, std::int64_t value, char then) {
    key(name);
    core::append_json_number(out, value);
    out += then;
  };
  number("accepted", r.accepted, ',');
  text("batch", r.batch, ',');
  number("duplicates", r.duplicates, ',');
  number("rejected", r.rejected, ',');
  key("results");
  out += '[';
  for (const auto& rr : r.results) {
    out += &rr == &r.results.front() ? "{" : ",{";
    const bool rejected = rr.status == RecordStatus::rejected;
    if (rejected) text("code", rr.code, ',');
    text("id", rr.id, ',');
    if (rejected) text("reason", rr.reason, ',');
    number("seq", rr.seq, ',');
    text("status", to_string(rr.status), '}');
  }
  out += "],";
  text("server_time", core::format_instant(r.server_time), '}');
  return out;
}

BatchResponse decode_batch_response(const std::string& body) {
  json j = parse_object(body);
  BatchResponse r;
  r.batch = require_string(j, "batch", "the batch's id");
  r.server_time = require_instant(j, "server_time", "the server's clock");
  const json& results = require(j, "results", "the per-record results");
  if (!results.is_array()) throw ProtocolError("results", "expected a list");
  for (const auto& e : results) {
    if (!e.is_object()) throw ProtocolError("results", "expected objects");
    RecordResult rr;
    rr.id = require_string(e, "id", "the record's id");
    rr.seq = require_int(e, "seq", "the record's sequence number");
    auto status = record_status_from(require_string(e, "status", "accepted, duplicate or rejected"));
    if (!status) throw ProtocolError("status", "expected accepted, duplicate or rejected");
    rr.status = *status;
    if (rr.status == RecordStatus::rejected) {
      if (e.contains("code") && e["code"].is_string()) rr.code = e["code"].get<std::string>();
      if (e.contains("reason") && e["reason"].is_string()) rr.reason = e["reason"].get<std::string>();
    }
    switch (rr.status) {
      case RecordStatus::accepted: ++r.accepted; break;
      case RecordStatus::duplicate: ++r.duplicates; break;
      case RecordStatus::rejected: ++r.rejected; break;
    }
    r.results.push_back(std::move(rr));
  }
  return r;
}

// --- passes ----------------------------------------------------------------------------

std::string encode_pass_keys(const PassKeys& k) {
  json j{{"town_key", k.town_key}, {"office_public_key", k.office_public_key}, {"certificates", k.certificates}, {"revocations", k.revocations}};
  if (!k.retired_town_keys.empty()) j["retired_town_keys"] = k.retired_town_keys;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

PassKeys decode_pass_keys(const std::string& body) {
  json j = parse_object(body);
  PassKeys k;
  k.town_key = require_string(j, "town_key", "the town's public key");
  k.office_public_key = optional_string(j, "office_public_key");
  const json& certificates = require(j, "certificates", "the device certificates");
  if (!certificates.is_array()) throw ProtocolError("certificates", "expected a list of texts");
  for (const auto& c : certificates) {
    if (!c.is_string()) throw ProtocolError("certificates", "expected a list of texts");
    k.certificates.push_back(c.get<std::string>());
  }
  if (j.contains("retired_town_keys")) {
    const json& retired = j["retired_town_keys"];
    if (!retired.is_array()) throw ProtocolError("retired_town_keys", "expected a list of texts");
    for (const auto& key : retired) {
      if (!key.is_string()) throw ProtocolError("retired_town_keys", "expected a list of texts");
      k.retired_town_keys.push_back(key.get<std::string>());
    }
  }
  const json& revocations = require(j, "revocations", "the revocation list");
  if (!revocations.is_object() || !revocations.contains("passes") || !revocations["passes"].is_array() ||
      !revocations.contains("certificates") || !revocations["certificates"].is_array())
    throw ProtocolError("revocations", "expected {\"passes\": [...], \"certificates\": [...]}");
  k.revocations = revocations;
  return k;
}

// --- outcomes ----------------------------------------------------------------------------

namespace {

// One idea's outcome as compact JSON text, keys in byte order (the bytes nlohmann's dump gives):
// in the outcomes document, and alone as the device keeps it.
void append_idea_outcome(std::string& out, const IdeaOutcomeEntry& i) {
  out += '{';
  if (!i.answer.empty()) {
    out += "\"answer\":";
    core::append_json_string(out, i.answer);
    out += ',';
  }
  out += "\"key\":";
  core::append_json_string(out, i.key);
  if (!i.merged_into.empty()) {
    out += ",\"merged_into\":";
    core::append_json_string(out, i.merged_into);
  }
  if (!i.milestones.empty()) {
    out += ",\"milestones\":[";
    for (std::size_t m = 0; m < i.milestones.size(); ++m) {
      out += m ? ",{\"day\":" : "{\"day\":";
      core::append_json_string(out, i.milestones[m].day);
      out += ",\"text\":";
      core::append_json_string(out, i.milestones[m].text);
      out += '}';
    }
    out += ']';
  }
  out += ",\"state\":";
  core::append_json_string(out, i.state);
  out += ",\"title\":";
  core::append_json_string(out, i.title);
  out += ",\"updated_ms\":";
  core::append_json_number(out, i.updated_ms);
  out += '}';
}

IdeaOutcomeEntry idea_outcome_from(const json& j) {
  if (!j.is_object()) throw ProtocolError("ideas", "expected a list of objects");
  IdeaOutcomeEntry i;
  i.key = require_string(j, "key", "an idea's outcome key");
  i.title = require_string(j, "title", "an idea's title");
  i.state = require_string(j, "state", "an idea's state");
  i.answer = optional_string(j, "answer");
  i.merged_into = optional_string(j, "merged_into");
  if (j.contains("updated_ms")) i.updated_ms = require_int(j, "updated_ms", "when the idea last changed");
  if (j.contains("milestones")) {
    const json& list = j["milestones"];
    if (!list.is_array()) throw ProtocolError("milestones", "expected a list of {day, text}");
    for (const auto& m : list) {
      if (!m.is_object()) throw ProtocolError("milestones", "expected a list of {day, text}");
      i.milestones.push_back({require_string(m, "day", "a milestone's day"), require_string(m, "text", "a milestone's text")});
    }
  }
  return i;
}

std::vector<std::string> key_list(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  const json& list = j[key];
  if (!list.is_array()) throw ProtocolError(key, "expected a list of outcome keys");
  for (const auto& k : list) {
    if (!k.is_string()) throw ProtocolError(key, "expected a list of outcome keys");
    out.push_back(k.get<std::string>());
  }
  return out;
}

}  // namespace

// Written straight to text, the bytes nlohmann's dump of the same values gives (keys in byte
// order), so the ETag is unchanged: the whole town's ideas go out at each device's sync, and
// building them as JSON values first cost more than reading them from the database.
std::string encode_outcomes(const Outcomes& o) {
  std::string out;
  out.reserve(64 + o.ideas.size() * 200);
  out += "{\"ballots\":[";
  auto keys = [&out](const std::vector<std::string>& list) {
    out += '[';
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (k) out += ',';
      core::append_json_string(out, list[k]);
    }
    out += ']';
  };
  for (std::size_t n = 0; n < o.ballots.size(); ++n) {
    const auto& b = o.ballots[n];
    out += n ? ",{\"counted\":" : "{\"counted\":";
    keys(b.counted);
    out += ",\"flagged\":";
    keys(b.flagged);
    out += ",\"vote\":";
    core::append_json_string(out, b.vote);
    out += '}';
  }
  out += "],\"ideas\":[";
  for (std::size_t n = 0; n < o.ideas.size(); ++n) {
    if (n) out += ',';
    append_idea_outcome(out, o.ideas[n]);
  }
  out += ']';
  if (!o.public_url.empty()) {
    out += ",\"public_url\":";
    core::append_json_string(out, o.public_url);
  }
  out += '}';
  return out;
}

Outcomes decode_outcomes(const std::string& body) {
  const json j = parse_object(body);
  Outcomes o;
  o.public_url = optional_string(j, "public_url");
  const json& ideas = require(j, "ideas", "the ideas' outcomes");
  if (!ideas.is_array()) throw ProtocolError("ideas", "expected a list of objects");
  for (const auto& i : ideas) o.ideas.push_back(idea_outcome_from(i));
  const json& ballots = require(j, "ballots", "the ballots' outcomes");
  if (!ballots.is_array()) throw ProtocolError("ballots", "expected a list of {vote, counted, flagged}");
  for (const auto& b : ballots) {
    if (!b.is_object()) throw ProtocolError("ballots", "expected a list of {vote, counted, flagged}");
    o.ballots.push_back({require_string(b, "vote", "a vote's id"), key_list(b, "counted"), key_list(b, "flagged")});
  }
  return o;
}

std::string encode_idea_outcome(const IdeaOutcomeEntry& idea) {
  std::string out;
  append_idea_outcome(out, idea);
  return out;
}

IdeaOutcomeEntry decode_idea_outcome(const std::string& text) { return idea_outcome_from(parse_object(text)); }

std::string encode_certificate_request(const CertificateRequest& r) {
  return json{{"device_public_key", r.device_public_key}}.dump();
}

CertificateRequest decode_certificate_request(const std::string& body) {
  json j = parse_object(body);
  return {require_string(j, "device_public_key", "base64 of the device's Ed25519 public key")};
}

std::string encode_certificate_response(const CertificateResponse& r) {
  return json{{"device_certificate", r.device_certificate}}.dump();
}

CertificateResponse decode_certificate_response(const std::string& body) {
  json j = parse_object(body);
  return {require_string(j, "device_certificate", "the device certificate")};
}

// --- bundles ---------------------------------------------------------------------------

std::string encode_bundle_header(const BundleHeader& h) {
  return json{{"format", bundle_format},
              {"device", h.device.str()},
              {"device_name", h.device_name},
              {"created_at", core::format_instant(h.created_at)},
              {"records", h.records},
              {"certificate", h.certificate},
              {"sealed_for", h.sealed_for}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

BundleHeader decode_bundle_header(const std::string& line) {
  json j = parse_object(line);
  const std::string format = require_string(j, "format", "the bundle format");
  if (format == bundle_format_unsigned_v1)
    throw ProtocolError("format", "an unsigned bundle in clear (allervers.bundle/1, written by an older version): refused; "
                                  "update the device and export it again");
  if (format != bundle_format) throw ProtocolError("format", std::string("not a bundle of format ") + bundle_format);
  BundleHeader h;
  h.device = require_uuid(j, "device", "the device that made the bundle");
  if (j.contains("device_name") && j["device_name"].is_string()) h.device_name = j["device_name"].get<std::string>();
  h.created_at = require_instant(j, "created_at", "when the bundle was made");
  h.records = require_int(j, "records", "how many records follow");
  h.certificate = require_string(j, "certificate", "the device certificate (\"\" when unsigned)");
  h.sealed_for = require_string(j, "sealed_for", "the office key the records are sealed for");
  return h;
}

std::string bundle_signed_text(std::string_view header_line, std::string_view sealed_line) {
  std::string text;
  text.reserve(header_line.size() + 1 + sealed_line.size());
  text.append(header_line).append(1, '\n').append(sealed_line);
  return text;
}

std::string encode_bundle_signature(const std::string& signature_base64) { return json{{"signature", signature_base64}}.dump(); }

std::string decode_bundle_signature(const std::string& line) {
  json j = parse_object(line);
  if (j.size() != 1) throw ProtocolError("signature", "expected the bundle's signature line alone");
  return require_string(j, "signature", "the bundle's signature");
}

std::string encode_bundle_record(const BatchRecord& record) {
  return R"({"seq":)" + std::to_string(record.seq) + R"(,"capture":)" + record.capture_json + "}";
}

// --- gzip ------------------------------------------------------------------------------

std::string gzip_compress(std::string_view data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip: cannot initialise zlib");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const auto written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: compression failed");
  out.resize(written);
  return out;
}

std::string gzip_decompress(std::string_view data, std::size_t max_out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("gzip: cannot initialise zlib");
  std::string out;
  char buf[64 * 1024];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw ProtocolError("body", "not a valid gzip stream");
    }
    const std::size_t n = sizeof buf - zs.avail_out;
    if (out.size() + n > max_out) {
      inflateEnd(&zs);
      throw std::length_error("decompressed body over " + std::to_string(max_out) + " bytes");
    }
    out.append(buf, n);
    if (rc == Z_OK && n == 0 && zs.avail_in == 0) {
      inflateEnd(&zs);
      throw ProtocolError("body", "the gzip stream is truncated");
    }
  }
  const bool trailing = zs.avail_in != 0;
  inflateEnd(&zs);
  if (trailing) throw ProtocolError("body", "bytes after the end of the gzip stream");
  return out;
}


bool is_app_version(std::string_view text) {
  if (text.empty() || text.size() > 32) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '+' || c == '-' || c == '~'))
      return false;
  return true;
}

}  // namespace allervers::sync::protocol
