// BackgroundSync: one thread, its own DeviceStore, statuses handed back through a queue.
// BackgroundEnrolment: one enrolment at a time on a thread, its answer handed back the same way.
#include "allervers/sync/background.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "allervers/storage/device_store.hpp"
#include "allervers/sync/client.hpp"
#include "allervers/sync/protocol.hpp"

namespace allervers::sync {

struct BackgroundSync::Impl {
  std::filesystem::path data_dir;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool nudged = false;
  std::optional<SyncStatus> latest;  // the newest status not yet polled (older ones are superseded)
  SyncStatus current;                // owned by the thread
  std::atomic<bool> cancel{false};

  void post(const SyncStatus& status) {
    std::lock_guard lock(mutex);
    latest = status;
  }

  void loop() {
    core::SystemClock clock;
    std::optional<storage::DeviceStore> store;
    int failures = 0;
    auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(tuning::background_settle);
    for (;;) {
      {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, delay, [&] { return stopping || nudged; });
        if (stopping) return;
        if (nudged) {  // let a resident's session finish its captures first
          nudged = false;
          wake.wait_for(lock, tuning::background_settle, [&] { return stopping; });
          if (stopping) return;
          nudged = false;
        }
      }
      try {
        if (!store) store.emplace(storage::DeviceStore::open(data_dir));
        current.running = true;
        current.pending = store->counts().pending;
        post(current);
        SyncOptions options;
        options.cancel = &cancel;
        options.progress = [&](const SyncProgress& p) {
          current.pending = p.pending;
          post(current);
        };
        SyncClient client(*store, clock, options);
        const SyncReport report = client.sync();
        current.running = false;
        current.pending = report.pending_left;
        current.last_success = store->sync_state().last_success;
        current.last_error = report.error;
        if (report.passes_updated || report.certificate_renewed) ++current.pass_keys_updates;
        if (report.catalog_updated) ++current.catalog_updates;
        switch (report.failure) {
          case SyncFailure::none: current.network = Network::online; break;
          case SyncFailure::not_enrolled: current.network = Network::not_enrolled; break;
          case SyncFailure::unreachable: current.network = Network::offline; break;
          default: current.network = Network::online; break;  // reached, but refused or unreadable
        }
        failures = report.ok() ? 0 : failures + 1;
      } catch (const std::exception& e) {
        store.reset();  // reopen next time (the database may have been locked or moved)
        current.running = false;
        current.last_error = std::string("sync could not run: ") + e.what();
        ++failures;
      }
      post(current);
      // Next pass: on schedule, sooner after a failure (doubling up to the schedule).
      auto next = std::chrono::duration_cast<std::chrono::milliseconds>(tuning::background_interval);
      if (failures > 0) {
        auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(tuning::backoff_initial) * 15;
        for (int i = 1; i < failures && backoff < next; ++i) backoff *= 2;
        next = std::min(next, backoff);
      }
      delay = next;
    }
  }
};

BackgroundSync::BackgroundSync(std::filesystem::path data_dir) : impl_(std::make_unique<Impl>()) {
  impl_->data_dir = std::move(data_dir);
}

BackgroundSync::~BackgroundSync() { stop(); }

void BackgroundSync::start() {
  if (impl_->thread.joinable()) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = false;
  }
  impl_->cancel = false;
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void BackgroundSync::stop() {
  if (!impl_->thread.joinable()) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->cancel = true;  // a pass under way stops at its next step
  impl_->wake.notify_all();
  impl_->thread.join();
}

void BackgroundSync::nudge() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->nudged = true;
  }
  impl_->wake.notify_all();
}

std::optional<SyncStatus> BackgroundSync::poll() {
  std::lock_guard lock(impl_->mutex);
  auto out = std::move(impl_->latest);
  impl_->latest.reset();
  return out;
}

// --- BackgroundEnrolment -------------------------------------------------------------------

struct BackgroundEnrolment::Impl {
  std::filesystem::path data_dir;
  std::function<void()> wake;
  std::thread thread;
  std::mutex mutex;
  std::optional<Answer> answer;  // guarded by mutex

  void enrol(const std::string& url, const std::string& code) {
    Answer result;
    try {
      auto store = storage::DeviceStore::open(data_dir);
      core::SystemClock clock;
      SyncClient client(store, clock);
      const auto response = client.enrol(url, code);
      result = {true, response.name.empty() ? url : response.name + " — " + url};
    } catch (const std::exception& e) {
      // Whatever stopped it (the server's refusal, no network, the database) is the sentence
      // the enrolment screen shows; nothing was enrolled.
      result = {false, e.what()};
    }
    {
      std::lock_guard lock(mutex);
      answer = std::move(result);
    }
    if (wake) wake();
  }
};

BackgroundEnrolment::BackgroundEnrolment(std::filesystem::path data_dir, std::function<void()> wake)
    : impl_(std::make_unique<Impl>()) {
  impl_->data_dir = std::move(data_dir);
  impl_->wake = std::move(wake);
}

BackgroundEnrolment::~BackgroundEnrolment() {
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::optional<BackgroundEnrolment::Answer> BackgroundEnrolment::start(const std::string& scanned) {
  const auto link = protocol::parse_enrol_link(scanned);
  if (!link) return Answer{false, "ce QR code n’est pas un code d’enrôlement Aller-vers"};
  if (impl_->thread.joinable()) impl_->thread.join();  // the last one has answered already
  impl_->thread = std::thread([impl = impl_.get(), url = link->first, code = link->second] { impl->enrol(url, code); });
  return std::nullopt;
}

std::optional<BackgroundEnrolment::Answer> BackgroundEnrolment::poll() {
  std::lock_guard lock(impl_->mutex);
  auto out = std::move(impl_->answer);
  impl_->answer.reset();
  return out;
}

}  // namespace allervers::sync
