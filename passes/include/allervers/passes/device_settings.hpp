#pragma once
// What a device holds to verify and issue passes offline, as text settings in its database.
// Sync writes them at enrolment and at each sync (docs/passes.md); check-pass and the sign-in
// screen read them. The functions take the texts, so this room needs no storage.
#include <optional>
#include <string>
#include <string_view>

#include "allervers/core/settings.hpp"
#include "allervers/passes/pass.hpp"

namespace allervers::passes {

// The keys (town_key, certificates, revocations, device_key, device_certificate) are declared
// in core/settings.hpp.

// A verifier from the settings' texts; nothing when there is no town key. Throws KeyError
// (or std::invalid_argument for malformed JSON) when what is held is damaged.
// `retired_town_keys_json`: the JSON array of "AVK1-…" keys the town retired and still trusts.
std::optional<PassVerifier> verifier_from_settings(const std::string& town_key, const std::optional<std::string>& certificates_json,
                                                   const std::optional<std::string>& revocations_json,
                                                   const std::optional<std::string>& retired_town_keys_json = std::nullopt);

}  // namespace allervers::passes
