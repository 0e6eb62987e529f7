// The sync client. Sections: helpers · pass keys · enrolment · one pass (clock, catalog,
// certificate, pass keys, upload) · bundles.
#include "allervers/sync/client.hpp"

#include <algorithm>
#include <ostream>
#include <random>
#include <thread>

#include "allervers/core/consultation.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/sync/media.hpp"
#include "allervers/sync/outcomes.hpp"
#include "http_client.hpp"

namespace allervers::sync {

namespace settings = core::settings;

const char* to_string(SyncFailure failure) {
  switch (failure) {
    case SyncFailure::none: return "none";
    case SyncFailure::not_enrolled: return "not_enrolled";
    case SyncFailure::unreachable: return "unreachable";
    case SyncFailure::refused: return "refused";
    case SyncFailure::protocol: return "protocol";
    case SyncFailure::storage: return "storage";
    case SyncFailure::cancelled: return "cancelled";
  }
  return "?";
}

namespace {

// Each authenticated request says the app's version: the office sees it on its devices page
// (docs/protocol.md, "The app's version").
std::string app_version_line() { return std::string(protocol::app_version_header) + ": " + ALLERVERS_VERSION; }


constexpr std::string_view kPlainHttpRefused =
    "plain http:// to another machine is refused: the device's token would cross the network in clear at every sync; "
    "use the server's https:// address, or --insecure-http on a network you trust (status then says INSECURE)";

std::string join_url(std::string base, const char* path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

bool transient(const HttpResult& r) {
  // An answer cut off for being too long is no network failure: asking again gets it again.
  return (r.status == 0 && !r.too_large) || r.status == 429 || r.status >= 500;
}

std::string describe(const HttpResult& r) {
  if (r.too_large) return "the server's answer is too long: " + r.error;
  if (r.status == 0) return "the server could not be reached: " + r.error;
  const auto e = protocol::decode_error(r.status, r.body);
  return "the server answered " + std::to_string(r.status) + " (" + e.error + "): " + e.message;
}

// --- pass keys -------------------------------------------------------------------------


std::string public_key_base64(const passes::SecretKey& key) { return crypto::to_base64(key.public_bytes()); }

// A certificate the server signed for our key: checked before it is kept, so a confused
// server cannot leave the device unable to issue passes without saying so.
std::string check_own_certificate(const std::string& text, const std::string& town_key, const passes::SecretKey& key,
                                  const core::Uuid& device) {
  const auto certificate = passes::DeviceCertificate::parse(text);
  if (certificate.device_public_key != key.public_bytes() || certificate.device != device)
    throw passes::KeyError("the device certificate received is for another key or device");
  if (!town_key.empty() && !certificate.signed_by(passes::TownPublicKey::parse(town_key)))
    throw passes::KeyError("the device certificate received is not signed by the town key");
  return text;
}

// Keeps the pass keys a server sent once they are checked to fit together (every certificate
// signed by the town key, the revocation list readable): a damaged set would make the sign-in
// screen refuse every pass.
void store_pass_keys(storage::DeviceStore& store, const protocol::PassKeys& keys) {
  const std::string certificates = nlohmann::json(keys.certificates).dump();
  const std::string revocations = keys.revocations.dump();
  const std::string retired = nlohmann::json(keys.retired_town_keys).dump();
  (void)passes::verifier_from_settings(keys.town_key, certificates, revocations, retired);  // throws when they do not fit
  store.set_setting(settings::town_key, keys.town_key);
  store.set_setting(settings::retired_town_keys, retired);
  store.set_setting(settings::certificates, certificates);
  store.set_setting(settings::revocations, revocations);
  if (!keys.office_public_key.empty()) store.set_setting(settings::office_public_key, keys.office_public_key);
}

// True when this device should ask for a (new) certificate: it has no key or certificate, they
// do not match each other or the town key, or less than the renewal margin is left.
bool needs_certificate(const storage::DeviceStore& store, const core::Instant& now) {
  const auto town = store.setting(settings::town_key);
  if (!town || town->empty()) return false;  // a server without passes
  const auto key = store.setting(settings::device_key);
  const auto certificate = store.setting(settings::device_certificate);
  if (!key || !certificate || key->empty() || certificate->empty()) return true;
  try {
    const auto c = passes::DeviceCertificate::parse(*certificate);
    if (c.device_public_key != passes::SecretKey::parse(*key).public_bytes()) return true;
    if (!c.signed_by(passes::TownPublicKey::parse(*town))) return true;
    const auto margin = std::chrono::duration_cast<std::chrono::seconds>(tuning::device_certificate_renew_before).count();
    return c.valid_until_s - now.utc_ms / 1000 < margin;
  } catch (const passes::KeyError&) {
    return true;
  }
}

}  // namespace

struct SyncClient::Impl {
  storage::DeviceStore& store;
  const core::Clock& clock;
  SyncOptions options;
  std::mt19937_64 random{std::random_device{}()};

