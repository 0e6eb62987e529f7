#pragma once
// What a device remembers, by name: the keys of the settings its database keeps
// (storage::DeviceStore::setting / set_setting, stored as "setting.<key>"). Sync writes most of
// them, the app, the device tools and the pass checks read them. Declared here once, in the
// lowest floor, so every room spells each key the same way; a key's text never changes once
// shipped (devices in the field hold it).
//
// The server's own named values (the town key, the office key) are rows of its server_secrets
// table, named in server/store/keys.hpp.
#include <string_view>

namespace allervers::core::settings {

// --- enrolment and sync (written by sync/) -----------------------------------------------------
inline constexpr std::string_view server_url = "sync.server_url";
inline constexpr std::string_view token = "sync.token";
inline constexpr std::string_view ca_file = "sync.ca_file";                  // a town's own CA certificate (PEM)
inline constexpr std::string_view catalog_etag = "sync.catalog_etag";
inline constexpr std::string_view clock_offset_ms = "sync.clock_offset_ms";  // server minus device, last measured
inline constexpr std::string_view device_name = "sync.device_name";          // as given by the coordinator
inline constexpr std::string_view passes_etag = "sync.passes_etag";          // of the last pass keys downloaded
// A key made for a certificate not received yet: asked again with the same key, so an answer
// lost on the way is not a certificate lost (the server answers the same one).
inline constexpr std::string_view pending_device_key = "sync.pending_device_key";
// "1" when the device was enrolled over plain http:// to another machine, as asked with
// --insecure-http: its token crosses the network in clear, and status says so.
inline constexpr std::string_view insecure_http = "sync.insecure_http";
// What became of ideas and ballots (GET /api/v1/outcomes): the ETag of the last document kept,
// when the server last confirmed it (ms since the epoch, UTC: a 200 or a 304), and the town's
// public pages it named ("" when the server has none), which thank-you QR codes open.
inline constexpr std::string_view outcomes_etag = "sync.outcomes_etag";
inline constexpr std::string_view outcomes_checked_ms = "sync.outcomes_checked_ms";
inline constexpr std::string_view public_url = "sync.public_url";
// The office's public key for sealed contacts (base64).
inline constexpr std::string_view office_public_key = "office_public_key";

// --- passes (written by sync/, read by the sign-in screen and check-pass) ---------------------
inline constexpr std::string_view town_key = "passes.town_key";                      // "AVK1-…"
inline constexpr std::string_view certificates = "passes.certificates";              // JSON array of "AVC1-…"
inline constexpr std::string_view retired_town_keys = "passes.retired_town_keys";    // JSON array of "AVK1-…" still trusted
inline constexpr std::string_view revocations = "passes.revocations";                // RevocationList JSON
inline constexpr std::string_view device_key = "passes.device_key";                  // this device's SecretKey text
inline constexpr std::string_view device_certificate = "passes.device_certificate";  // this device's "AVC1-…"

// --- the kiosk (written and read by the app) --------------------------------------------------
inline constexpr std::string_view channel = "app.channel";                              // where the kiosk stands
inline constexpr std::string_view featured_consultation = "app.featured_consultation";  // shown first
inline constexpr std::string_view assembly = "app.assembly";                            // the desk's assembly
inline constexpr std::string_view desk_open = "app.desk_open";                          // "1" while the desk is open
inline constexpr std::string_view ui_scale = "ui.scale";
inline constexpr std::string_view speech_volume = "app.speech_volume";  // read-aloud, percent
inline constexpr std::string_view high_contrast = "ui.high_contrast";    // "1": every resident starts in high contrast
inline constexpr std::string_view idle_seconds = "kiosk.idle_seconds";         // back to the start after this
inline constexpr std::string_view staff_pin_hash = "kiosk.staff_pin_hash";
inline constexpr std::string_view pin_locked_until_ms = "kiosk.pin_locked_until_ms";  // after too many wrong PINs

}  // namespace allervers::core::settings
