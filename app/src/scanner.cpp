#include "allervers/app/scanner.hpp"

namespace allervers::app {

Scanner::Scanner(CameraFactory factory, std::function<void()> wake)
    : factory_(std::move(factory)), wake_(std::move(wake)) {}

Scanner::~Scanner() { close(); }

void Scanner::close() {
  pump_.reset();
  worker_.reset();
  source_.reset();
  active_ = false;
}

void Scanner::set_factory(CameraFactory factory) {
  close();
  open_problem_.clear();
  factory_ = std::move(factory);
}

void Scanner::set_active(bool on) {
  if (on == active_) return;
  close();
  if (!on) return;
  active_ = true;
  open_problem_.clear();
  if (!factory_) {
    open_problem_ = "no camera is configured on this device";
    return;
  }
  try {
    source_ = factory_();
  } catch (const std::exception& e) {
    open_problem_ = e.what();
    return;
  }
  if (!source_) {
    open_problem_ = "no camera is configured on this device";
    return;
  }
  worker_ = std::make_unique<platform::DecodeWorker>(platform::DecodeWorkerOptions{}, wake_);
  pump_ = std::make_unique<platform::CameraPump>(*source_, *worker_, wake_);
}

std::vector<platform::ScanResult> Scanner::drain() { return worker_ ? worker_->drain() : std::vector<platform::ScanResult>{}; }

std::shared_ptr<const platform::Frame> Scanner::latest() const { return pump_ ? pump_->latest() : nullptr; }

std::string Scanner::problem() const {
  if (!active_) return "";
  if (!open_problem_.empty()) return open_problem_;
  if (pump_) {
    if (auto e = pump_->error()) return *e;
  }
  return "";
}

}  // namespace allervers::app