  Impl(storage::DeviceStore& s, const core::Clock& c, SyncOptions o) : store(s), clock(c), options(std::move(o)) {}

  HttpOptions http_options() const {
    HttpOptions h;
    h.connect_timeout = options.connect_timeout;
    h.request_timeout = options.request_timeout;
    h.ca_file = !options.ca_file.empty() ? options.ca_file : store.setting(settings::ca_file).value_or("");
    h.cancel = options.cancel;
    return h;
  }

  bool cancelled() const { return options.cancel && options.cancel->load(); }

  // Exponential backoff with full jitter; false when cancelled while waiting.
  bool wait_before_retry(int failures) {
    double delay = static_cast<double>(options.backoff_initial.count());
    for (int i = 1; i < failures; ++i) delay *= tuning::backoff_factor;
    delay = std::min(delay, static_cast<double>(options.backoff_max.count()));
    if (tuning::backoff_full_jitter) delay = std::uniform_real_distribution<double>(0.0, delay)(random);
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(delay));
    while (std::chrono::steady_clock::now() < until) {
      if (cancelled()) return false;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(20),
                                                                                until - std::chrono::steady_clock::now()));
    }
    return !cancelled();
  }

  // Sends with retries on transient failures; returns the last answer.
  HttpResult with_retry(SyncReport& report, const std::function<HttpResult()>& send) {
    int failures = 0;
    for (;;) {
      HttpResult r = send();
      report.bytes_sent += r.bytes_sent;
      report.bytes_received += r.bytes_received;
      if (!transient(r)) return r;
      if (++failures >= options.attempts_per_pass || !wait_before_retry(failures)) return r;
      ++report.retries;
    }
  }

  SyncReport fail(SyncReport report, SyncFailure failure, std::string message) {
    report.failure = failure;
    report.error = std::move(message);
    try {
      report.pending_left = store.counts().pending;
      store.record_sync_attempt(clock.now(), report.error);
    } catch (const std::exception&) {
    }
    return report;
  }

  // A 401 or 403. A revoked device (401 with the wipe flag, docs/protocol.md "Lost or stolen
  // device") erases its token, keys and sealed contacts at once; its captures stay.
  SyncReport refused(SyncReport report, const HttpResult& r) {
    const auto flag = r.headers.find("x-allervers-wipe");
    bool wipe = r.status == 401 && flag != r.headers.end() && flag->second == "1";
    if (!wipe && r.status == 401) {
      const auto body = nlohmann::json::parse(r.body, nullptr, false);
      wipe = body.is_object() && body.contains("wipe") && body["wipe"] == true;
    }
    if (!wipe) return fail(std::move(report), SyncFailure::refused, describe(r));
    store.wipe_secrets();
    report.wiped = true;
    const auto waiting = store.counts().pending;
    return fail(std::move(report), SyncFailure::refused,
                "this device was revoked by the coordinator: it has erased its token, keys and sealed contacts. " +
                    std::to_string(waiting) +
                    " capture(s) not yet sent stay here; they leave only in a bundle (allervers-device export-bundle) that the "
                    "office accepts");
  }

  SyncReport run();
  // Pass keys, when changed; a failed report when the pass must stop.
  std::optional<SyncReport> download_pass_keys(SyncReport& report, HttpClient& http, const std::string& url, const std::string& auth);
  // What became of ideas and ballots, when changed; a failed report when the pass must stop.
  std::optional<SyncReport> download_outcomes(SyncReport& report, HttpClient& http, const std::string& url, const std::string& auth);
  std::optional<SyncReport> download_media(SyncReport& report, HttpClient& http, const std::string& url, const std::string& auth);
  // A new key and certificate when due; a failed report when the pass must stop.
  std::optional<SyncReport> renew_certificate(SyncReport& report, HttpClient& http, const std::string& url, const std::string& auth);
};

