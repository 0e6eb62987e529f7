#include "allervers/passes/device_settings.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace allervers::passes {

std::optional<PassVerifier> verifier_from_settings(const std::string& town_key, const std::optional<std::string>& certificates_json,
                                                   const std::optional<std::string>& revocations_json,
                                                   const std::optional<std::string>& retired_town_keys_json) {
  if (town_key.empty()) return std::nullopt;
  std::vector<TownPublicKey> retired;
  if (retired_town_keys_json && !retired_town_keys_json->empty()) {
    const auto list = nlohmann::json::parse(*retired_town_keys_json, nullptr, false);
    if (!list.is_array()) throw std::invalid_argument("the retired town keys setting is not a JSON array");
    for (const auto& text : list) {
      if (!text.is_string()) throw std::invalid_argument("a retired town key is not a text");
      retired.push_back(TownPublicKey::parse(text.get<std::string>()));
    }
  }
  CertificateStore certificates(TownPublicKey::parse(town_key), std::move(retired));
  if (certificates_json && !certificates_json->empty()) {
    const auto list = nlohmann::json::parse(*certificates_json, nullptr, false);
    if (!list.is_array()) throw std::invalid_argument("the device certificates setting is not a JSON array");
    for (const auto& text : list) {
      if (!text.is_string()) throw std::invalid_argument("a device certificate is not a text");
      certificates.add(DeviceCertificate::parse(text.get<std::string>()));
    }
  }
  RevocationList revoked;
  if (revocations_json && !revocations_json->empty()) revoked = RevocationList::from_json(*revocations_json);
  return PassVerifier(std::move(certificates), std::move(revoked));
}

}  // namespace allervers::passes
