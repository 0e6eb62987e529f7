#pragma once
// QR decoding off the UI thread. The camera side submits frames as fast as they come; the
// worker decodes only the newest (a frame waiting when a newer one arrives is dropped, so
// a slow decode never builds a backlog or a delay); results go into a queue the UI thread
// drains once per frame without ever waiting on a decode. A code held in front of the
// camera is reported once, not thirty times a second.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "allervers/platform/frame.hpp"
#include "allervers/platform/qr.hpp"

namespace allervers::platform {

struct ScanResult {
  std::string text;
  std::array<Point, 4> corners;
  std::uint64_t frame_sequence = 0;
  SteadyTime frame_captured_at{};  // for the "verdict within 150 ms of the frame" figure
  SteadyTime decoded_at{};
};

struct DecodeStats {
  std::uint64_t submitted = 0;
  std::uint64_t decoded = 0;   // frames that went through the decoder
  std::uint64_t dropped = 0;   // frames replaced by a newer one before their turn
  std::uint64_t reported = 0;  // results posted
  double last_decode_ms = 0;
};

struct DecodeWorkerOptions {
  DecodeOptions decoder;
  // The same code seen again within this time of its last sighting is not reported again:
  // long enough to cover a person holding a pass in view, short enough that a second
  // deliberate show is answered ("déjà enregistré·e").
  std::chrono::milliseconds repeat_hold{2000};
};

class DecodeWorker {
 public:
  // `wake` runs on the worker thread after a result is posted (e.g. push an SDL event so the
  // UI redraws); it must be quick and must not call UI code.
  explicit DecodeWorker(DecodeWorkerOptions options = {}, std::function<void()> wake = {});
  ~DecodeWorker();  // stops and joins
  DecodeWorker(const DecodeWorker&) = delete;
  DecodeWorker& operator=(const DecodeWorker&) = delete;

  // Never blocks on a decode: replaces the waiting frame, if any.
  void submit(std::shared_ptr<const Frame> frame);
  // The results posted since the last call, oldest first. Never blocks on a decode.
  std::vector<ScanResult> drain();
  // Forget recent codes so the next sighting is reported even within repeat_hold (e.g. when
  // the sign-in screen opens for another assembly).
  void forget_recent();
  // Waits until every submitted frame is decoded or dropped (tests, check-pass, benchmarks).
  void wait_idle();
  DecodeStats stats() const;

 private:
  void run();

  DecodeWorkerOptions options_;
  std::function<void()> wake_;
  QrDecoder decoder_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::shared_ptr<const Frame> waiting_;
  bool busy_ = false;
  bool stopping_ = false;
  std::vector<ScanResult> results_;
  std::map<std::string, SteadyTime> last_seen_;  // worker thread only
  bool forget_ = false;
  DecodeStats stats_;
  std::thread thread_;
};

// Pulls frames from a source on its own thread, keeps the newest for the preview and hands
// each to a DecodeWorker. A camera failure stops the pump and is kept for the UI to show.
class CameraPump {
 public:
  CameraPump(FrameSource& source, DecodeWorker& worker, std::function<void()> wake = {});
  ~CameraPump();  // stops and joins
  CameraPump(const CameraPump&) = delete;
  CameraPump& operator=(const CameraPump&) = delete;

  std::shared_ptr<const Frame> latest() const;  // for the live preview
  std::optional<std::string> error() const;     // the camera's failure, if it failed
  bool running() const;

 private:
  void run();
  FrameSource& source_;
  DecodeWorker& worker_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Frame> latest_;
  std::optional<std::string> error_;
  bool stopping_ = false;
  bool running_ = true;
  std::thread thread_;
};

}  // namespace allervers::platform