SyncClient::SyncClient(storage::DeviceStore& store, const core::Clock& clock, SyncOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}
SyncClient::~SyncClient() = default;

// --- enrolment -------------------------------------------------------------------------

protocol::EnrolResponse SyncClient::enrol(const std::string& server_url, const std::string& code) {
  const auto transport = protocol::transport_of(server_url);
  if (transport == protocol::Transport::unsupported)
    throw SyncError(SyncFailure::protocol, "\"" + server_url + "\" is not a server address: expected https://HOST[:PORT]");
  if (transport == protocol::Transport::plain_http && !impl_->options.allow_insecure_http)
    throw SyncError(SyncFailure::refused, std::string(kPlainHttpRefused));
  HttpClient http(impl_->http_options());
  // The device's own pass-issuing key: made here, never sent; the server certifies its public half.
  passes::SecretKey device_key = passes::SecretKey::generate();
  protocol::EnrolRequest request{code, impl_->store.identity().device, impl_->store.identity().name, public_key_base64(device_key)};
  const auto r = http.post(join_url(server_url, protocol::enrol_path), protocol::encode_enrol_request(request),
                           {"Content-Type: application/json"});
  if (r.status == 0) throw SyncError(SyncFailure::unreachable, describe(r));
  if (r.status != 200) {
    const auto e = protocol::decode_error(r.status, r.body);
    throw SyncError(r.status == 403 || r.status == 409 || r.status == 410 ? SyncFailure::refused : SyncFailure::protocol,
                    "enrolment refused: " + e.message);
  }
  protocol::EnrolResponse response;
  try {
    response = protocol::decode_enrol_response(r.body);
  } catch (const protocol::ProtocolError& e) {
    throw SyncError(SyncFailure::protocol, std::string("the server's enrolment answer is not readable: ") + e.what());
  }
  impl_->store.set_setting(settings::server_url, server_url);
  impl_->store.set_setting(settings::insecure_http, transport == protocol::Transport::plain_http ? "1" : "");
  impl_->store.set_setting(settings::token, response.token);
  impl_->store.set_setting(settings::device_name, response.name);
  impl_->store.set_setting(settings::catalog_etag, "");
  impl_->store.set_setting(settings::passes_etag, "");
  impl_->store.set_setting(settings::outcomes_etag, "");
  impl_->store.set_setting(settings::pending_device_key, "");
  auto& store = impl_->store;
  if (!response.office_public_key.empty()) store.set_setting(settings::office_public_key, response.office_public_key);
  if (!response.town_key.empty()) {
    try {
      (void)passes::TownPublicKey::parse(response.town_key);
      store.set_setting(settings::town_key, response.town_key);
      if (!response.device_certificate.empty()) {
        const auto certificate = check_own_certificate(response.device_certificate, response.town_key, device_key, request.device);
        store.set_setting(settings::device_key, device_key.str());
        store.set_setting(settings::device_certificate, certificate);
        // Its own passes verify at once; the next sync brings every other device's.
        store.set_setting(settings::certificates, nlohmann::json::array({certificate}).dump());
      }
    } catch (const passes::KeyError& e) {
      // Enrolled all the same: captures can be sent; the next sync asks for a certificate again.
      response.device_certificate.clear();
      store.record_sync_attempt(impl_->clock.now(), std::string("the server's pass keys are not usable: ") + e.what());
    }
  }
  return response;
}

