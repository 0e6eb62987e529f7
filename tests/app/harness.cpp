#include "harness.hpp"

#include <catch2/catch.hpp>

#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/vote.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/passes/outcome_keys.hpp"
#include "allervers/sync/media.hpp"
#include "allervers/sync/outcomes.hpp"

namespace allervers::test {

void hold_town_key(storage::DeviceStore& store, const passes::TownKey& town) {
  store.set_setting(core::settings::town_key, town.public_key().str());
}

void hold_device_key(storage::DeviceStore& store, const passes::TownKey& town) {
  auto key = passes::SecretKey::generate();
  const std::int64_t now_s = harness_start().utc_ms / 1000;
  const auto certificate = town.certify(7, store.identity().device, key.public_bytes(), now_s - 3600, now_s + 365 * 86400);
  store.set_setting(core::settings::device_key, key.str());
  store.set_setting(core::settings::device_certificate, certificate.str());
  store.set_setting(core::settings::certificates, "[\"" + certificate.str() + "\"]");
}

void hold_outcomes(storage::DeviceStore& store, const sync::protocol::Outcomes& outcomes, std::int64_t checked_ms) {
  store.replace_outcomes(sync::outcome_rows(outcomes), {{core::settings::outcomes_etag, "\"test\""},
                                                        {core::settings::outcomes_checked_ms, checked_ms ? std::to_string(checked_ms) : ""},
                                                        {core::settings::public_url, outcomes.public_url}});
}

sync::protocol::Outcomes demo_outcomes(const storage::DeviceStore& store, const std::string& idea_code, const std::string& state,
                                       const std::string& answer, const std::string& ballot_receipt, bool counted) {
  sync::protocol::Outcomes o;
  o.public_url = "https://participer.saint-aubin-sur-loire.fr";
  o.ideas.push_back({passes::idea_outcome_key(*core::read_receipt_code(idea_code)), "Un abri à vélos couvert", state, answer, "", {}, 0});
  for (const auto& vote : store.catalog().votes) {
    const std::string key = passes::ballot_outcome_key(vote.voter_key, core::normal_receipt(ballot_receipt));
    sync::protocol::BallotOutcomes b{vote.id, {}, {}};
    (counted ? b.counted : b.flagged).push_back(key);
    o.ballots.push_back(std::move(b));
  }
  return o;
}

void Harness::ImGuiContextDeleter::operator()(ImGuiContext* context) const { ImGui::DestroyContext(context); }

Harness::Harness(HarnessOptions options) : options_(std::move(options)), clock_(harness_start()) {
  store_.emplace(storage::DeviceStore::create(dir_ / "device", "Test", clock_.now()));
  auto catalog = nlohmann::json::parse(read_file(assets_dir() / "demo" / "catalog.json"));
  if (!options_.votes) catalog.erase("votes");
  if (options_.edit_catalog) options_.edit_catalog(catalog);
  std::string text = catalog.dump();
  if (options_.pictograms)
    text = sync::media::catalog_with_pictogram_files(text, assets_dir() / "demo", [&](const sync::media::Checked& checked, const std::string& bytes) {
      store_->save_media({checked.hash, checked.content_type, checked.width, checked.height, bytes}, clock_.now());
    });
  store_->save_catalog(core::parse_catalog(text));
  if (!options_.office_public_key.empty()) store_->set_setting(core::settings::office_public_key, options_.office_public_key);

  app::EngineConfig config;
  config.kiosk = options_.kiosk;
  config.languages = app::available_languages(assets_dir() / "i18n");
  config.idle_seconds = options_.idle_seconds;
  config.scale = options_.text_scale;
  config.high_contrast = options_.high_contrast;
  config.default_language = options_.language;
  config.uuid_seed = 7;
  engine_.emplace(*store_, clock_, config);
  if (!options_.staff_pin.empty()) engine_->set_staff_pin(options_.staff_pin);

  context_.reset(ImGui::CreateContext());
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(options_.width, options_.height);
  io.DeltaTime = 1.0f / 60.0f;
  io.KeyMap[ImGuiKey_Backspace] = 8;  // no platform backend: our own key indices
  io.KeyMap[ImGuiKey_Enter] = 13;
  app::AppOptions app_options;
  app_options.i18n_dir = assets_dir() / "i18n";
  app_options.display_scale = app::display_scale_for(options_.width, options_.height, 1.0f);
  app_options.camera = options_.camera;
  app_options.speech = options_.speech;
  app_.emplace(*engine_, app_options);
  driver_.emplace(*app_, [this] { frame(); });
  frame();
}

Harness::~Harness() {
  driver_.reset();
  app_.reset();
}

void Harness::frame() {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(options_.width, options_.height);
  io.DeltaTime = 1.0f / 60.0f;
  app_->set_display_scale(app::display_scale_for(options_.width, options_.height, 1.0f));
  app_->update_fonts();
  app_->frame();
}

std::string Harness::on_screen() const {
  std::string ids = std::string("screen ") + app::to_string(engine_->view().screen) + ":";
  for (const auto& id : driver_->visible_ids()) ids += " " + id;
  return ids;
}

std::string Harness::words() const {
  std::string out;
  for (const auto& item : app_->items())
    if (!item.text.empty() && item.visible()) out += item.text + "\n";
  return out;
}

bool Harness::can_tap(const std::string& id) const {
  const auto* item = app_->find(id);
  return item && item->enabled;
}

void Harness::tap(const std::string& id) {
  INFO("tap " << id << " — " << on_screen());
  REQUIRE(driver_->tap(id));
}

void Harness::hand_scan(const std::string& code) {
  std::int64_t t = 1'000'000;
  for (char c : code) app_->key_character(static_cast<unsigned char>(c), t += 4);
  app_->key_enter(t + 4);
  frames(2);
}

void Harness::advance_seconds(double seconds) {
  clock_.advance_ms(static_cast<std::int64_t>(seconds * 1000));
  frame();
  frame();
}

void Harness::resize(float width, float height) {
  options_.width = width;
  options_.height = height;
  frames(3);
}

}  // namespace allervers::test
