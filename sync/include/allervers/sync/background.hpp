#pragma once
// The sync client on threads of its own, for the touch app. Each opens its own DeviceStore
// on the data folder and hands its news back through a box the UI drains once per frame; no
// call here blocks on the network or the disk.
//   BackgroundSync       syncs when nudged (a capture was made) and every few minutes
//   BackgroundEnrolment  enrols the device from a scanned enrolment QR code
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "allervers/sync/status.hpp"

namespace allervers::sync {

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

class BackgroundEnrolment {
 public:
  // `wake` is called from the enrolment thread when its answer is ready (the kiosk pushes an
  // SDL event so its loop wakes up and polls).
  BackgroundEnrolment(std::filesystem::path data_dir, std::function<void()> wake);
  ~BackgroundEnrolment();  // waits for an enrolment under way (the client's own timeouts bound it)
  BackgroundEnrolment(const BackgroundEnrolment&) = delete;
  BackgroundEnrolment& operator=(const BackgroundEnrolment&) = delete;

  struct Answer {
    bool ok = false;
    std::string message;  // the server's name and address, or what went wrong, as a sentence
  };
  // Starts enrolling with the scanned text ("allervers-enrol:<url>#<code>"). Nothing starts
  // when the text is no enrolment link: the answer is returned at once instead.
  std::optional<Answer> start(const std::string& scanned);
  std::optional<Answer> poll();  // the answer not yet seen, if any

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace allervers::sync