// --- one pass --------------------------------------------------------------------------

SyncReport SyncClient::sync() {
  try {
    return impl_->run();
  } catch (const storage::StorageError& e) {
    return impl_->fail({}, SyncFailure::storage, std::string("the device database failed: ") + e.what());
  }
}

SyncReport SyncClient::Impl::run() {
  SyncReport report;
  const auto url = store.setting(settings::server_url);
  const auto token = store.setting(settings::token);
  if (!url || url->empty() || !token || token->empty())
    return fail(report, SyncFailure::not_enrolled, "this device is not enrolled: allervers-device enrol URL CODE");
  // A database enrolled before http:// was refused, or edited, is held to the same rule.
  if (protocol::transport_of(*url) != protocol::Transport::https && protocol::transport_of(*url) != protocol::Transport::loopback_http &&
      store.setting(settings::insecure_http).value_or("") != "1" && !options.allow_insecure_http)
    return fail(report, SyncFailure::refused, std::string(kPlainHttpRefused));
  const std::string auth = "Authorization: Bearer " + *token;
  HttpClient http(http_options());

  // Clock: the server's time against the midpoint of our round trip.
  {
    std::int64_t t0 = 0, t1 = 0;
    const auto r = with_retry(report, [&] {
      t0 = clock.now().utc_ms;
      auto res = http.get(join_url(*url, protocol::health_path), {});
      t1 = clock.now().utc_ms;
      return res;
    });
    if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
    if (r.status != 200) return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
    try {
      const auto health = protocol::decode_health(r.body);
      report.clock_offset_ms = health.server_time.utc_ms - (t0 + t1) / 2;
      store.set_setting(settings::clock_offset_ms, std::to_string(*report.clock_offset_ms));
    } catch (const protocol::ProtocolError& e) {
      return fail(report, SyncFailure::protocol, std::string("the server's health answer is not readable: ") + e.what());
    }
  }

  // Catalog, only when it changed.
  {
    const std::string etag = store.setting(settings::catalog_etag).value_or("");
    std::vector<std::string> headers{auth, app_version_line()};
    if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
    const auto r = with_retry(report, [&] { return http.get(join_url(*url, protocol::catalog_path), headers, tuning::document_max_bytes); });
    if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
    if (r.status == 401 || r.status == 403) return refused(report, r);
    if (r.status == 200) {
      try {
        store.save_catalog(core::parse_catalog(r.body));
        auto it = r.headers.find("etag");
        store.set_setting(settings::catalog_etag, it == r.headers.end() ? "" : it->second);
        report.catalog_updated = true;
      } catch (const core::CatalogError& e) {
        return fail(report, SyncFailure::protocol, std::string("the server's catalog is not readable: ") + e.what());
      }
    } else if (r.status != 304 && r.status != 404) {
      return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
    }
  }

  // Pass keys (town key, every device certificate, revocations), then this device's own
  // certificate when due — after which the keys changed again (the list holds it now).
  if (auto failed = download_pass_keys(report, http, *url, auth)) return *failed;
  if (needs_certificate(store, clock.now())) {
    if (auto failed = renew_certificate(report, http, *url, auth)) return *failed;
    if (report.certificate_renewed)
      if (auto failed = download_pass_keys(report, http, *url, auth)) return *failed;
  }

  // Upload, batch after batch, in outbox order.
  std::size_t max_records = std::max<std::size_t>(1, options.batch_records);
  std::size_t max_bytes = std::max<std::size_t>(1, options.batch_bytes);
  const std::vector<std::string> json_headers{auth, app_version_line(), "Content-Type: application/json"};
  std::vector<std::string> gzip_headers = json_headers;
  gzip_headers.push_back("Content-Encoding: gzip");
  SyncProgress progress;
  std::int64_t pending = store.counts().pending;  // counted once: counting per batch grows with the log
  for (;;) {
    if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
    const auto records = store.pending(max_records, max_bytes);
    if (records.empty()) break;
    std::vector<std::int64_t> seqs;
    protocol::BatchRequest batch;
    batch.device = store.identity().device;
    batch.sent_at = clock.now();
    batch.clock_offset_ms = report.clock_offset_ms;
    for (const auto& r : records) {
      seqs.push_back(r.seq);
      batch.records.push_back({r.seq, r.json});
    }
    batch.pending_after = std::max<std::int64_t>(0, pending - static_cast<std::int64_t>(records.size()));
    store.mark_attempted(seqs);
    const std::string json = protocol::encode_batch(batch);
    const bool zip = options.gzip && json.size() >= tuning::gzip_min_bytes;
    const std::string body = zip ? protocol::gzip_compress(json, tuning::gzip_level) : json;
    const auto r = with_retry(report, [&] { return http.post(join_url(*url, protocol::batches_path), body, zip ? gzip_headers : json_headers); });
    ++report.batches;
    if (cancelled() && r.status != 200) return fail(report, SyncFailure::cancelled, "sync cancelled");

    if (r.status == 401 || r.status == 403) return refused(report, r);
    if (r.status == 413 || r.status == 400) {
      if (records.size() > 1) {  // too big or one bad record spoils it: split until it passes
        max_records = std::max<std::size_t>(1, records.size() / 2);
        max_bytes = std::max<std::size_t>(1, max_bytes / 2);
        continue;
      }
      const auto e = protocol::decode_error(r.status, r.body);
      store.mark_rejected(records.front().seq, "refused by the server (" + e.error + "): " + e.message, clock.now());
      ++report.rejected;
      --pending;
      continue;
    }
    if (r.status != 200)
      return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));

    protocol::BatchResponse response;
    try {
      response = protocol::decode_batch_response(r.body);
    } catch (const protocol::ProtocolError& e) {
      return fail(report, SyncFailure::protocol, std::string("the server's answer to a batch is not readable: ") + e.what());
    }
    if (response.results.size() != records.size())
      return fail(report, SyncFailure::protocol, "the server answered for " + std::to_string(response.results.size()) +
                                                     " records of a batch of " + std::to_string(records.size()));
    std::vector<std::int64_t> acked;
    const auto now = clock.now();
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& result = response.results[i];
      if (result.seq != records[i].seq)
        return fail(report, SyncFailure::protocol, "the server's answers are not in the order of the batch");
      switch (result.status) {
        case protocol::RecordStatus::accepted: ++report.accepted; acked.push_back(result.seq); break;
        case protocol::RecordStatus::duplicate: ++report.duplicates; acked.push_back(result.seq); break;
        case protocol::RecordStatus::rejected:
          ++report.rejected;
          store.mark_rejected(result.seq, result.code + ": " + result.reason, now);
          break;
      }
    }
    store.mark_acked(acked, now);
    pending = batch.pending_after;
    // A batch that passed: grow back towards the configured size.
    max_records = std::min(options.batch_records, max_records * 2);
    max_bytes = std::min(options.batch_bytes, max_bytes * 2);
    if (options.progress) {
      progress.sent += static_cast<std::int64_t>(records.size());
      progress.accepted = report.accepted;
      progress.duplicates = report.duplicates;
      progress.rejected = report.rejected;
      progress.pending = batch.pending_after;
      options.progress(progress);
    }
  }
  // What became of ideas and ballots, after the upload: the captures just sent are answered
  // for at once (« reçue »), and a pass with nothing new gets a 304.
  if (auto failed = download_outcomes(report, http, *url, auth)) return *failed;

  report.pending_left = store.counts().pending;
  if (auto failed = download_media(report, http, *url, auth)) return *failed;
  store.record_sync_attempt(clock.now(), "");
  return report;
}

