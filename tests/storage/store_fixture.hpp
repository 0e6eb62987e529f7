#pragma once
// A device store on a temporary folder with the demo catalog, and captures to put in it.
#include "allervers/core/capture_json.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/storage/device_store.hpp"
#include "demo_captures.hpp"
#include "test_support.hpp"

namespace allervers::test {

inline const core::Instant kStoreNow{1'795'000'000'000, 60};

// A valid opinion for the demo square consultation; `n` varies its answers.
inline core::Capture sample_opinion(core::UuidGenerator& ids, const core::Uuid& device, int n, core::Instant when = kStoreNow) {
  core::Capture c;
  c.id = ids.next(when.utc_ms);
  c.device = device;
  c.consultation = "place-jean-jaures";
  c.version = 1;
  c.channel = core::Channel::door_to_door;
  c.captured_at = when;
  c.body = demo_opinion(n, "Réponse n° " + std::to_string(n));
  return c;
}

inline core::ValidCapture valid(const core::Capture& c, const core::Catalog& catalog) {
  auto result = core::validate(c, catalog, kStoreNow);
  if (!result.ok()) throw std::runtime_error("test capture is invalid: " + core::describe(result.errors()));
  return result.valid();
}

struct StoreFixture {
  TempDir dir;
  core::Catalog catalog = demo_catalog();
  core::UuidGenerator ids{99};
  storage::DeviceStore store = make();

  storage::DeviceStore make() {
    auto s = storage::DeviceStore::create(dir.path() / "device", "Tablette de test", kStoreNow);
    s.save_catalog(catalog);
    return s;
  }
  storage::AddResult add(int n, core::Instant when = kStoreNow) {
    return store.add(valid(sample_opinion(ids, store.identity().device, n, when), catalog));
  }
};

}  // namespace allervers::test
