// The HTTP API: routing, authentication, the batch rules, the catalog.
//
// Sections: helpers · catalog merging · ingest (shared with bundle import) · Api.
#include "allervers/server/api.hpp"
#include "allervers/server/kiosk_bursts.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <map>
#include <optional>
#include <set>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/passes/outcome_keys.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/media.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::server {

namespace protocol = sync::protocol;
namespace tuning = sync::tuning;
using nlohmann::json;

// --- helpers ---------------------------------------------------------------------------

namespace {

// Refused enrolments per client address (sync/tuning.hpp says why these figures).
ThrottlePolicy enrol_throttle() {
  using std::chrono::milliseconds, std::chrono::duration_cast;
  return {tuning::enrol_failures_allowed, duration_cast<milliseconds>(tuning::enrol_first_wait).count(),
          duration_cast<milliseconds>(tuning::enrol_failure_window).count(),
          duration_cast<milliseconds>(tuning::enrol_failure_window).count()};
}

// Documents built from the database (the pass keys, the outcomes) carry an ETag of their
// content: 304 and no body when the device holds it already.
std::string etag_of(const std::string& body) { return "\"" + short_hash(body) + "\""; }

// Whether the request's Accept-Encoding takes gzip (RFC 9110, 12.5.3): gzip named without q=0,
// or, when gzip is not named, "*" without q=0. A q that is not a number counts as q=0: the answer
// is then plain.
bool accepts_gzip(const HttpRequest& request) {
  const std::string header = request.header("accept-encoding");
  std::optional<bool> gzip, any;  // what the header says of each, when it names it
  std::size_t at = 0;
  while (at <= header.size()) {
    const std::size_t end = std::min(header.find(',', at), header.size());
    const std::string_view item = core::trim_ows(std::string_view(header).substr(at, end - at));
    at = end + 1;
    const std::size_t semi = item.find(';');
    std::string coding(core::trim_ows(item.substr(0, semi)));
    std::transform(coding.begin(), coding.end(), coding.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (coding != "gzip" && coding != "*") continue;
    bool taken = true;
    if (semi != std::string_view::npos) {
      const std::string_view param = core::trim_ows(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        const std::string_view q = param.substr(2);
        taken = !q.empty() && q.find_first_not_of("0123456789.") == std::string_view::npos &&
                q.find_first_not_of("0.") != std::string_view::npos;  // q=0, q=0.0, q=0.000: refused
      }
    }
    (coding == "gzip" ? gzip : any) = taken;
  }
  return gzip.value_or(any.value_or(false));
}

// What a document sent to every device is kept as beside its text: gzipped once (not worth it
// under protocol's gzip_min_bytes).
std::string gzipped_for_devices(const std::string& body) {
  return body.size() < sync::tuning::gzip_min_bytes ? std::string() : protocol::gzip_compress(body, sync::tuning::response_gzip_level);
}

// The gzipped representation's ETag: another one, as the bytes differ ("abc" → "abc-gz").
std::string gzip_etag(const std::string& etag) {
  return etag.size() >= 2 && etag.back() == '"' ? etag.substr(0, etag.size() - 1) + "-gz\"" : etag + "-gz";
}

// 304 when the device holds the document already (in either coding), else the body — gzipped
// when the device takes it and `gzipped` is set — copied: it may be a cached document.
HttpResponse conditional_json(const HttpRequest& request, const std::string& body, const std::string& gzipped,
                              const std::string& etag) {
  HttpResponse r;
  const bool zip = !gzipped.empty() && accepts_gzip(request);
  r.headers["ETag"] = zip ? gzip_etag(etag) : etag;
  r.headers["Vary"] = "Accept-Encoding";
  const std::string held = request.header("if-none-match");
  if (held == etag || held == gzip_etag(etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (zip) r.headers["Content-Encoding"] = "gzip";
  r.body = zip ? gzipped : body;
  return r;
}

HttpResponse error(int status, const std::string& code, const std::string& message, const std::string& field = {}) {
  return error_response(status, code, message, field);
}

HttpResponse ok_json(std::string body) {
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

std::string bearer_token(const HttpRequest& request) {
  const std::string h = request.header("authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (h.size() <= prefix.size() || h.compare(0, prefix.size(), prefix) != 0) return {};
  return h.substr(prefix.size());
}

std::optional<HttpResponse> check_content_type(const HttpRequest& request) {
  const std::string type = request.header("content-type");
  if (type.empty() || type.rfind("application/json", 0) == 0) return std::nullopt;
  return error(415, "unsupported_media_type", "Content-Type \"" + type.substr(0, 60) + "\" is not accepted: send application/json");
}

// At most n bytes, never cutting a UTF-8 character in two.
std::string cut(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// An id as sent, safe to echo and store: at most 64 bytes, control characters replaced.
std::string printable_id(const std::string& s) {
  std::string out = cut(s, 64);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

// --- catalog merging -------------------------------------------------------------------

PublishedCatalog merge_catalogs(const std::vector<CatalogDocument>& documents) {
  PublishedCatalog out;
  std::set<std::pair<std::string, std::int32_t>> held;
  for (const auto& doc : documents) {
    core::Catalog c = core::parse_catalog(doc.json);
    out.catalog.town = c.town;
    out.catalog.assemblies = c.assemblies;
    for (auto& consultation : c.consultations)
      if (held.insert({consultation.id, consultation.version}).second) out.catalog.consultations.push_back(std::move(consultation));
    // Votes by id, the latest publication of each (opened, closed, its results): a catalog
    // published without a vote keeps the votes published before it.
    for (auto& vote : c.votes) {
      auto it = std::find_if(out.catalog.votes.begin(), out.catalog.votes.end(), [&](const core::Vote& v) { return v.id == vote.id; });
      if (it != out.catalog.votes.end()) *it = std::move(vote);
      else out.catalog.votes.push_back(std::move(vote));
    }
    out.id = doc.id;
  }
  out.json = core::catalog_to_json(out.catalog);
  out.etag = "\"" + short_hash(out.json) + "\"";
  return out;
}

// --- ingest (shared with bundle import) ------------------------------------------------

std::vector<protocol::RecordResult> ingest_records(CaptureStore& store, const core::Catalog& catalog, BatchEnvelope envelope,
                                                   std::span<const protocol::ParsedBatch::Record> records, IngestSummary& summary) {
  std::vector<protocol::RecordResult> results(records.size());
  const BatchEnvelope in = envelope;
  std::vector<RejectionRow> rejections;
  std::vector<std::size_t> capture_index;  // batch.captures[k] answers results[capture_index[k]]
  const auto device = core::Uuid::parse(in.device).value_or(core::Uuid{});
  const std::int64_t offset = in.clock_offset_ms.value_or(0);
  // Dates are judged on the device's clock ("in the future" means ahead of the device's own
  // now): a tablet whose clock is days off still delivers, and its corrected time is stored.
  const core::Instant now{in.received_ms - offset, 0};

  // What this device's sequence numbers already hold: a seq is the device's own outbox
  // order, so one sent again under another id is a device (or a bundle) lying about it.
  std::map<std::int64_t, std::string> held_ids;
  {
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const auto& r : records)
      if (r.seq) first = std::min(first, *r.seq), last = std::max(last, *r.seq);
    if (first <= last) held_ids = store.ids_by_seq(in.device, first, last);
  }
  // From here to its finish, the batch's writes own the store (on PostgreSQL, its captures are
  // copied in as they are judged: docs/decisions.md).
  auto ingest = store.open_ingest(std::move(envelope), kiosk_burst_rule(), records.size());
  std::optional<std::int64_t> previous_seq;

  for (std::size_t i = 0; i < records.size(); ++i) {
    // Named references, not a structured binding: the lambda below captures them, which
    // clang 14 (the fuzzing build) does not allow for bindings.
    const auto& seq = records[i].seq;
    const auto& record = records[i].capture;
    auto& result = results[i];
    result.seq = seq.value_or(-1);
    if (record.is_object()) {
      auto id = record.find("id");
      if (id != record.end() && id->is_string()) result.id = printable_id(id->get<std::string>());
    }
    auto reject = [&](std::string code, std::string reason) {
      result.status = protocol::RecordStatus::rejected;
      result.code = std::move(code);
      result.reason = std::move(reason);
      if (seq)
        rejections.push_back({in.device, *seq, result.id, result.code, result.reason,
                                    cut(record.dump(-1, ' ', false, json::error_handler_t::replace), 8192), in.received_ms});
    };
    if (!seq) {
      reject("invalid_seq", "seq: every record needs the device's sequence number (a whole number from 0 to " +
                                std::to_string(tuning::max_seq) + ")");
      continue;
    }
    if (previous_seq && *seq <= *previous_seq) {
      const bool reused = *seq == *previous_seq;
      result.seq = *seq;
      result.status = protocol::RecordStatus::rejected;  // not kept: (device, seq) names the other record
      result.code = reused ? "seq_reused" : "invalid_seq";
      result.reason = "seq: " + std::to_string(*seq) + (reused ? " is used twice in this batch" : " goes backwards (the record before it had " + std::to_string(*previous_seq) + "): a device sends its records in its own order");
      continue;
    }
    previous_seq = seq;
    if (!record.is_object()) {
      reject("invalid", "capture: expected the capture as a JSON object");
      continue;
    }
    core::CaptureDefaults defaults;
    defaults.device = device;  // the token says which device sent it, whatever the record says
    defaults.now = now;
    auto parsed = core::capture_from_json(record, defaults);
    if (!parsed.capture) {
      reject(parsed.errors.empty() ? "invalid" : parsed.errors.front().code, core::describe(parsed.errors));
      continue;
    }
    auto validation = core::validate(*parsed.capture, catalog, now);
    if (!validation.ok()) {
      reject(validation.errors().front().code, core::describe(validation.errors()));
      continue;
    }
    const core::Capture& c = validation.valid().capture();
    if (auto held = held_ids.find(*seq); held != held_ids.end() && held->second != c.id.str()) {
      result.status = protocol::RecordStatus::rejected;  // not kept: (device, seq) names the record held
      result.code = "seq_reused";
      result.reason = "seq: " + std::to_string(*seq) + " already names record " + held->second +
                      " from this device: a sequence number is never reused";
      continue;
    }
    CaptureRow row;
    row.id = c.id.str();
    result.id = row.id;
    row.device = in.device;
    row.seq = *seq;
    row.kind = core::to_string(c.kind());
    row.consultation = c.consultation;
    row.version = c.version;
    row.channel = core::to_string(c.channel);
    row.language = c.language;
    row.captured_ms = c.captured_at.utc_ms;
    row.captured_offset_min = c.captured_at.offset_minutes;
    row.corrected_ms = c.captured_at.utc_ms + offset;
    row.received_ms = in.received_ms;
    row.batch = in.batch;
    row.body = core::canonical_json(c);
    if (const auto* signin = c.signin()) {
      row.assembly = signin->assembly;
      row.pass = signin->pass;
    }
    // The capture validate() judged: it keeps an unchanged copy of it (`c`), so the one read from
    // the record is moved here rather than `c` copied (a capture per record, the batch's size).
    ingest.add(std::move(row), std::move(*parsed.capture));
    capture_index.push_back(i);
  }

  const auto outcomes = ingest.finish(std::move(rejections));
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    auto& result = results[capture_index[k]];
    switch (outcomes[k]) {
      case InsertOutcome::inserted: result.status = protocol::RecordStatus::accepted; break;
      case InsertOutcome::duplicate: result.status = protocol::RecordStatus::duplicate; break;
      case InsertOutcome::conflict:
        result.status = protocol::RecordStatus::rejected;
        result.code = "id_conflict";
        result.reason = "id: the server already holds a different capture with this id; the first one is kept "
                        "and this one is set aside for the office to review";
        break;
    }
  }
  for (const auto& r : results) {
    switch (r.status) {
      case protocol::RecordStatus::accepted: ++summary.accepted; break;
      case protocol::RecordStatus::duplicate: ++summary.duplicates; break;
      case protocol::RecordStatus::rejected: ++summary.rejected; break;
    }
  }
  return results;
}

// --- Api -------------------------------------------------------------------------------

// A database connection borrowed for one request; returned to the pool unless it failed.
class Api::Lease {
 public:
  explicit Lease(Api& api) : api_(api), store_(api.acquire()) {}
  ~Lease() {
    if (store_ && !failed_) api_.release(std::move(store_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ServerStore& operator*() { return *store_; }
  void failed() { failed_ = true; }

 private:
  Api& api_;
  std::unique_ptr<ServerStore> store_;
  bool failed_ = false;
};

void mount_api(Router& router, Api& api) {
  // Only batches are large; every other request fits the small limit, refused above it unread.
  auto limit = [](const HttpRequest& head) {
    return head.path == protocol::batches_path ? tuning::server_max_wire_bytes : tuning::server_max_small_body_bytes;
  };
  router.mount("/api/", limit, [&api](const HttpRequest& request) { return api.handle(request); });
}

Api::Api(StoreFactory open_store, const core::Clock& clock, ApiOptions options)
    : open_store_(std::move(open_store)), clock_(clock), options_(std::move(options)) {}

std::unique_ptr<ServerStore> Api::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  return open_store_();
}

void Api::release(std::unique_ptr<ServerStore> store) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

std::shared_ptr<const PublishedCatalog> Api::catalog(ServerStore& store) {
  const std::int64_t latest = store.latest_catalog_id();
  {
    std::lock_guard lock(mutex_);
    if (catalog_ && catalog_->id == latest) return catalog_;
  }
  auto merged = std::make_shared<PublishedCatalog>(merge_catalogs(store.catalogs()));
  merged->json_gzip = gzipped_for_devices(merged->json);
  std::shared_ptr<const PublishedCatalog> fresh = std::move(merged);
  std::lock_guard lock(mutex_);
  catalog_ = fresh;
  return fresh;
}

HttpResponse Api::handle(const HttpRequest& request) {
  const std::string& path = request.path;
  const bool is_media = path.rfind(sync::media::path_prefix, 0) == 0;
  const bool known = path == protocol::health_path || path == protocol::enrol_path || path == protocol::catalog_path ||
                     path == protocol::batches_path || path == protocol::passes_path || path == protocol::certificate_path ||
                     path == protocol::attendance_path || path == protocol::outcomes_path || is_media;
  if (!known) return error(404, "not_found", "no such endpoint: " + cut(path, 80) + " (see docs/protocol.md)");
  const bool get = path == protocol::health_path || path == protocol::catalog_path || path == protocol::passes_path ||
                   path == protocol::attendance_path || path == protocol::outcomes_path || is_media;
  const char* method = get ? "GET" : "POST";
  if (request.method != method) {
    auto r = error(405, "method_not_allowed", cut(path, 80) + " takes " + method);
    r.headers["Allow"] = method;
    return r;
  }
  std::optional<Lease> lease;
  try {
    lease.emplace(*this);
    if (path == protocol::health_path) return health(**lease);
    if (path == protocol::enrol_path) return enrol(request, **lease);
    if (path == protocol::catalog_path) return get_catalog(request, **lease);
    if (path == protocol::passes_path) return get_passes(request, **lease);
    if (path == protocol::certificate_path) return post_certificate(request, **lease);
    if (path == protocol::attendance_path) return get_attendance(request, **lease);
    if (path == protocol::outcomes_path) return get_outcomes(request, **lease);
    if (is_media) return get_media(request, **lease);
    return post_batch(request, **lease);
  } catch (const StoreError& e) {
    if (lease) lease->failed();
    auto r = error(503, "database_unavailable", std::string("the server's database failed; try again later (") + e.what() + ")");
    r.headers["Retry-After"] = "5";
    return r;
  } catch (const core::CatalogError& e) {
    return error(500, "catalog_invalid", std::string("the published catalog cannot be read: ") + e.what());
  } catch (const std::exception& e) {
    if (lease) lease->failed();  // its state is unknown: do not reuse the connection
    return error(500, "internal_error", std::string("the server failed on this request; nothing was stored (") + e.what() + ")");
  }
}

HttpResponse Api::health(ServerStore& store) {
  (void)store.latest_catalog_id();  // proves the database answers
  return ok_json(protocol::encode_health({"ok", clock_.now(), store.backend()}));
}

HttpResponse Api::enrol(const HttpRequest& request, ServerStore& store) {
  // Guessing is slowed per client address, on every server sharing the database. Answered
  // before the body is read, so a refused address costs one COUNT.
  const auto now = clock_.now();
  const std::string subject = throttle_subjects::address(request.client_address);
  if (const std::int64_t wait = store.throttle_wait_ms(throttle_purposes::enrol, subject, enrol_throttle(), now.utc_ms); wait > 0) {
    auto r = error(429, "too_many_attempts",
                   "too many refused enrolments from this address: wait a while (Retry-After), and check the code with the coordinator");
    r.headers["Retry-After"] = std::to_string((wait + 999) / 1000);
    return r;
  }
  if (auto bad = check_content_type(request)) return *bad;
  std::string body;
  if (auto bad = decoded_body(request, tuning::server_max_small_body_bytes, body)) return *bad;
  protocol::EnrolRequest req;
  try {
    req = protocol::decode_enrol_request(body);
  } catch (const protocol::ProtocolError& e) {
    return error(400, body.empty() || e.field() == "body" ? "invalid_json" : "invalid_request", e.what(), e.field());
  }
  std::optional<std::array<std::uint8_t, 32>> device_key;
  if (!req.device_public_key.empty()) {
    device_key = read_device_public_key(req.device_public_key);
    if (!device_key)
      return error(400, "invalid_request", "device_public_key: expected base64 of a 32-byte Ed25519 public key", "device_public_key");
  }
  const std::string token = new_device_token();
  // The town key is read (made, on a fresh database) only inside the enrolment's transaction,
  // once the code is accepted: a refused enrolment changes nothing.
  std::optional<passes::TownKey> town;
  std::function<std::string(std::uint32_t)> certify;
  if (device_key)
    certify = [&](std::uint32_t serial) {
      town.emplace(town_key(store, now));
      return certify_device(*town, serial, req.device, *device_key, now);
    };
  const auto result = store.enrol(hash_secret(normalise_enrol_code(req.code)), req.device.str(), core::find_text_problem(req.device_name, core::Lines::single) ? std::string() : cut(req.device_name, 100),
                                  hash_secret(token), now.utc_ms, certify);
  if (result.outcome != EnrolOutcome::enrolled)
    store.throttle_record(throttle_purposes::enrol, subject, enrol_throttle(), now.utc_ms);
  switch (result.outcome) {
    case EnrolOutcome::enrolled: break;
    case EnrolOutcome::unknown_code:
      return error(403, "unknown_code", "this enrolment code is not known: check it, or ask for a new one (allervers-server enrol-code)", "code");
    case EnrolOutcome::expired:
      return error(410, "code_expired", "this enrolment code has expired: ask for a new one", "code");
    case EnrolOutcome::already_used:
      return error(409, "code_used", "this enrolment code was already used by a device: ask for a new one", "code");
    case EnrolOutcome::device_taken:
      return error(409, "device_taken",
                   "this device id is already enrolled: replacing it needs a code made for it (allervers-server enrol-code --replace ID); "
                   "the code was not used",
                   "device");
    case EnrolOutcome::wrong_device:
      return error(403, "wrong_device", "this enrolment code was made to replace another device; the code was not used", "code");
  }
  if (!town) town.emplace(town_key(store, now));
  return ok_json(protocol::encode_enrol_response(
      {req.device, result.name, token, now, town->public_key().str(), office_public_key(store, now), result.certificate}));
}

namespace {
// A revoked device's token is no token (401, like an unknown one), and the device is told to
// wipe its secrets (docs/protocol.md "Lost or stolen device").
HttpResponse revoked_device_answer() {
  auto r = error(401, "revoked_device",
                 "this device was revoked by the coordinator: its token, keys and sealed contacts are to be erased; "
                 "captures not yet sent leave only in an export bundle the office accepts");
  r.headers["X-Allervers-Wipe"] = "1";
  auto body = json::parse(r.body);
  body["wipe"] = true;
  r.body = body.dump();
  return r;
}

// The device behind a bearer token, or the 401/403 to answer.
std::variant<DeviceRow, HttpResponse> authenticate(const HttpRequest& request, ServerStore& store) {
  const std::string token = bearer_token(request);
  if (token.empty())
    return error(401, "missing_token", "this endpoint needs the device's token (Authorization: Bearer …): enrol the device first");
  auto device = store.device_by_token(hash_secret(token));
  if (!device) return error(401, "unknown_token", "this device token is not known to the server: enrol the device again");
  if (device->revoked) return revoked_device_answer();
  // The app's version, when the device says it (older apps do not): kept for the devices page.
  if (const std::string version = request.header("allervers-app-version");
      protocol::is_app_version(version) && version != device->app_version)
    store.note_app_version(device->id, version);
  return *device;
}

// "Last seen" for a GET of a sync pass: written only once it is older than the resolution, so a
// pass of three GETs commits at most one UPDATE (tuning::server_device_seen_resolution). A clock
// gone backwards writes too, so the value is never left in the future.
void note_seen(ServerStore& store, const DeviceRow& device, std::int64_t now_ms) {
  const std::int64_t resolution = std::chrono::duration_cast<std::chrono::milliseconds>(tuning::server_device_seen_resolution).count();
  if (device.last_seen_ms && now_ms >= *device.last_seen_ms && now_ms - *device.last_seen_ms < resolution) return;
  store.touch_device(device.id, now_ms, std::nullopt);
}
}  // namespace

HttpResponse Api::get_catalog(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  const auto& device = std::get<DeviceRow>(auth);
  note_seen(store, device, clock_.now().utc_ms);
  auto published = catalog(store);
  if (published->id == 0) return error(404, "no_catalog", "no catalog has been published on this server yet");
  return conditional_json(request, published->json, published->json_gzip, published->etag);
}

HttpResponse Api::get_media(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  const std::string hash = request.path.substr(std::string_view(sync::media::path_prefix).size());
  if (!core::is_media_hash(hash))
    return error(400, "invalid_media_name", "a media file is named by its SHA-256: 64 characters of 0-9 a-f, as the catalog gives it", "path");
  auto file = store.media(hash);
  if (!file) return error(404, "no_media", "no media file " + hash + " on this server");
  return media_response(*file, request.header("if-none-match"), false);
}

HttpResponse Api::post_batch(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  const auto& device = std::get<DeviceRow>(auth);
  if (auto bad = check_content_type(request)) return *bad;
  std::string body;
  if (auto bad = decoded_body(request, tuning::server_max_body_bytes, body)) return *bad;

  protocol::ParsedBatch parsed;
  try {
    parsed = protocol::decode_batch(body, tuning::server_max_records);
  } catch (const protocol::ProtocolError& e) {
    if (e.field() == "records" && std::string(e.what()).find("at most") != std::string::npos)
      return error(413, "too_many_records", e.what(), "records");
    return error(400, e.field() == "body" ? "invalid_json" : "invalid_batch", e.what(), e.field());
  }
  if (parsed.device.str() != device.id)
    return error(403, "device_mismatch", "the batch says it comes from device " + parsed.device.str() +
                                             " but the token belongs to device " + device.id, "device");

  const auto now = clock_.now();
  BatchEnvelope envelope;
  envelope.device = device.id;
  envelope.batch = short_hash(device.id + std::to_string(now.utc_ms) + std::to_string(batch_counter_.fetch_add(1)));
  envelope.received_ms = now.utc_ms;
  // The device measures the offset itself (round-trip midpoint); without it, the batch's
  // send time gives an estimate that includes the upload time.
  envelope.clock_offset_ms = parsed.clock_offset_ms ? parsed.clock_offset_ms : std::optional(now.utc_ms - parsed.sent_at.utc_ms);
  envelope.pending_after = parsed.pending_after;
  envelope.from_device = true;

  auto published = catalog(store);
  IngestSummary summary;
  protocol::BatchResponse response;
  response.batch = envelope.batch;
  response.results = ingest_records(store, published->catalog, std::move(envelope), parsed.records, summary);
  response.server_time = clock_.now();
  response.accepted = summary.accepted;
  response.duplicates = summary.duplicates;
  response.rejected = summary.rejected;
  return ok_json(protocol::encode_batch_response(response));
}

HttpResponse Api::get_passes(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  const auto now = clock_.now();
  note_seen(store, std::get<DeviceRow>(auth), now.utc_ms);
  // Built again only when a certificate, a revocation or a key changed (schema step 17): so
  // every server sharing the database gives the same document and the same ETag.
  const auto document =
      built(passes_, store.document_changes("passes"), [&] { return protocol::encode_pass_keys(pass_keys(store, now)); });
  return conditional_json(request, document->body, document->gzipped, document->etag);
}

// What became of ideas and ballots, under their outcome keys (docs/protocol.md, "GET
// /api/v1/outcomes"). Built from the database, so every server sharing it gives the same
// document and ETag; built again only when the count of changes to what it shows has moved
// (schema step 17), as every device asks for it at every sync.
HttpResponse Api::get_outcomes(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  note_seen(store, std::get<DeviceRow>(auth), clock_.now().utc_ms);
  const auto document = built(outcomes_, store.document_changes("outcomes"), [&] { return outcomes_document(store); });
  return conditional_json(request, document->body, document->gzipped, document->etag);
}

// The count is read before the document is built: a change committed meanwhile is in it, and
// the count read next time differs, so the next request builds again. Never the other way.
std::shared_ptr<const Api::BuiltDocument> Api::built(DocumentSlot& slot, std::int64_t changes,
                                                     const std::function<std::string()>& build) {
  std::unique_lock lock(mutex_);
  slot.built.wait(lock, [&] { return !slot.building; });
  if (slot.document && slot.document->changes == changes) return slot.document;
  slot.building = true;
  lock.unlock();
  std::shared_ptr<BuiltDocument> document;
  try {
    document = std::make_shared<BuiltDocument>();
    document->changes = changes;
    document->body = build();
    document->etag = etag_of(document->body);
    document->gzipped = gzipped_for_devices(document->body);
  } catch (...) {
    lock.lock();
    slot.building = false;
    slot.built.notify_all();
    throw;
  }
  ++documents_built_;
  lock.lock();
  slot.document = document;
  slot.building = false;
  slot.built.notify_all();
  return document;
}

std::string Api::outcomes_document(ServerStore& store) const {
  protocol::Outcomes outcomes;
  outcomes.public_url = options_.public_url;
  auto ideas = store.idea_outcomes();
  outcomes.ideas.reserve(ideas.size());
  for (auto& idea : ideas) {
    protocol::IdeaOutcomeEntry& e = outcomes.ideas.emplace_back();
    e.key = passes::idea_outcome_key(idea.receipt);
    e.title = std::move(idea.title);
    e.state = core::to_string(idea.state);
    e.answer = std::move(idea.public_answer);
    e.merged_into = std::move(idea.merged_into_title);
    for (auto& m : idea.milestones) e.milestones.push_back({std::move(m.day), std::move(m.text)});
    e.updated_ms = idea.updated_ms;
  }
  for (const auto& record : store.votes()) {
    if (record.stage == VoteStage::draft) continue;
    const auto receipts = store.receipt_outcomes(record.vote.id);
    if (receipts.counted.empty() && receipts.flagged.empty()) continue;
    protocol::BallotOutcomes b{record.vote.id, {}, {}};
    for (const auto& r : receipts.counted) b.counted.push_back(passes::ballot_outcome_key(record.vote.voter_key, r));
    for (const auto& r : receipts.flagged) b.flagged.push_back(passes::ballot_outcome_key(record.vote.voter_key, r));
    // Sorted by key: the order of the codes would otherwise show through.
    std::sort(b.counted.begin(), b.counted.end());
    std::sort(b.flagged.begin(), b.flagged.end());
    outcomes.ballots.push_back(std::move(b));
  }
  return protocol::encode_outcomes(outcomes);
}

HttpResponse Api::post_certificate(const HttpRequest& request, ServerStore& store) {
  auto auth = authenticate(request, store);
  if (auto* r = std::get_if<HttpResponse>(&auth)) return std::move(*r);
  const auto& device = std::get<DeviceRow>(auth);
  if (auto bad = check_content_type(request)) return *bad;
  std::string body;
  if (auto bad = decoded_body(request, tuning::server_max_small_body_bytes, body)) return *bad;
  protocol::CertificateRequest req;
  try {
    req = protocol::decode_certificate_request(body);
  } catch (const protocol::ProtocolError& e) {
    return error(400, e.field() == "body" ? "invalid_json" : "invalid_request", e.what(), e.field());
  }
  const auto key = read_device_public_key(req.device_public_key);
  if (!key)
    return error(400, "invalid_request", "device_public_key: expected base64 of a 32-byte Ed25519 public key", "device_public_key");
  const auto now = clock_.now();
  const auto id = core::Uuid::parse(device.id).value_or(core::Uuid{});
  // Every certificate goes to every device at each sync: a device gets a new one only when
  // it has none still valid for a while (it lost its key, or its certificate runs out).
  const std::int64_t renew_s = std::chrono::duration_cast<std::chrono::seconds>(tuning::device_certificate_renew_before).count();
  // The same key asked again (an answer lost on the way) gets the same certificate back.
  // Only certificates of the current town key count: after `rotate-key town`, every device
  // asks for one of the new key at its next sync and gets it.
  const passes::TownKey town = town_key(store, now);
  std::optional<std::uint32_t> valid_for_long;
  for (const auto& c : store.certificates()) {
    if (c.device != device.id || c.revoked_ms || c.text.empty()) continue;
    try {
      const auto held = passes::DeviceCertificate::parse(c.text);
      if (held.town_key != town.public_key().id()) continue;
      if (held.device_public_key == *key) return ok_json(protocol::encode_certificate_response({c.text}));
      if (held.valid_until_s - now.utc_ms / 1000 > renew_s) valid_for_long = c.serial;
    } catch (const passes::KeyError&) {
    }
  }
  if (valid_for_long)
    return error(409, "certificate_not_due",
                 "this device already holds a certificate valid for a while (serial " + std::to_string(*valid_for_long) +
                     "): a new one is issued once less than 30 days are left, or after enrolling again");
  const auto row = store.add_certificate(
      device.id, [&](std::uint32_t serial) { return certify_device(town, serial, id, *key, now); }, now.utc_ms);
  return ok_json(protocol::encode_certificate_response({row.text}));
}

HttpResponse Api::get_attendance(const HttpRequest& request, ServerStore& store) {
  const std::string token = bearer_token(request);
  if (token.empty())
    return error(401, "missing_token", "this endpoint needs an office token (Authorization: Bearer …): allervers-server office-token");
  const auto office = store.office_by_token(hash_secret(token));
  if (!office) {
    if (const auto device = store.device_by_token(hash_secret(token))) {
      if (device->revoked) return revoked_device_answer();
      return error(403, "office_only", "attendance is for the office: a device token may not read it");
    }
    return error(401, "unknown_token",
                 "this office token is not known to the server or was revoked: make one with allervers-server office-token");
  }
  if (office->scope != kAttendanceScope)
    return error(403, "wrong_scope", "this office token's scope is \"" + office->scope + "\", not \"attendance\"");
  std::optional<std::string> assembly;
  if (auto it = request.query.find("assembly"); it != request.query.end()) {
    if (it->second.empty() || it->second.size() > 200)
      return error(400, "invalid_request", "assembly: expected an assembly id", "assembly");
    assembly = it->second;
  }
  auto published = catalog(store);
  return ok_json(attendance_json(store.attendance(assembly), published->catalog, clock_.now()));
}

}  // namespace allervers::server