// Media after the captures: a picture never holds a ballot back. Each file is kept in its own
// transaction once checked, so a pass cut short resumes with what is still missing.
std::optional<SyncReport> SyncClient::Impl::download_media(SyncReport& report, HttpClient& http, const std::string& url,
                                                            const std::string& auth) {
  const auto missing = store.missing_media();
  const std::vector<std::string> headers{auth, app_version_line()};
  media::Limits limits;
  limits.max_bytes = tuning::media_max_bytes;
  std::size_t asked = 0;
  for (const auto& hash : missing) {
    if (asked++ >= tuning::media_per_pass) break;
    if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
    const auto r = with_retry(report, [&] { return http.get(join_url(url, media::path_for(hash).c_str()), headers, limits.max_bytes); });
    if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
    std::string refusal;
    if (r.too_large) {
      refusal = "the file is over " + std::to_string(limits.max_bytes) + " bytes";
    } else if (r.status == 401 || r.status == 403) {
      return refused(report, r);
    } else if (r.status == 404) {
      refusal = "the server does not hold it (404)";
    } else if (r.status != 200) {
      return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
    } else {
      try {
        const auto checked = media::check_named(r.body, hash, limits);
        store.save_media({hash, checked.content_type, checked.width, checked.height, r.body}, clock.now());
        ++report.media_fetched;
        continue;
      } catch (const media::MediaError& e) {
        refusal = e.what();
      }
    }
    store.record_media_refusal(hash, refusal, clock.now());
    ++report.media_refused;
    report.media_problems.push_back("media " + hash + ": " + refusal);
  }
  report.media_missing = static_cast<std::int64_t>(store.missing_media().size());
  return std::nullopt;
}

