#pragma once
// The HTTP API as a plain function from request to response, independent of the HTTP
// library: the socket layer (http.cpp) only adapts, and tests and fuzzers call handle()
// directly. Stateless over its database: every answer comes from the store.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/router.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sync/protocol.hpp"

namespace allervers::server {

// Opens one more connection to the server's database (one per serving thread).
using StoreFactory = std::function<std::unique_ptr<ServerStore>()>;

// The catalog as published: every version ever published merged (captures made with an
// older version stay valid), its JSON and its ETag.
struct PublishedCatalog {
  std::int64_t id = 0;  // the latest catalogs row merged in
  core::Catalog catalog;
  std::string json;
  std::string etag;
  std::string json_gzip;  // `json` gzipped for devices that take it (set by Api; "" when too short)
};
PublishedCatalog merge_catalogs(const std::vector<CatalogDocument>& documents);

struct ApiOptions {
  // Where residents reach the public pages (serve's --public-url), told to devices with the
  // outcomes so a thank-you screen's QR code opens the right page; "" when not set.
  std::string public_url;
};

class Api {
 public:
  Api(StoreFactory open_store, const core::Clock& clock, ApiOptions options = {});
  HttpResponse handle(const HttpRequest& request);
  // How many documents (outcomes, pass keys) this Api has built since it started.
  std::int64_t documents_built() const { return documents_built_.load(); }

 private:
  class Lease;
  std::unique_ptr<ServerStore> acquire();
  void release(std::unique_ptr<ServerStore> store);
  std::shared_ptr<const PublishedCatalog> catalog(ServerStore& store);

  HttpResponse health(ServerStore& store);
  HttpResponse enrol(const HttpRequest& request, ServerStore& store);
  HttpResponse get_catalog(const HttpRequest& request, ServerStore& store);
  HttpResponse post_batch(const HttpRequest& request, ServerStore& store);
  HttpResponse get_passes(const HttpRequest& request, ServerStore& store);
  HttpResponse get_media(const HttpRequest& request, ServerStore& store);
  HttpResponse post_certificate(const HttpRequest& request, ServerStore& store);
  HttpResponse get_attendance(const HttpRequest& request, ServerStore& store);
  HttpResponse get_outcomes(const HttpRequest& request, ServerStore& store);
  std::string outcomes_document(ServerStore& store) const;

  // A document built from the database, with the count of changes read just before building it.
  struct BuiltDocument {
    std::int64_t changes = 0;
    std::string body, etag;
    std::string gzipped;  // the body gzipped once, for the devices that take it ("" when too short)
  };
  // The last document of one kind, and whether a request is building the next one.
  struct DocumentSlot {
    std::shared_ptr<const BuiltDocument> document;
    bool building = false;
    std::condition_variable built;
  };
  // `slot`'s document if it was built at `changes`, else `build()`'s, kept in `slot`. One build
  // at a time per slot: requests that arrive meanwhile wait for it, and take it when it was built
  // at their count (1,000 devices asking after one new idea: one build, not 1,000).
  std::shared_ptr<const BuiltDocument> built(DocumentSlot& slot, std::int64_t changes, const std::function<std::string()>& build);

  StoreFactory open_store_;
  const core::Clock& clock_;
  ApiOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ServerStore>> idle_;
  std::shared_ptr<const PublishedCatalog> catalog_;
  DocumentSlot outcomes_;  // the last outcomes document built
  DocumentSlot passes_;    // the last pass keys document built
  std::atomic<std::int64_t> documents_built_{0};
  std::atomic<std::uint64_t> batch_counter_{0};  // with the clock and device, makes batch ids unique
};

// Mounts `api` at /api/ on `router`: batches up to the protocol's 16 MiB on the wire, other
// requests up to 16 KiB (longer ones refused before they are read).
void mount_api(Router& router, Api& api);

// The per-record rules shared by batch upload and bundle import: parse with the envelope's
// device forced, validate with core, insert keyed by id; the envelope's clock offset corrects
// the device's clock. One result per record, in order.
struct IngestSummary {
  std::int64_t accepted = 0, duplicates = 0, rejected = 0;
};
std::vector<sync::protocol::RecordResult> ingest_records(CaptureStore& store, const core::Catalog& catalog, BatchEnvelope envelope,
                                                         std::span<const sync::protocol::ParsedBatch::Record> records,
                                                         IngestSummary& summary);

}  // namespace allervers::server
