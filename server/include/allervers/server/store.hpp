#pragma once
// The server's database. One ServerStore is one connection (use it from one thread) and holds
// every area of the store: each area is a set of tables and its SQL, written once over the
// SQL driver (sql.hpp), which runs it on SQLite (one town, one file) or PostgreSQL (a
// territory; several servers may share one database). The server keeps no state outside it.
//
// A new feature's tables: a schema step (server/src/store/schema.cpp) and an area of its own
// (a header here in store/, its SQL in server/src/store/), added to ServerStore's bases. Code
// that needs one area only takes that area (e.g. `CaptureStore&`).
#include <memory>
#include <string>

#include "allervers/server/sql.hpp"
#include "allervers/server/store/accounts.hpp"
#include "allervers/server/store/attendance.hpp"
#include "allervers/server/store/audit.hpp"
#include "allervers/server/store/captures.hpp"
#include "allervers/server/store/catalogs.hpp"
#include "allervers/server/store/enrolment.hpp"
#include "allervers/server/store/keys.hpp"
#include "allervers/server/store/office.hpp"
#include "allervers/server/store/population.hpp"
#include "allervers/server/store/reports.hpp"
#include "allervers/server/store/overview.hpp"
#include "allervers/server/store/throttle.hpp"
#include "allervers/server/store/public_site.hpp"
#include "allervers/server/store/ideas.hpp"
#include "allervers/server/store/mail.hpp"
#include "allervers/server/store/media.hpp"
#include "allervers/server/store/votes.hpp"

namespace allervers::server {

class ServerStore final : public EnrolmentStore,
                          public CaptureStore,
                          public CatalogStore,
                          public KeyStore,
                          public AttendanceStore,
                          public OfficeStore,
                          public ReportStore,
                          public PopulationStore,
                          public AccountStore,
                          public AuditStore,
                          public OverviewStore,
                          public ThrottleStore,
                          public PublicSiteStore,
                          public MailStore,
                          public IdeaStore,
                          public VoteStore,
                          public MediaStore {
 public:
  explicit ServerStore(std::unique_ptr<sql::Driver> driver);
  const char* backend() const;  // "sqlite" or "postgresql"
  // Creates or upgrades the schema (numbered steps, one transaction each), then derives the
  // office's facts of captures stored before step 3 (CaptureStore::derive_missing_facts).
  void migrate();
  // A transaction over this connection: what the areas write between here and commit() is one
  // change (an account added and its audit line).
  sql::Transaction transaction() { return sql::Transaction(*driver_); }

 private:
  sql::Driver& db() override { return *driver_; }
  std::unique_ptr<sql::Driver> driver_;
};

// "sqlite:PATH" (or a bare path) or "postgresql://…" / "postgres://…". Migrates on open.
// With `secrets_key`, the secrets still in clear are encrypted under it at once (the first
// start with a key migrates them).
std::unique_ptr<ServerStore> open_store(const std::string& url, std::shared_ptr<const crypto::AtRestKey> secrets_key = nullptr);
std::unique_ptr<ServerStore> open_sqlite_store(const std::string& path);
std::unique_ptr<ServerStore> open_postgres_store(const std::string& conninfo);

}  // namespace allervers::server