std::optional<SyncReport> SyncClient::Impl::download_pass_keys(SyncReport& report, HttpClient& http, const std::string& url,
                                                                const std::string& auth) {
  const std::string etag = store.setting(settings::passes_etag).value_or("");
  std::vector<std::string> headers{auth, app_version_line()};
  if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
  const auto r = with_retry(report, [&] { return http.get(join_url(url, protocol::passes_path), headers, tuning::document_max_bytes); });
  if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
  if (r.status == 401 || r.status == 403) return refused(report, r);
  if (r.status == 304 || r.status == 404) return std::nullopt;  // unchanged, or a server without passes
  if (r.status != 200) return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
  try {
    store_pass_keys(store, protocol::decode_pass_keys(r.body));
  } catch (const storage::StorageError&) {
    throw;
  } catch (const std::exception& e) {
    return fail(report, SyncFailure::protocol, std::string("the server's pass keys are not usable: ") + e.what());
  }
  auto it = r.headers.find("etag");
  store.set_setting(settings::passes_etag, it == r.headers.end() ? "" : it->second);
  report.passes_updated = true;
  return std::nullopt;
}

std::optional<SyncReport> SyncClient::Impl::download_outcomes(SyncReport& report, HttpClient& http, const std::string& url,
                                                               const std::string& auth) {
  const std::string etag = store.setting(settings::outcomes_etag).value_or("");
  std::vector<std::string> headers{auth, app_version_line()};
  if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
  const auto r = with_retry(report, [&] { return http.get(join_url(url, protocol::outcomes_path), headers, tuning::document_max_bytes); });
  if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
  if (r.status == 401 || r.status == 403) return refused(report, r);
  if (r.status == 404) return std::nullopt;  // a server older than outcomes: the kiosk says it has none
  const std::string checked = std::to_string(clock.now().utc_ms);
  if (r.status == 304) {  // the ones held are still the town's: said as of now
    store.set_setting(settings::outcomes_checked_ms, checked);
    return std::nullopt;
  }
  if (r.status != 200) return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
  protocol::Outcomes outcomes;
  try {
    outcomes = protocol::decode_outcomes(r.body);
  } catch (const protocol::ProtocolError& e) {
    return fail(report, SyncFailure::protocol, std::string("the server's outcomes of ideas and ballots are not readable: ") + e.what());
  }
  auto it = r.headers.find("etag");
  // One transaction: the rows, their ETag, the time and the public pages, or none of them.
  store.replace_outcomes(outcome_rows(outcomes), {{settings::outcomes_etag, it == r.headers.end() ? "" : it->second},
                                                  {settings::outcomes_checked_ms, checked},
                                                  {settings::public_url, outcomes.public_url}});
  report.outcomes_updated = true;
  return std::nullopt;
}

