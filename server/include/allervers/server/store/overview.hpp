#pragma once
// What the console's home and its list of recent contributions read: simple counts and the
// latest captures. (The dashboard's figures and filters are the office's reports, elsewhere.)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct CaptureCount {
  std::string consultation, kind;
  std::int64_t captures = 0;
};

struct Overview {
  std::vector<CaptureCount> captures;  // by consultation, then kind
  std::int64_t devices = 0, devices_revoked = 0;
  std::optional<std::int64_t> last_batch_ms;  // the latest sync of any device
};

struct RecentCapture {
  std::string id, kind, consultation, device_name, body;  // body: the capture's canonical JSON
  std::int64_t received_ms = 0;
};

class OverviewStore : public virtual StoreArea {
 public:
  Overview overview();
  // The latest captures received, newest first; `kind` empty: every kind.
  std::vector<RecentCapture> recent_captures(const std::string& kind, std::int64_t limit);
};

}  // namespace allervers::server
