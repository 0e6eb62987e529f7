#pragma once
// Where a device keeps what it needs to verify passes offline. Sync writes these settings
// (docs/passes.md); check-pass and the sign-in screen read them.
#include <optional>
#include <string>
#include <string_view>

#include "allervers/passes/pass.hpp"

namespace allervers::storage {
class DeviceStore;
}

namespace allervers::device {

inline constexpr std::string_view kTownKeySetting = "passes.town_key";          // "AVK1-…"
inline constexpr std::string_view kCertificatesSetting = "passes.certificates";  // JSON array of "AVC1-…"
inline constexpr std::string_view kRevocationsSetting = "passes.revocations";    // RevocationList JSON

// The verifier for this device, or nothing when it holds no town key and none is given.
// Throws passes::KeyError (or a JSON error) when what is held is damaged.
std::optional<passes::PassVerifier> load_pass_verifier(const storage::DeviceStore& store, const std::string& town_key);

}  // namespace allervers::device
