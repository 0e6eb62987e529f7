#include "allervers/platform/decode_worker.hpp"

#include <utility>

namespace allervers::platform {

DecodeWorker::DecodeWorker(DecodeWorkerOptions options, std::function<void()> wake)
    : options_(options), wake_(std::move(wake)), decoder_(options.decoder), thread_([this] { run(); }) {}

DecodeWorker::~DecodeWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void DecodeWorker::submit(std::shared_ptr<const Frame> frame) {
  if (!frame) return;
  {
    std::lock_guard lock(mutex_);
    ++stats_.submitted;
    if (waiting_) ++stats_.dropped;
    waiting_ = std::move(frame);
  }
  changed_.notify_all();
}

std::vector<ScanResult> DecodeWorker::drain() {
  std::lock_guard lock(mutex_);
  return std::exchange(results_, {});
}

void DecodeWorker::forget_recent() {
  std::lock_guard lock(mutex_);
  forget_ = true;
}

void DecodeWorker::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !waiting_ && !busy_; });
}

DecodeStats DecodeWorker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void DecodeWorker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || waiting_; });
    if (stopping_) return;
    auto frame = std::exchange(waiting_, nullptr);
    busy_ = true;
    if (std::exchange(forget_, false)) last_seen_.clear();
    lock.unlock();

    const auto started = std::chrono::steady_clock::now();
    auto codes = decoder_.decode(*frame, frame->sequence);
    const auto finished = std::chrono::steady_clock::now();
    std::vector<ScanResult> fresh;
    for (auto& code : codes) {
      auto [it, inserted] = last_seen_.try_emplace(code.text, finished);
      const bool repeat = !inserted && finished - it->second < options_.repeat_hold;
      it->second = finished;
      if (repeat) continue;
      fresh.push_back({std::move(code.text), code.corners, frame->sequence, frame->captured_at, finished});
    }
    // Codes long out of view need not be remembered.
    std::erase_if(last_seen_, [&](const auto& entry) { return finished - entry.second > 10 * options_.repeat_hold; });

    lock.lock();
    ++stats_.decoded;
    stats_.last_decode_ms = std::chrono::duration<double, std::milli>(finished - started).count();
    stats_.reported += fresh.size();
    const bool posted = !fresh.empty();
    for (auto& result : fresh) results_.push_back(std::move(result));
    busy_ = false;
    changed_.notify_all();
    if (posted && wake_) {
      lock.unlock();
      wake_();
      lock.lock();
    }
  }
}

// ---- CameraPump ----------------------------------------------------------------------------

CameraPump::CameraPump(FrameSource& source, DecodeWorker& worker, std::function<void()> wake)
    : source_(source), worker_(worker), wake_(std::move(wake)), thread_([this] { run(); }) {}

CameraPump::~CameraPump() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  thread_.join();
}

std::shared_ptr<const Frame> CameraPump::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::optional<std::string> CameraPump::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

bool CameraPump::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void CameraPump::run() {
  // A short timeout keeps the stop request answered promptly.
  constexpr std::chrono::milliseconds poll{100};
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    std::shared_ptr<const Frame> frame;
    try {
      if (source_.finished()) break;
      frame = source_.next_frame(poll);
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      error_ = e.what();
      break;
    }
    if (!frame) continue;
    {
      std::lock_guard lock(mutex_);
      latest_ = frame;
    }
    worker_.submit(frame);
    if (wake_) wake_();
  }
  bool failed = false;
  {
    std::lock_guard lock(mutex_);
    running_ = false;
    failed = error_.has_value();
  }
  if (failed && wake_) wake_();  // so the UI shows the failure without waiting for input
}

}  // namespace allervers::platform
