#pragma once
// What a device holds to verify and issue passes offline, as text settings in its database.
// Sync writes them at enrolment and at each sync (docs/passes.md); check-pass and the sign-in
// screen read them. The functions take the texts, so this room needs no storage.
#include <optional>
#include <string>
#include <string_view>

#include "allervers/passes/pass.hpp"

namespace allervers::passes {

inline constexpr std::string_view kTownKeySetting = "passes.town_key";                  // "AVK1-…"
inline constexpr std::string_view kCertificatesSetting = "passes.certificates";          // JSON array of "AVC1-…"
inline constexpr std::string_view kRevocationsSetting = "passes.revocations";            // RevocationList JSON
inline constexpr std::string_view kDeviceKeySetting = "passes.device_key";               // this device's SecretKey text
inline constexpr std::string_view kDeviceCertificateSetting = "passes.device_certificate";  // this device's "AVC1-…"

// A verifier from the settings' texts; nothing when there is no town key. Throws KeyError
// (or std::invalid_argument for malformed JSON) when what is held is damaged.
std::optional<PassVerifier> verifier_from_settings(const std::string& town_key, const std::optional<std::string>& certificates_json,
                                                   const std::optional<std::string>& revocations_json);

}  // namespace allervers::passes
