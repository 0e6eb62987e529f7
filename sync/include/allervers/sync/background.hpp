#pragma once
// The sync engine on its own thread, for the touch app: it opens its own DeviceStore on
// the data folder, syncs when nudged (a capture was made) and every few minutes, and reports
// through a queue the UI drains once per frame. No call here blocks on the network or disk.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "allervers/core/time.hpp"

namespace allervers::sync {

struct SyncStatus {
  enum class Network { unknown, offline, online, not_enrolled } network = Network::unknown;
  std::int64_t pending = 0;                 // captures waiting on this device
  std::optional<core::Instant> last_success;
  std::string last_error;                   // a sentence for the status line; empty when fine
  bool running = false;                     // a sync pass is under way
  // Counts the passes that stored new pass keys (certificates, revocations, town key): when it
  // changes, the sign-in screen reloads its verifier, so a revoked pass is refused at once.
  std::int64_t pass_keys_updates = 0;
  std::int64_t catalog_updates = 0;  // the same for the catalog
};

class BackgroundSync {
 public:
  explicit BackgroundSync(std::filesystem::path data_dir);
  ~BackgroundSync();  // stops the thread: a request under way is abandoned (within ~1 s)
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  void start();
  void stop();
  void nudge();                      // "something new to send": sync soon
  std::optional<SyncStatus> poll();  // the latest status not yet seen, if any

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace allervers::sync
