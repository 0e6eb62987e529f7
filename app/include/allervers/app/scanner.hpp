#pragma once
// The camera side of the screens that read QR codes (the sign-in desk, enrolment), for the
// UI thread: opens the frame source when such a screen shows and closes it when it goes (the
// camera's light is off otherwise); the decode worker and the camera pump run on their own
// threads and wake the main loop; the loop drains decoded codes and the newest frame once
// per frame and never waits on either. No ImGui, no GL here.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "allervers/platform/decode_worker.hpp"

namespace allervers::app {

// Opens the camera (V4l2Camera, or ImageFileSource for tests and demos). Throws
// platform::CameraError (or any exception) with a sentence when there is none.
using CameraFactory = std::function<std::unique_ptr<platform::FrameSource>()>;

class Scanner {
 public:
  // `wake` runs on the worker threads (a new frame, a decoded code): it must only post an
  // event for the main loop.
  Scanner(CameraFactory factory, std::function<void()> wake);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  void set_factory(CameraFactory factory);  // closes the current camera; the next set_active(true) opens the new one
  void set_active(bool on);                 // opens or closes the camera
  bool active() const { return active_; }

  std::vector<platform::ScanResult> drain();
  std::shared_ptr<const platform::Frame> latest() const;
  // Why there is no picture: no camera configured, the camera's own sentence, or it failed.
  std::string problem() const;

 private:
  void close();
  CameraFactory factory_;
  std::function<void()> wake_;
  bool active_ = false;
  std::string open_problem_;
  // Destroyed pump first (it uses both), then the worker, then the source.
  std::unique_ptr<platform::FrameSource> source_;
  std::unique_ptr<platform::DecodeWorker> worker_;
  std::unique_ptr<platform::CameraPump> pump_;
};

}  // namespace allervers::app
