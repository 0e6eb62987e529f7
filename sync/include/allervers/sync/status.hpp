#pragma once
// What the sync thread tells the screens: the network as last seen, what waits, the last
// success, and counters the kiosk watches to re-read pass keys and the catalog.
#include <cstdint>
#include <optional>
#include <string>

#include "allervers/core/time.hpp"

namespace allervers::sync {

// The network as the last sync attempt found it (the status line shows it).
enum class Network { unknown, offline, online, not_enrolled };

struct SyncStatus {
  Network network = Network::unknown;
  std::int64_t pending = 0;                 // captures waiting on this device
  std::optional<core::Instant> last_success;
  std::string last_error;                   // a sentence for the status line; empty when fine
  bool running = false;                     // a sync pass is under way
  // Counts the passes that stored new pass keys (certificates, revocations, town key): when it
  // changes, the sign-in screen reloads its verifier, so a revoked pass is refused at once.
  std::int64_t pass_keys_updates = 0;
  std::int64_t catalog_updates = 0;  // the same for the catalog
};

}  // namespace allervers::sync
