// A device process for the "device killed mid-sync" test: syncs DATA_DIR through URL's
// server (already enrolled) with short timeouts, until the test kills it.
#include <cstdio>

#include "allervers/storage/device_store.hpp"
#include "allervers/sync/client.hpp"
#include "e2e_support.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: sync_child DATA_DIR\n");
    return 2;
  }
  try {
    auto store = allervers::storage::DeviceStore::open(argv[1]);
    allervers::core::SystemClock clock;
    auto options = allervers::e2e::fast_options();
    options.batch_records = 100;
    allervers::sync::SyncClient client(store, clock, options);
    const auto report = client.sync();
    std::printf("%s %lld\n", report.ok() ? "ok" : report.error.c_str(), static_cast<long long>(report.accepted));
    return report.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sync_child: %s\n", e.what());
    return 1;
  }
}
