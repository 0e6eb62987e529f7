#include "engine/context.hpp"

#include <charconv>

#include "allervers/storage/device_store.hpp"

namespace allervers::app {

EngineContext::EngineContext(storage::DeviceStore& device, const core::Clock& engine_clock, EngineConfig engine_config)
    : store(device), clock(engine_clock), config(std::move(engine_config)),
      uuids(config.uuid_seed ? core::UuidGenerator(*config.uuid_seed) : core::UuidGenerator()) {
  view.kiosk = config.kiosk;
  view.languages = config.languages;
  view.language = config.default_language;
  view.screen = view.kiosk ? Screen::welcome : Screen::staff;
}

const core::Catalog& EngineContext::catalog() const { return store.catalog(); }

const core::Consultation* EngineContext::consultation() const {
  if (view.consultation.empty()) return nullptr;
  return catalog().find(view.consultation, view.version);
}

core::Capture EngineContext::new_capture(core::Channel channel) const {
  core::Capture capture;
  capture.device = store.identity().device;
  capture.channel = channel;
  capture.language = view.language;
  capture.captured_at = clock.now();
  return capture;
}

bool EngineContext::commit(const core::ValidCapture& capture, std::string& failure) {
  try {
    store.add(capture);
  } catch (const std::exception& e) {
    // Nothing was committed (one transaction): the caller keeps what the person entered on
    // screen with this sentence, and trying again is safe.
    failure = e.what();
    return false;
  }
  failure.clear();
  ++view.captures_made;
  refresh_status();
  if (on_captured) on_captured();
  return true;
}

std::optional<std::int64_t> EngineContext::int_setting(std::string_view key) const {
  const auto text = store.setting(key);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  if (std::from_chars(text->data(), text->data() + text->size(), value).ec != std::errc()) return std::nullopt;
  return value;
}

std::optional<float> EngineContext::float_setting(std::string_view key) const {
  const auto text = store.setting(key);
  if (!text) return std::nullopt;
  float value = 0;
  if (std::from_chars(text->data(), text->data() + text->size(), value).ec != std::errc()) return std::nullopt;
  return value;
}

void EngineContext::notice(const std::string& key, std::map<std::string, std::string> values) {
  view.notice = NoticeView{key, std::move(values), now_ms() + timing::notice_ms};
}

void EngineContext::refresh_status() {
  status_read_ms_ = now_ms();
  try {
    const auto now = clock.now();
    view.status.captures_today = store.counts_on_day(core::local_day(now)).total();
    view.status.pending = store.counts().pending;
    const auto sync = store.sync_state();
    view.status.last_success = sync.last_success;
    view.status.last_error = sync.last_error;
    view.status.storage_error.clear();
  } catch (const std::exception& e) {
    // The status line says the database could not be read; the app goes on.
    view.status.storage_error = e.what();
  }
}

}  // namespace allervers::app