std::optional<SyncReport> SyncClient::Impl::renew_certificate(SyncReport& report, HttpClient& http, const std::string& url,
                                                               const std::string& auth) {
  std::optional<passes::SecretKey> pending;
  try {
    if (const auto held = store.setting(settings::pending_device_key); held && !held->empty()) pending = passes::SecretKey::parse(*held);
  } catch (const passes::KeyError&) {
  }
  if (!pending) {
    pending = passes::SecretKey::generate();
    store.set_setting(settings::pending_device_key, pending->str());
  }
  const passes::SecretKey& key = *pending;
  const std::string body = protocol::encode_certificate_request({public_key_base64(key)});
  const auto r = with_retry(report, [&] {
    return http.post(join_url(url, protocol::certificate_path), body, {auth, app_version_line(), "Content-Type: application/json"});
  });
  if (cancelled()) return fail(report, SyncFailure::cancelled, "sync cancelled");
  if (r.status == 401 || r.status == 403) return refused(report, r);
  // 409: the server says this device's certificate is not due for renewal; 404: a server
  // without passes. Neither stops the captures from going up.
  if (r.status == 409 || r.status == 404) return std::nullopt;
  if (r.status != 200) return fail(report, transient(r) ? SyncFailure::unreachable : SyncFailure::protocol, describe(r));
  try {
    const auto response = protocol::decode_certificate_response(r.body);
    const auto certificate = check_own_certificate(response.device_certificate,
                                                   store.setting(settings::town_key).value_or(""), key,
                                                   store.identity().device);
    store.set_setting(settings::device_key, key.str());
    store.set_setting(settings::device_certificate, certificate);
    store.set_setting(settings::pending_device_key, "");
  } catch (const storage::StorageError&) {
    throw;
  } catch (const std::exception& e) {
    return fail(report, SyncFailure::protocol, std::string("the server's device certificate is not usable: ") + e.what());
  }
  report.certificate_renewed = true;
  return std::nullopt;
}

// --- bundles ---------------------------------------------------------------------------

std::int64_t export_bundle(storage::DeviceStore& store, std::ostream& out, const core::Instant& now) {
  const auto office = store.setting(settings::office_public_key).value_or("");
  const auto sealer = crypto::ContactSealer::from_base64(office);
  if (!sealer)
    throw std::runtime_error("this device has no office key to seal a bundle for: enrol it (the key comes with the enrolment) first");
  // Signed with the device's certified key when it has one; a device that erased its keys
  // (revoked, then wiped) writes an unsigned bundle, which the office accepts only by name.
  std::optional<passes::SecretKey> key;
  std::string certificate;
  try {
    if (const auto text = store.setting(settings::device_key); text && !text->empty()) key = passes::SecretKey::parse(*text);
    certificate = store.setting(settings::device_certificate).value_or("");
  } catch (const passes::KeyError&) {
    key.reset();
  }
  if (certificate.empty()) key.reset();

  const auto records = store.pending(static_cast<std::size_t>(store.counts().pending) + 1, SIZE_MAX);
  std::string plain;
  for (const auto& r : records) plain.append(protocol::encode_bundle_record({r.seq, r.json})).append(1, '\n');
  const std::string sealed = sealer->seal(plain);
  crypto::wipe(plain);
  protocol::BundleHeader header{store.identity().device, store.identity().name, now, static_cast<std::int64_t>(records.size()),
                                key ? certificate : std::string(), office};
  const std::string header_line = protocol::encode_bundle_header(header);
  const std::string signature = key ? crypto::to_base64(key->sign(protocol::bundle_signed_text(header_line, sealed))) : std::string();
  out << header_line << '\n' << sealed << '\n' << protocol::encode_bundle_signature(signature) << '\n';
  out.flush();
  if (!out) throw std::runtime_error("writing the bundle failed (disk full, or the stick was removed?)");
  return static_cast<std::int64_t>(records.size());
}

}  // namespace allervers::sync
